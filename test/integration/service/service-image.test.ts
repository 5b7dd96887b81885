import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase, peers, removeContainers, runServiceContainer, serviceImage } from './support.js';

// The image builds offline from the local Debian base, runs as a non-root user against the
// real PostgreSQL, Redis and Milvus, and the manager's path works: start (degraded: schema
// missing) → `node dist/cli.js migrate` inside the container → /ready green → API key via CLI.
const NAME = `medai-service-test-${randomBytes(3).toString('hex')}`;
const PORT = 28_000 + Math.floor(Math.random() * 900);
let tag: string;
let env: Record<string, string>;
let database: string;

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000 }).trim();

beforeAll(() => {
  tag = serviceImage();
  env = peers();
});

afterAll(async () => {
    removeContainers(NAME);
  if (database) await dropDatabase(env.DATABASE_URL!, database);
});

async function ready() {
  try {
    const r = await fetch(`http://127.0.0.1:${PORT}/ready`);
    return { status: r.status, json: await r.json() };
  } catch {
    return { status: 0, json: undefined };
  }
}

async function poll(want: (r: Awaited<ReturnType<typeof ready>>) => boolean, ms: number) {
  const until = Date.now() + ms;
  let r = await ready();
  while (!want(r) && Date.now() < until) {
    await new Promise((res) => setTimeout(res, 500));
    r = await ready();
  }
  return r;
}

describe('service image', () => {
  it('is built from the local base image, labelled, and runs as a non-root user', () => {
    expect(tag).toMatch(/^medai\/medical-ai-service:\d+\.\d+\.\d+$/);
    const cfg = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config}}', tag));
    expect(cfg.User).toBe('10001:10001');
    expect(cfg.Labels['io.medai.capability']).toBe('service');
    expect(cfg.Env).toContain('MODELS_DIR=/models');
    expect(docker('run', '--rm', '--entrypoint', 'node', tag, '--version')).toMatch(/^v2\d\./);
  });

  it('fails fast with a clear message when configuration is missing', () => {
    let out = '';
    try {
      execFileSync('docker', ['run', '--rm', '-e', 'DATABASE_URL=mysql://x', tag], { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
    } catch (e) {
      out = String((e as { stderr?: string }).stderr);
    }
    expect(out).toContain('CONFIG_INVALID');
    expect(out).toContain('SECRET_KEY');
    expect(out).toContain('DATABASE_URL');
  });

  it('runs against the real peers; the CLI migrates and issues keys; /ready turns green', async () => {
    database = await createDatabase(env.DATABASE_URL!, 'medai_t_image');
    runServiceContainer({ name: NAME, tag, peers: env, database, port: PORT, overrides: { LOG_LEVEL: 'warn' } });

    const before = await poll((r) => r.status !== 0, 60_000);
    expect(before.status).toBe(503);
    expect(before.json.checks.postgres).toMatchObject({ ok: false, code: 'SCHEMA_OUTDATED' });
    expect(before.json.checks.redis.ok).toBe(true);
    expect(before.json.checks.milvus.ok).toBe(true);

    const migrated = JSON.parse(docker('exec', NAME, 'node', '/app/dist/cli.js', 'migrate'));
    expect(migrated).toMatchObject({ from: 0, applied: [1] });
    const after = await poll((r) => r.status === 200, 30_000);
    expect(after.status).toBe(200);
    expect(after.json.checks.model).toMatchObject({ name: 'all-MiniLM-L6-v2', provider: 'cpu' });

    const key = JSON.parse(docker('exec', NAME, 'node', '/app/dist/cli.js', 'keys', 'create', 'image-test'));
    expect(key.key).toMatch(/^mk_/);
    const r = await fetch(`http://127.0.0.1:${PORT}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: '急性胰腺炎' }) });
    expect(r.status).toBe(200);
    expect((await r.json()).data[0].embedding).toHaveLength(384);

    expect(JSON.parse(docker('exec', NAME, 'node', '/app/dist/cli.js', 'keys', 'revoke', key.id))).toMatchObject({ revoked: true });
    await new Promise((res) => setTimeout(res, 10_500)); // verified keys are cached for 10 s
    const revoked = await fetch(`http://127.0.0.1:${PORT}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: 'x' }) });
    expect(revoked.status).toBe(401);
    expect(docker('exec', NAME, 'id', '-u')).toBe('10001');
  });
});
