import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import { createCore, type Core } from '../../../electron/core/core';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';
import { freePort, recordBundle, runOperation, sql } from './app-stack';
import { buildServiceImages, IMAGES, realServiceCompose as compose, REAL_SCHEMA as SCHEMA } from './real-service-stack';
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

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...init.headers } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function documentsPresent(ids: string[]): Promise<boolean> {
  for (const id of ids) if ((await api(`/v1/documents/${id}`)).status !== 200) return false;
  return true;
}

/** /ready reports the peers (PostgreSQL, Redis, Milvus) live; on 2 busy cores a check can time out once. */
async function readyWithin(ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => ({ status: 0 }))).status;
    if (status === 200) return status;
    await new Promise((r) => setTimeout(r, 500));
  }
  return status;
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
    expect(await readyWithin(30_000)).toBe(200);
  });

  it('rolls back by hand to v1 with the database from v1’s safety backup', async () => {
    const { last } = await runOperation(core, 'stack.rollback', { stack, toVersion: '1.0.0', restoreDatabase: true, confirm: stack, healthTimeoutS: 300 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    expect(schemaVersion()).toBe('1');
    expect(await readyWithin(30_000)).toBe(200);
    expect(await documentsPresent(v1Docs)).toBe(true);
    // Written under v2, after v1's safety backup: gone with the restore, as the wizard warns.
    expect((await api('/v1/documents/doc-v2')).status).toBe(404);
  });
});
