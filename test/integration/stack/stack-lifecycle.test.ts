import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import type { StackInstallResult, StackPlan, StackStatus } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { openState } from '../../../electron/core/state/open-state';
import { loadVersionModel } from '../../../electron/core/stack/files/stack-files';
import { applyStack } from '../../../electron/core/stack/engine/reconcile';
import { makeTempDir } from '../../support/temp-dir';
import { addItems, ensureAppImages, freePort, items, recordAppBundle, runOperation, sql } from './app-stack';
import { cleanupProjects, ensureTestImages, projectObjects, realEngine, testProject } from './stack-fixtures';

const access = realEngine();
const tmp = makeTempDir('stacklife');
const stack = testProject('life');
let core: Core;
let port: number;

beforeAll(async () => {
  ensureTestImages();
  ensureAppImages();
  const db = openState(tmp.dir);
  core = createCore({ dataDir: tmp.dir, db, docker: access.docker, dockerEndpoint: { ...access.endpoint, timeoutSeconds: 30 }, clock: systemClock });
  await recordAppBundle(db, access.docker, '1.0.0', '1');
  await recordAppBundle(db, access.docker, '2.0.0', '2');
  await recordAppBundle(db, access.docker, '3.0.0', '3');
  port = await freePort();
});

afterAll(async () => {
  await cleanupProjects(access, [stack]);
  core?.deps.db.close();
  tmp.cleanup();
});

/** The stack runs exactly `version`: re-applying that version's files changes nothing. */
async function expectExactly(version: string) {
  const model = loadVersionModel(path.join(tmp.dir, 'stacks', stack, 'versions', version));
  const r = await applyStack(access, { project: stack, model, stackVersion: version, gpu: false, healthTimeoutMs: 30_000 });
  expect(r.actions.map((a) => a.action)).toEqual(['keep', 'keep']);
}

describe('stack lifecycle on the real engine: install → upgrade → failed upgrade → rollback', () => {
  it('installs v1 with generated secrets, health-gated, and a summary', async () => {
    const { last, events } = await runOperation(core, 'stack.install', {
      stack,
      bundleVersion: '1.0.0',
      config: { bindAddress: '127.0.0.1', httpPort: port, gpu: false, adminContact: 'it@hospital.example' },
      overrideHostCheck: 'stack integration test host: no GPU',
      healthTimeoutS: 120,
    });
    expect(last.type, JSON.stringify(last)).toBe('done');
    const result = (last as { result: StackInstallResult }).result;
    expect(result.urls).toEqual([`http://127.0.0.1:${port}`]);
    // The override is used (and journaled) only when the real host check fails here.
    expect(result.hostCheck.overridden).toBe(['fail', 'error'].includes(result.hostCheck.worst) ? 'stack integration test host: no GPU' : null);
    expect(result.data.map((d) => d.volume)).toEqual([`${stack}_pgdata`]);
    expect(fs.existsSync(result.data[0]!.mountpoint)).toBe(true);
    const steps = events.flatMap((e) => (e.type === 'progress' && e.step ? [e.step.id] : []));
    expect(steps).toEqual(['install.host-check', 'install.files', 'install.preflight', 'install.service.postgres', 'install.migrate.app', 'install.service.app', 'install.verify', 'install.record']);
    // Secrets: generated, 0600, and never in any event.
    const secrets = path.join(tmp.dir, 'stacks', stack, 'secrets.env');
    expect(fs.statSync(secrets).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(result.stackDir, '.env')).mode & 0o777).toBe(0o600);
    const password = /POSTGRES_PASSWORD=(.+)/.exec(fs.readFileSync(secrets, 'utf8'))![1]!;
    expect(password.length).toBeGreaterThanOrEqual(48);
    expect(JSON.stringify(events)).not.toContain(password);
    expect(sql(stack, 'SELECT v FROM schema_version')).toBe('1');
    await addItems(port, 5);
    expect(await items(port)).toEqual({ count: 5, version: 1 });
  });

  it('reports status with health, restart counts, CPU and memory', async () => {
    const r = await core.dispatch('stack.status', { stack });
    expect(r.ok).toBe(true);
    const status = (r as { result: StackStatus }).result;
    expect(status.version).toBe('1.0.0');
    expect(status.services.map((s) => [s.service, s.state, s.health, s.version])).toEqual([
      ['app', 'running', 'healthy', '1.0.0'],
      ['postgres', 'running', 'healthy', '1.0.0'],
    ]);
    expect(status.services.every((s) => s.restartCount === 0 && (s.memoryBytes ?? 0) > 0)).toBe(true);
    const again = await runOperation(core, 'stack.install', { stack, bundleVersion: '1.0.0', overrideHostCheck: 'test', config: { httpPort: port } });
    expect(again.last.type === 'failed' && again.last.error.code).toBe('STACK_ALREADY_INSTALLED');
  });

  it('plans the upgrade: only the app changes, and it migrates', async () => {
    const r = await core.dispatch('stack.plan', { stack, bundleVersion: '2.0.0' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const plan = (r as { result: StackPlan }).result;
    expect(plan.services.map((s) => [s.service, s.change, s.migrates])).toEqual([
      ['postgres', 'unchanged', false],
      ['app', 'update', true],
    ]);
    expect(plan.services[1]!.configDiff).toContain('image');
    expect(plan.migrations).toBe(true);
  });

  it('upgrades to v2 with a safety backup and the migration; data intact', async () => {
    const { last } = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: '2.0.0', healthTimeoutS: 120 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    expect(await items(port)).toEqual({ count: 5, version: 2 });
    expect(sql(stack, 'SELECT v FROM schema_version')).toBe('2');
    await addItems(port, 3);
    await expectExactly('2.0.0');
    // Going back is a rollback, never an upgrade; and no release may be skipped.
    const down = await core.dispatch('stack.plan', { stack, bundleVersion: '1.0.0' });
    expect(!down.ok && down.error.code).toBe('BUNDLE_DOWNGRADE');
    await recordAppBundle(core.deps.db, access.docker, '9.0.0', '2', '3.0.0');
    const skip = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: '9.0.0' });
    expect(skip.last.type === 'failed' && skip.last.error.code).toBe('BUNDLE_UPGRADE_PATH');
    await expectExactly('2.0.0');
  });

  it('rolls back automatically when v3 fails its health gate; v2 and its data intact', async () => {
    const { last, events } = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: '3.0.0', healthTimeoutS: 60 });
    expect(last.type).toBe('failed');
    const error = (last as { error: { code: string; detail?: string } }).error;
    expect(error.code).toBe('STACK_UPGRADE_ROLLED_BACK');
    const report = JSON.parse(error.detail!) as { failedStep: string; rolledBackTo: string; databaseRestored: boolean };
    expect(report).toMatchObject({ failedStep: 'upgrade.service.app', rolledBackTo: '2.0.0', databaseRestored: true });
    expect(events.some((e) => e.type === 'progress' && e.step?.id === 'auto-rollback.restore')).toBe(true);
    expect(await items(port)).toEqual({ count: 8, version: 2 });
    await expectExactly('2.0.0');
    const status = (await core.dispatch('stack.status', { stack })) as { ok: true; result: StackStatus };
    expect(status.result.version).toBe('2.0.0');
    expect(status.result.openOperation).toBeNull();
  });

  it('rolls back by hand to v1 with the database from v1’s safety backup', async () => {
    const wrong = await runOperation(core, 'stack.rollback', { stack, toVersion: '1.0.0', restoreDatabase: true, confirm: 'not-the-name' });
    expect(wrong.last.type === 'failed' && wrong.last.error.code).toBe('STACK_CONFIRMATION_MISMATCH');
    const history = (await core.dispatch('stack.history', { stack })) as { ok: true; result: { version: string; current: boolean; imagesPresent: boolean; safetyBackupAt: string | null }[] };
    expect(history.result.map((h) => [h.version, h.current, h.imagesPresent, h.safetyBackupAt !== null])).toEqual([
      ['1.0.0', false, true, true],
      ['2.0.0', true, true, true],
    ]);
    const { last } = await runOperation(core, 'stack.rollback', { stack, toVersion: '1.0.0', restoreDatabase: true, confirm: stack, healthTimeoutS: 120 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    expect(await items(port)).toEqual({ count: 5, version: 1 });
    expect(sql(stack, 'SELECT v FROM schema_version')).toBe('1');
    // The column v2's migration added is gone: the database is v1's, not v2's with rows removed.
    expect(sql(stack, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'tag'")).toBe('0');
    await expectExactly('1.0.0');
  });

  it('stops, starts and shows logs', async () => {
    const stop = await runOperation(core, 'stack.lifecycle', { stack, action: 'stop' });
    expect(stop.last.type).toBe('done');
    const stopped = (await core.dispatch('stack.status', { stack })) as { ok: true; result: StackStatus };
    expect(stopped.result.services.map((s) => s.state)).toEqual(['exited', 'exited']);
    const start = await runOperation(core, 'stack.lifecycle', { stack, action: 'start', healthTimeoutS: 120 });
    expect(start.last.type, JSON.stringify(start.last)).toBe('done');
    expect(await items(port)).toEqual({ count: 5, version: 1 });
    const logs = (await core.dispatch('stack.logs', { stack, service: 'postgres', tail: 50, filter: 'ready to accept' })) as { ok: true; result: { lines: { service: string; text: string }[] } };
    expect(logs.result.lines.length).toBeGreaterThan(0);
    expect(logs.result.lines.every((l) => l.service === 'postgres' && l.text.includes('ready to accept'))).toBe(true);
  });

  it('uninstalls keeping data by default; deleting data needs the typed name', async () => {
    const keep = await runOperation(core, 'stack.uninstall', { stack });
    expect(keep.last.type).toBe('done');
    expect(await projectObjects(access, stack)).toEqual({ containers: 0, networks: 0, volumes: 1 });
    const typo = await runOperation(core, 'stack.uninstall', { stack, deleteData: true, confirm: 'medai' });
    expect(typo.last.type === 'failed' && typo.last.error.code).toBe('STACK_CONFIRMATION_MISMATCH');
    expect((await projectObjects(access, stack)).volumes).toBe(1);
    const del = await runOperation(core, 'stack.uninstall', { stack, deleteData: true, confirm: stack });
    expect(del.last.type).toBe('done');
    expect(await projectObjects(access, stack)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
