import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../service/src/config/config.js';
import { createService } from '../../../service/src/service.js';
import { api, startHarness, type Harness } from './support.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('limits', () => {
  it('turns requests beyond MAX_CONCURRENT_REQUESTS away with 503 and Retry-After', async () => {
    h = await startHarness('conc', { MAX_CONCURRENT_REQUESTS: '2', EMBEDDING_CACHE_TTL_SECONDS: '0' });
    const big = Array.from({ length: 64 }, (_, i) => `long clinical note ${i} `.repeat(20));
    const rs = await Promise.all(Array.from({ length: 12 }, () => api(h!, 'POST', '/v1/embeddings', { input: big })));
    const codes = rs.map((r) => r.status);
    console.log('concurrency codes', codes.join(','), JSON.stringify(rs.filter((r) => r.status !== 200).map((r) => r.json.error.code + ':' + (r.json.error.dependency ? r.json.error.message : ''))));
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(2);
    const rejected = rs.filter((r) => r.status === 503 && r.json.error.code === 'TOO_MANY_CONCURRENT_REQUESTS');
    expect(rejected.length).toBeGreaterThan(0);
    expect(codes.filter((c) => c !== 200 && c !== 503)).toEqual([]);
    expect(rejected[0]!.headers.get('retry-after')).toBe('1');
    // Once the load is gone the service serves again.
    expect((await api(h, 'POST', '/v1/embeddings', { input: 'after the burst' })).status).toBe(200);
  });

  it('rate-limits per API key with 429 and Retry-After', async () => {
    h = await startHarness('rate', { RATE_LIMIT_PER_MINUTE: '3' });
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await api(h, 'POST', '/v1/embeddings', { input: `rate ${i}` });
      codes.push(last.status);
    }
    // A window boundary may fall inside the loop; at most 3 per window pass.
    expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(4);
    expect(codes).toContain(429);
    const limited = (await api(h, 'POST', '/v1/embeddings', { input: 'again' }));
    if (limited.status === 429) {
      expect(limited.json.error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('refuses to start against a schema newer than itself', async () => {
    h = await startHarness('schema');
    const c = new pg.Client({ connectionString: h.config.DATABASE_URL });
    await c.connect();
    await c.query("INSERT INTO schema_migrations(version, name) VALUES (99, 'from the future')");
    await c.end();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    await expect(createService(loadConfig({ ...process.env, ...Object.fromEntries(Object.entries(h.config).map(([k, v]) => [k, String(v)])) }), quiet)).rejects.toMatchObject({
      code: 'SCHEMA_TOO_NEW',
    });
    // The running service reports it in /ready.
    const r = await fetch(`${h.url}/ready`);
    const j = await r.json();
    expect(r.status).toBe(503);
    expect(j.checks.postgres).toMatchObject({ ok: false, code: 'SCHEMA_TOO_NEW' });
    await (async () => {
      const c2 = new pg.Client({ connectionString: h!.config.DATABASE_URL });
      await c2.connect();
      await c2.query('DELETE FROM schema_migrations WHERE version = 99');
      await c2.end();
    })();
  });
});
