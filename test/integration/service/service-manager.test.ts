import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import { createCore, type Core } from '../../../electron/core/core';
import { connectDocker, dockerEndpointFromEnv } from '../../../electron/core/engine/docker-endpoint';
import { openState } from '../../../electron/core/state/open-state';
import { api, createDatabase, dropDatabase, peers, removeContainers, runServiceContainer, serviceImage, startHarness, type Harness } from './support';

// The manager's side, through the contract: service.status reads a real running service's
// /ready and /metrics; keys and migrations go through the real service container's CLI.
let core: Core;
let dataDir: string;
let h: Harness;
const NAME = `medai-service-mgr-${randomBytes(3).toString('hex')}`;
let database = '';
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'medai-svc-mgr-'));
  const dockerEndpoint = { ...dockerEndpointFromEnv(), timeoutSeconds: 30 };
  core = createCore({ dataDir, db: openState(dataDir), docker: connectDocker(dockerEndpoint), dockerEndpoint, clock: systemClock });
  h = await startHarness('mgr');
  env = peers();
});

afterAll(async () => {
  await h?.close();
    removeContainers(NAME);
  if (database) await dropDatabase(env.DATABASE_URL!, database);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('service.status', () => {
  it('reports readiness per dependency, the model and provider, and figures from /metrics', { timeout: 120_000 }, async () => {
    await api(h, 'POST', '/v1/embeddings', { input: [`status probe ${Date.now()} a`, `status probe ${Date.now()} b`] }); // fresh texts: a cache hit runs no batch
    // Peers may have started moments ago (Milvus takes a while to answer health checks).
    let r = await core.dispatch('service.status', { url: h.url, apiKey: h.key });
    for (let i = 0; i < 60 && !(r.ok && (r.result as { ready: boolean }).ready); i++) {
      await new Promise((res) => setTimeout(res, 1000));
      r = await core.dispatch('service.status', { url: h.url, apiKey: h.key });
    }
    expect(r.ok).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field below
    const s = (r as { result: Record<string, any> }).result;
    expect(s.ready).toBe(true);
    expect(Object.keys(s.dependencies).sort()).toEqual(['milvus', 'postgres', 'redis']);
    expect(s.model).toMatchObject({ name: 'all-MiniLM-L6-v2', dimension: 384, provider: 'cpu' });
    expect(s.metrics.requestsTotal).toBeGreaterThan(0);
    expect(s.metrics.batchSizeMean).toBeGreaterThan(0);
    expect(s.metrics.residentMemoryBytes).toBeGreaterThan(10 * 2 ** 20);
  });

  it('leaves metrics out without a key, refuses a bad key, and says when the service is unreachable', async () => {
    const noKey = (await core.dispatch('service.status', { url: h.url })) as { ok: true; result: { metrics: unknown; ready: boolean } };
    expect(noKey.result.metrics).toBeNull();
    const bad = await core.dispatch('service.status', { url: h.url, apiKey: 'mk_0000000000000000_' + 'x'.repeat(43) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'SERVICE_KEY_REJECTED' } });
    const down = await core.dispatch('service.status', { url: 'http://127.0.0.1:9' });
    expect(down).toMatchObject({ ok: false, error: { code: 'SERVICE_UNREACHABLE' } });
    expect((down as { error: { message: { 'zh-CN': string } } }).error.message['zh-CN']).toContain('无法连接推理服务');
  });
});

describe('service keys and migrations through the container CLI', () => {
  it('migrates, creates, lists and revokes keys in a running service container', async () => {
    const tag = serviceImage();
    database = await createDatabase(env.DATABASE_URL!, 'medai_t_mgr');
    const port = 28_900 + Math.floor(Math.random() * 90);
    runServiceContainer({ name: NAME, tag, peers: env, database, port });

    const missing = await core.dispatch('service.keys.list', { container: `${NAME}-absent` });
    expect(missing).toMatchObject({ ok: false, error: { code: 'SERVICE_CONTAINER_NOT_FOUND' } });

    const m = (await core.dispatch('service.migrate', { container: NAME })) as { ok: boolean; result: { applied: number[] } };
    expect(m.ok).toBe(true);
    expect(m.result.applied).toEqual([1]);
    const again = (await core.dispatch('service.migrate', { container: NAME })) as { ok: boolean; result: { applied: number[] } };
    expect(again.result.applied).toEqual([]);

    const created = (await core.dispatch('service.keys.create', { container: NAME, name: 'dashboard' })) as { ok: boolean; result: { id: string; key: string } };
    expect(created.ok).toBe(true);
    expect(created.result.key).toMatch(/^mk_[0-9a-f]{16}_/);
    const list = (await core.dispatch('service.keys.list', { container: NAME })) as { ok: boolean; result: Array<{ id: string; revoked_at: string | null }> };
    expect(list.result.find((k) => k.id === created.result.id)?.revoked_at).toBeNull();
    expect(JSON.stringify(list.result)).not.toContain(created.result.key);

    // The key works against the container's API, and status reads its metrics with it.
    const until = Date.now() + 60_000;
    let st;
    do {
      st = (await core.dispatch('service.status', { url: `http://127.0.0.1:${port}`, apiKey: created.result.key })) as { ok: boolean; result?: { ready: boolean } };
      if (st.ok && st.result?.ready) break;
      await new Promise((r) => setTimeout(r, 1000));
    } while (Date.now() < until);
    expect(st.ok && st.result?.ready).toBe(true);

    const revoked = await core.dispatch('service.keys.revoke', { container: NAME, id: created.result.id });
    expect(revoked).toMatchObject({ ok: true, result: { id: created.result.id, revoked: true } });
    const twice = await core.dispatch('service.keys.revoke', { container: NAME, id: created.result.id });
    expect(twice).toMatchObject({ ok: false, error: { code: 'SERVICE_CLI_FAILED' } });
    const bad = await core.dispatch('service.keys.create', { container: NAME, name: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});
