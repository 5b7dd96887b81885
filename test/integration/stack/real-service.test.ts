import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import type { EnvVariable } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';
import { ENV_SCHEMA, freePort, recordBundle, runOperation, sql } from './app-stack';
import { cleanupProjects, ensureTestImages, realEngine, testProject } from './stack-fixtures';

/**
 * The acceptance scenario with the real medical-ai-service image (service/Dockerfile) and a
 * real Milvus server in the stack (the PyPI wheel's embedded server, test/images/milvus):
 * install v1 → write documents through the service → upgrade to v2 (different image, carries
 * migration 2) → documents intact → v3 fails its health gate → automatic rollback to v2,
 * documents intact → manual rollback to v1 with the database from v1's safety backup.
 */
const access = realEngine();
const tmp = makeTempDir('stackreal');
const stack = testProject('real');
let core: Core;
let port: number;
let apiKey: string;

const compose = (serviceImage: string) => `services:
  postgres:
    image: medai-test/postgres:15
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
    volumes: ["pgdata:/var/lib/postgresql/data"]
    healthcheck: { test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U postgres"], interval: 1s, timeout: 3s, retries: 60 }
    labels: { ai.medai.role: database }
    restart: unless-stopped
  redis:
    image: medai-test/redis:7
    environment:
      REDIS_PASSWORD: \${REDIS_PASSWORD}
    volumes: ["redisdata:/data"]
    healthcheck: { test: ["CMD-SHELL", "REDISCLI_AUTH=$$REDIS_PASSWORD redis-cli -h 127.0.0.1 ping | grep -q PONG"], interval: 1s, timeout: 3s, retries: 30 }
    restart: unless-stopped
  milvus:
    image: medai-test/milvus:2.3.5
    volumes: ["milvusdata:/var/lib/milvus"]
    healthcheck: { test: ["CMD", "curl", "-fsS", "http://127.0.0.1:9091/healthz"], interval: 2s, timeout: 5s, retries: 150 }
    restart: unless-stopped
  service:
    image: ${serviceImage}
    environment:
      DATABASE_URL: postgresql://postgres:\${POSTGRES_PASSWORD}@postgres:5432/postgres
      REDIS_URL: redis://redis:6379/0
      REDIS_PASSWORD: \${REDIS_PASSWORD}
      MILVUS_HOST: milvus
      MILVUS_PORT: "19530"
      SECRET_KEY: \${SECRET_KEY}
      JWT_SECRET: \${JWT_SECRET}
      EXECUTION_PROVIDER: cpu
    ports: ["\${MEDAI_BIND_ADDRESS}:\${MEDAI_HTTP_PORT}:8000"]
    depends_on:
      postgres: { condition: service_healthy }
      redis: { condition: service_healthy }
      milvus: { condition: service_healthy }
    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:8000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
      interval: 1s
      timeout: 3s
      retries: 5
      start_period: 30s
    restart: unless-stopped
    x-medai-readiness: { path: /ready, port: 8000 }
    x-medai-migrate: { command: ["node", "/app/dist/cli.js", "migrate"] }
volumes:
  pgdata: {}
  redisdata: {}
  milvusdata: {}
`;

const SCHEMA: EnvVariable[] = [
  ...ENV_SCHEMA,
  { name: 'REDIS_PASSWORD', description: { 'zh-CN': 'Redis 密码', en: 'Redis password' }, secret: true, generate: 'base64url48', required: true },
  { name: 'SECRET_KEY', description: { 'zh-CN': '密钥', en: 'Secret key' }, secret: true, generate: 'hex32', required: true },
  { name: 'JWT_SECRET', description: { 'zh-CN': 'JWT 密钥', en: 'JWT secret' }, secret: true, generate: 'hex32', required: true },
];

const IMAGES = { '1.0.0': 'medai/medical-ai-service:0.1.0', '2.0.0': 'medai-stacktest/service:2', '3.0.0': 'medai-stacktest/service:3' } as const;

function buildServiceImages(): void {
  // The real service image comes from service/ (its build script); v2 and v3 derive from it here.
  execFileSync('docker', ['image', 'inspect', IMAGES['1.0.0']], { stdio: 'pipe' });
  const dir = new URL('./service-images', import.meta.url).pathname;
  for (const v of ['2', '3']) execFileSync('docker', ['build', '-q', '--label', 'medai.test-image=1', '-f', `${dir}/Dockerfile.v${v}`, '-t', `medai-stacktest/service:${v}`, dir], { stdio: 'pipe' });
}

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...init.headers } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function documentsPresent(ids: string[]): Promise<boolean> {
  for (const id of ids) if ((await api(`/v1/documents/${id}`)).status !== 200) return false;
  return true;
}

const schemaVersion = () => sql(stack, 'SELECT max(version) FROM schema_migrations');

beforeAll(async () => {
  ensureTestImages();
  buildServiceImages();
  core = createCore({ dataDir: tmp.dir, db: openState(tmp.dir), docker: access.docker, dockerEndpoint: { ...access.endpoint, timeoutSeconds: 30 }, clock: systemClock });
  for (const [v, image] of Object.entries(IMAGES)) {
    await recordBundle(core.deps.db, access.docker, v, compose(image), SCHEMA, [
      ['postgres', 'medai-test/postgres:15'],
      ['redis', 'medai-test/redis:7'],
      ['milvus', 'medai-test/milvus:2.3.5'],
      ['service', image],
    ]);
  }
  port = await freePort();
});

afterAll(async () => {
  await cleanupProjects(access, [stack]);
  core?.deps.db.close();
  tmp.cleanup();
});

describe('acceptance with the real service and a real Milvus in the stack', () => {
  const v1Docs = ['doc-v1-a', 'doc-v1-b'];

  it('installs v1 (migration 1 through the service CLI) and takes documents through the service', async () => {
    const { last } = await runOperation(core, 'stack.install', { stack, bundleVersion: '1.0.0', config: { httpPort: port }, overrideHostCheck: 'acceptance test host', healthTimeoutS: 300 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    expect(schemaVersion()).toBe('1');
    const key = JSON.parse(execFileSync('docker', ['exec', `${stack}-service-1`, 'node', '/app/dist/cli.js', 'keys', 'create', 'acceptance'], { encoding: 'utf8' })) as { key: string };
    apiKey = key.key;
    for (const id of v1Docs) {
      const r = await api('/v1/documents', { method: 'POST', body: JSON.stringify({ id, text: `Patient education leaflet ${id}: take the medicine with water.`, lang: 'en' }) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    expect(await documentsPresent(v1Docs)).toBe(true);
  });

  it('upgrades to v2 with its migration; documents intact', async () => {
    const { last } = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: '2.0.0', healthTimeoutS: 300 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    expect(schemaVersion()).toBe('2');
    expect(await documentsPresent(v1Docs)).toBe(true);
    const r = await api('/v1/documents', { method: 'POST', body: JSON.stringify({ id: 'doc-v2', text: 'Written after the upgrade.', lang: 'en' }) });
    expect(r.status).toBe(201);
  });

  it('rolls back automatically when v3 fails its health gate; v2 and its documents intact', async () => {
    const { last } = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: '3.0.0', healthTimeoutS: 120 });
    expect(last.type === 'failed' && last.error.code).toBe('STACK_UPGRADE_ROLLED_BACK');
    const status = (await core.dispatch('stack.status', { stack })) as { ok: true; result: { version: string } };
    expect(status.result.version).toBe('2.0.0');
    expect(await documentsPresent([...v1Docs, 'doc-v2'])).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
  });

  it('rolls back by hand to v1 with the database from v1’s safety backup', async () => {
    const { last } = await runOperation(core, 'stack.rollback', { stack, toVersion: '1.0.0', restoreDatabase: true, confirm: stack, healthTimeoutS: 300 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    expect(schemaVersion()).toBe('1');
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    expect(await documentsPresent(v1Docs)).toBe(true);
    // Written under v2, after v1's safety backup: gone with the restore, as the wizard warns.
    expect((await api('/v1/documents/doc-v2')).status).toBe(404);
  });
});
