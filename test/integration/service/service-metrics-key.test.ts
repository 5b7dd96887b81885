import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/program';
import { systemClock } from '../../../electron/core/clock';
import type { ApiError, ServiceStatus } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { connectDocker, dockerEndpointFromEnv } from '../../../electron/core/engine/docker-endpoint';
import { metricsKeyDir, metricsKeyFile } from '../../../electron/core/service/metrics-key-store';
import { openState } from '../../../electron/core/state/open-state';
import { freePort } from '../stack/app-stack';
import { createDatabase, dropDatabase, peers, removeContainers, ROOT, runServiceContainer, serviceImage, waitReady } from './support';

// The manager's own metrics key, end to end on a real medical-ai-service container over
// real PostgreSQL, Redis and Milvus: created through the container's CLI, kept 0600 in the
// data directory, used by service.status when no key is given, refused when someone revokes
// it behind the manager's back (readiness still shown), revoked and deleted on disable.
const NAME = `medai-service-mkey-${randomBytes(3).toString('hex')}`;
let core: Core;
let dataDir: string;
let env: Record<string, string>;
let database = '';
let url = '';

const dispatch = async <T,>(method: string, params: unknown) => (await core.dispatch(method, params)) as { ok: true; result: T } | { ok: false; error: ApiError };
const status = () => dispatch<ServiceStatus>('service.status', { url, container: NAME });
const stored = () => JSON.parse(readFileSync(metricsKeyFile(dataDir, NAME), 'utf8')) as { id: string; key: string };
const metricsStatus = (key: string) => fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
const cliKeys = () => JSON.parse(execFileSync('docker', ['exec', NAME, 'node', '/app/dist/cli.js', 'keys', 'list'], { encoding: 'utf8' }).trim().split('\n').pop()!) as { keys: Array<{ id: string; name: string; revoked_at: string | null }> };

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['--data-dir', dataDir, ...argv], { stdout: (t) => (out += `${t}\n`), stderr: (t) => (out += `${t}\n`), env: process.env, appRoot: ROOT });
  return { code, out };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'medai-svc-mkey-'));
  const dockerEndpoint = { ...dockerEndpointFromEnv(), timeoutSeconds: 30 };
  core = createCore({ dataDir, db: openState(dataDir), docker: connectDocker(dockerEndpoint), dockerEndpoint, clock: systemClock });
  env = peers();
  const tag = serviceImage();
  database = await createDatabase(env.DATABASE_URL!, 'medai_t_mkey');
  const port = await freePort();
  runServiceContainer({ name: NAME, tag, peers: env, database, port });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const m = await dispatch('service.migrate', { container: NAME });
    if (m.ok) break;
    if (i >= 60) throw new Error(`migrations did not run: ${JSON.stringify(m)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (let until = Date.now() + 120_000; (await fetch(`${url}/health`).then((r) => r.status, () => 0)) !== 200; ) {
    if (Date.now() > until) throw new Error(`${NAME} did not open ${url}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect((await waitReady({ url }, 120_000)).status).toBe(200);
}, 900_000);

afterAll(async () => {
    removeContainers(NAME);
  if (database) await dropDatabase(env.DATABASE_URL!, database);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the manager-held metrics key', () => {
  let firstKey = '';
  let secondKey = '';

  it('refuses bad input and an absent container without writing anything', async () => {
    await expect(dispatch('service.metricsKey.enable', { container: '../etc' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    await expect(dispatch('service.status', { url, container: 'a/b' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    await expect(dispatch('service.metricsKey.enable', { container: `${NAME}-absent` })).resolves.toMatchObject({ ok: false, error: { code: 'SERVICE_CONTAINER_NOT_FOUND' } });
    expect(existsSync(metricsKeyDir(dataDir)) ? readdirSync(metricsKeyDir(dataDir)) : []).toEqual([]);
    // Nothing held yet: readiness, no figures, and the status says the manager holds no key.
    const s = await status();
    expect(s).toMatchObject({ ok: true, result: { ready: true, metrics: null, managedMetricsKey: null, metricsError: null } });
    const disabled = await dispatch('service.metricsKey.disable', { container: NAME });
    expect(disabled).toEqual({ ok: true, result: { container: NAME, id: null, revoked: false } });
  });

  it('enable creates the key in the service, keeps it 0600, and status reads /metrics without a key given', { timeout: 60_000 }, async () => {
    const r = await dispatch<{ id: string; name: string; createdAt: string }>('service.metricsKey.enable', { container: NAME });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.result).sort()).toEqual(['container', 'createdAt', 'id', 'name']);
    expect(r.result.name).toBe('medai-manager-metrics');
    const file = metricsKeyFile(dataDir, NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(metricsKeyDir(dataDir)).mode & 0o777).toBe(0o700);
    firstKey = stored().key;
    expect(firstKey).toMatch(/^mk_[0-9a-f]{16}_/);
    expect(stored().id).toBe(r.result.id);
    expect(JSON.stringify(r)).not.toContain(firstKey);
    expect(cliKeys().keys.find((k) => k.id === r.result.id)).toMatchObject({ name: 'medai-manager-metrics', revoked_at: null });

    await fetch(`${url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${firstKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: [`mkey ${Date.now()}`] }) });
    const s = await status();
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.result.ready).toBe(true);
    expect(s.result.metrics?.requestsTotal).toBeGreaterThan(0);
    expect(s.result.metricsError).toBeNull();
    expect(s.result.managedMetricsKey).toEqual(r.result);
    expect(JSON.stringify(s)).not.toContain(firstKey);
    expect(JSON.stringify(s)).not.toContain(firstKey.slice(20));
    // The CLI shows the same figures and never the key.
    const out = await cli('service', 'status', '--url', url, '--container', NAME, '--json');
    expect(out.code).toBe(0);
    expect((JSON.parse(out.out) as ServiceStatus).metrics?.requestsTotal).toBeGreaterThan(0);
    expect(out.out).not.toContain(firstKey);
    // Nothing the manager keeps elsewhere holds the key: only its own 0600 file does.
    for (const f of readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())) {
      const path = join(f.parentPath, f.name);
      if (path === file) continue;
      expect(readFileSync(path).includes(firstKey), path).toBe(false);
    }
    // A caller's own key still wins and a wrong one is still its own error.
    await expect(dispatch('service.status', { url, container: NAME, apiKey: 'mk_0000000000000000_' + 'x'.repeat(43) })).resolves.toMatchObject({ ok: false, error: { code: 'SERVICE_KEY_REJECTED' } });
  });

  it('says clearly when someone revoked the key behind the manager, and keeps readiness', { timeout: 60_000 }, async () => {
    const { id } = stored();
    execFileSync('docker', ['exec', NAME, 'node', '/app/dist/cli.js', 'keys', 'revoke', id], { stdio: 'ignore' });
    // The service caches key checks for up to 10 s.
    let s = await status();
    for (let until = Date.now() + 20_000; Date.now() < until && !(s.ok && s.result.metricsError); ) {
      await new Promise((r) => setTimeout(r, 1000));
      s = await status();
    }
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.result.metricsError?.code).toBe('SERVICE_MANAGED_KEY_REFUSED');
    expect(s.result.metricsError?.message.en).toContain(NAME);
    expect(s.result.metricsError?.message['zh-CN']).toContain('拒绝了管理程序');
    expect(s.result.metricsError?.remedy.en).toContain('medai service metrics-key enable');
    expect(s.result.metrics).toBeNull();
    expect(s.result.ready).toBe(true);
    expect(Object.keys(s.result.dependencies).sort()).toEqual(['milvus', 'postgres', 'redis']);
    expect(s.result.managedMetricsKey?.id).toBe(id);
    const text = await cli('service', 'status', '--url', url, '--container', NAME, '--lang', 'en');
    expect(text.code).toBe(0);
    expect(text.out).toContain('[SERVICE_MANAGED_KEY_REFUSED]');
  });

  it('enable through the CLI replaces a refused key and the figures come back', { timeout: 60_000 }, async () => {
    const before = stored().id;
    const out = await cli('service', 'metrics-key', 'enable', '--container', NAME, '--json');
    expect(out.code).toBe(0);
    const shown = JSON.parse(out.out) as { id: string; name: string };
    expect(shown.id).not.toBe(before);
    secondKey = stored().key;
    expect(out.out).not.toContain(secondKey);
    expect(statSync(metricsKeyFile(dataDir, NAME)).mode & 0o777).toBe(0o600);
    const s = await status();
    expect(s).toMatchObject({ ok: true, result: { ready: true, metricsError: null, managedMetricsKey: { id: shown.id } } });
    expect(s.ok && s.result.metrics).toBeTruthy();
    // Enabling again while a good key is held replaces it and revokes the old one.
    const again = await dispatch<{ id: string }>('service.metricsKey.enable', { container: NAME });
    expect(again.ok && again.result.id).not.toBe(shown.id);
    expect(cliKeys().keys.find((k) => k.id === shown.id)?.revoked_at).not.toBeNull();
    await expect.poll(() => metricsStatus(secondKey), { timeout: 20_000, interval: 1000 }).toBe(401);
    secondKey = stored().key;
  });

  it('disable revokes the key in the service and deletes the file', { timeout: 60_000 }, async () => {
    const { id } = stored();
    expect(await metricsStatus(secondKey)).toBe(200);
    const out = await cli('service', 'metrics-key', 'disable', '--container', NAME, '--json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.out)).toEqual({ container: NAME, id, revoked: true });
    expect(existsSync(metricsKeyFile(dataDir, NAME))).toBe(false);
    expect(cliKeys().keys.find((k) => k.id === id)?.revoked_at).not.toBeNull();
    await expect.poll(() => metricsStatus(secondKey), { timeout: 20_000, interval: 1000 }).toBe(401);
    await expect(status()).resolves.toMatchObject({ ok: true, result: { ready: true, metrics: null, managedMetricsKey: null } });
    expect(firstKey).not.toBe(secondKey);
  });

  it('keeps the file when the container is gone, so the key can still be revoked later', { timeout: 60_000 }, async () => {
    const enabled = await dispatch<{ id: string }>('service.metricsKey.enable', { container: NAME });
    expect(enabled.ok).toBe(true);
    execFileSync('docker', ['stop', '-t', '2', NAME], { stdio: 'ignore' });
    const r = await dispatch('service.metricsKey.disable', { container: NAME });
    expect(r).toMatchObject({ ok: false, error: { code: 'SERVICE_CONTAINER_NOT_FOUND' } });
    expect(existsSync(metricsKeyFile(dataDir, NAME))).toBe(true);
    execFileSync('docker', ['start', NAME], { stdio: 'ignore' });
    await expect.poll(async () => (await dispatch('service.metricsKey.disable', { container: NAME })).ok, { timeout: 60_000, interval: 2000 }).toBe(true);
    expect(existsSync(metricsKeyFile(dataDir, NAME))).toBe(false);
  });
});
