import { describe, expect, it } from 'vitest';
import {
  makeVerbatimScrubber,
  REDACTED,
  redactAuthorization,
  redactJson,
  redactKeyedLines,
  redactPemBlocks,
  redactText,
  redactUrlCredentials,
} from '../../../electron/core/diagnostics/bundle/redact';
import { redactParts } from '../../../electron/core/diagnostics/bundle/redact-parts';

describe('redactKeyedLines', () => {
  it('blanks every env key naming a secret and keeps the others', () => {
    const env = ['POSTGRES_PASSWORD=s3cr3t-pg-value', 'REDIS_SECRET=abc', 'API_TOKEN=t0k', 'MINIO_ACCESS_KEY=minio', 'AWS_CREDENTIALS=x', 'TLS_PRIVATE=y', 'export db_password=lower', 'MEDAI_HTTP_PORT=8080', 'POSTGRES_USER=medai'].join('\n');
    const r = redactKeyedLines(env);
    for (const v of ['s3cr3t-pg-value', '=abc', '=t0k', '=minio', '=x\n', '=y\n', '=lower']) expect(r.text).not.toContain(v);
    expect(r.text).toContain(`POSTGRES_PASSWORD=${REDACTED}`);
    expect(r.text).toContain(`export db_password=${REDACTED}`);
    expect(r.text).toContain('MEDAI_HTTP_PORT=8080');
    expect(r.text).toContain('POSTGRES_USER=medai');
    expect(r.names).toEqual(['key:API_TOKEN', 'key:AWS_CREDENTIALS', 'key:MINIO_ACCESS_KEY', 'key:POSTGRES_PASSWORD', 'key:REDIS_SECRET', 'key:TLS_PRIVATE', 'key:db_password']);
  });

  it('redacts YAML mappings and list items with literal values but keeps ${VAR} references', () => {
    const yaml = [
      'services:',
      '  db:',
      '    environment:',
      '      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}',
      '      REDIS_PASSWORD: "literal-redis-pass"',
      '      - MILVUS_TOKEN=literal-milvus',
      '    secrets:',
      '      - db_password',
    ].join('\n');
    const r = redactKeyedLines(yaml);
    expect(r.text).toContain('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}');
    expect(r.text).not.toContain('literal-redis-pass');
    expect(r.text).not.toContain('literal-milvus');
    expect(r.text).toContain('    secrets:\n');
    expect(r.names).toEqual(['key:MILVUS_TOKEN', 'key:REDIS_PASSWORD']);
  });
});

describe('redactUrlCredentials', () => {
  it('keeps the user and host and hides the password', () => {
    const r = redactUrlCredentials('DATABASE_URL postgres://medai:pg-pass-123@db:5432/medai and redis://:r3dis@cache:6379 and https://example.org/x');
    expect(r.text).toBe(`DATABASE_URL postgres://medai:${REDACTED}@db:5432/medai and redis://:${REDACTED}@cache:6379 and https://example.org/x`);
    expect(r.names).toEqual(['url-password']);
  });

  it('also hides a password with an empty user name', () => {
    expect(redactUrlCredentials('redis://default:r3dis-pass@cache:6379/0').text).toBe(`redis://default:${REDACTED}@cache:6379/0`);
  });
});

describe('redactAuthorization', () => {
  it('hides Authorization header values of any scheme and bare Bearer tokens', () => {
    const log = ['GET /metrics Authorization: Bearer mk_live_abcdef123456', '{"authorization":"Basic dXNlcjpwYXNz"}', 'curl -H "X: y" token Bearer abc.def-ghi_jkl'].join('\n');
    const r = redactAuthorization(log);
    expect(r.text).not.toContain('mk_live_abcdef123456');
    expect(r.text).not.toContain('dXNlcjpwYXNz');
    expect(r.text).not.toContain('abc.def-ghi_jkl');
    expect(r.text).toContain(`Authorization: Bearer ${REDACTED}`);
    expect(r.names).toEqual(['authorization-header', 'bearer-token']);
  });

  it('leaves text without credentials unchanged and names nothing', () => {
    const r = redactText('2026-11-29T10:00:00Z database system is ready to accept connections');
    expect(r.text).toBe('2026-11-29T10:00:00Z database system is ready to accept connections');
    expect(r.names).toEqual([]);
  });
});

describe('redactPemBlocks', () => {
  it('removes a whole private key block', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQUJDREVG\n-----END OPENSSH PRIVATE KEY-----';
    const r = redactPemBlocks(`key:\n${key}\nafter`);
    expect(r.text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
    expect(r.text).toContain('after');
    expect(r.names).toEqual(['private-key-block']);
  });
});

describe('redactJson', () => {
  it('blanks secret-named string fields, keeps flags and ids, and runs text rules on every string', () => {
    const r = redactJson({
      target: { id: 't1', location: { kind: 's3', endpoint: 'https://minio:m1n10pass@minio:9000' }, hasCredentials: true, signerKeyId: 'ab12', passwordFile: '/x/repository-password' },
      request: { secretAccessKey: 'AKIA-secret', credentials: { accessKeyId: 'AKIA', secretAccessKey: 'zzz' } },
      events: [{ log: 'Authorization: Bearer eyJhbGciOi.payload' }],
    });
    const s = JSON.stringify(r.value);
    for (const v of ['m1n10pass', 'AKIA-secret', 'zzz', 'eyJhbGciOi.payload']) expect(s).not.toContain(v);
    expect(s).toContain('"hasCredentials":true');
    expect(s).toContain('"signerKeyId":"ab12"');
    expect(s).toContain('"passwordFile":"/x/repository-password"');
    expect(r.names).toEqual(['authorization-header', 'field:credentials', 'field:secretAccessKey', 'url-password']);
  });
});

describe('verbatim pass', () => {
  it('replaces every known value wherever it appears, longest first, and says so by name only', () => {
    const scrub = makeVerbatimScrubber(['Zq9-generated-postgres-password', 'Zq9-generated', 'short', undefined]);
    const r = scrub('db | LOG: password is Zq9-generated-postgres-password; also Zq9-generated here; short stays');
    expect(r.text).toBe(`db | LOG: password is ${REDACTED}; also ${REDACTED} here; short stays`);
    expect(r.names).toEqual(['known-secret-value']);
    expect(scrub('nothing to see').names).toEqual([]);
  });

  it('catches a secret echoed into a log line that no shape rule matches, in text and JSON parts', () => {
    const secret = 'hK8_vXp2-QmT4wLz9RbN3cYe';
    const files = redactParts(
      [
        { path: 'stack/logs/db.log', text: `2026-11-29T10:00:00Z ${secret}\n` },
        { path: 'operations/journal.json', json: [{ events: [{ log: `echoed ${secret}` }] }] },
      ],
      [secret],
    );
    for (const f of files) {
      expect(f.data.toString('utf8')).not.toContain(secret);
      expect(f.data.toString('utf8')).toContain(REDACTED);
      expect(f.entry.redacted).toContain('known-secret-value');
      expect(f.entry.bytes).toBe(f.data.length);
      expect(f.entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
