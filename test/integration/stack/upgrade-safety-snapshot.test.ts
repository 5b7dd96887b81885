import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import type { BackupRun, BackupSet, OperationEvent, StackStatus, StackUpgradeResult } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { openState } from '../../../electron/core/state/open-state';
import { CLI_PATH, REPO_ROOT } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';
import { ensureRestic, RESTIC } from '../backup/backup-fixtures';
import { addItems, ensureAppImages, freePort, items, recordAppBundle, runOperation } from './app-stack';
import { cleanupProjects, ensureTestImages, realEngine, testProject } from './stack-fixtures';

/**
 * With a backup target configured for the stack, an upgrade also snapshots it through the
 * backup engine (trigger "safety") after the local pg_dump; a target that is away does not
 * block the upgrade. Real engine, real restic, a local repository.
 */
const access = realEngine();
const tmp = makeTempDir('stacksafesnap');
const stack = testProject('safesnap');
const repoDir = path.join(tmp.dir, 'disk', 'repo');
let core: Core;
let port: number;

const stepIds = (events: OperationEvent[]): string[] => [...new Set(events.flatMap((e) => (e.type === 'progress' && e.step ? [e.step.id] : [])))];
const logs = (events: OperationEvent[]): string => events.flatMap((e) => (e.type === 'progress' && e.log ? [e.log] : [])).join('\n');

beforeAll(async () => {
  ensureRestic();
  ensureTestImages();
  ensureAppImages();
  const db = openState(tmp.dir);
  core = createCore({ dataDir: tmp.dir, db, docker: access.docker, dockerEndpoint: { ...access.endpoint, timeoutSeconds: 30 }, clock: systemClock, backupOptions: { resticBinary: RESTIC, host: 'stack-safety-test' } });
  await recordAppBundle(db, access.docker, '1.0.0', '1');
  await recordAppBundle(db, access.docker, '2.0.0', '2');
  // Version 3 runs the healthy v1 app image again (app tag 3 is the one that fails its health gate).
  await recordAppBundle(db, access.docker, '3.0.0', '1');
  port = await freePort();
  const { last } = await runOperation(core, 'stack.install', {
    stack,
    bundleVersion: '1.0.0',
    config: { bindAddress: '127.0.0.1', httpPort: port, gpu: false, adminContact: 'it@hospital.example' },
    overrideHostCheck: 'stack integration test host: no GPU',
    healthTimeoutS: 120,
  });
  if (last.type !== 'done') throw new Error(`install failed: ${JSON.stringify(last)}`);
  await addItems(port, 4);
  fs.mkdirSync(path.dirname(repoDir), { recursive: true });
  const added = await core.dispatch('backup.targets.add', { id: 'usb', location: { kind: 'local', path: repoDir } });
  if (!added.ok) throw new Error(JSON.stringify(added.error));
});

afterAll(async () => {
  await cleanupProjects(access, [stack]);
  core?.deps.db.close();
  tmp.cleanup();
});

describe('the upgrade safety snapshot through the backup engine', () => {
  it('the backup binding follows the installed stack, so the snapshot is for this stack', async () => {
    const r = await core.dispatch('backup.stack.get', {});
    expect(r.ok && (r.result as { project: string }).project).toBe(stack);
  });

  it('upgrades v1 → v2 and takes a safety snapshot into the target, named in the result', async () => {
    const { last, events } = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: '2.0.0', healthTimeoutS: 120 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    const result = (last as { result: StackUpgradeResult }).result;
    const steps = stepIds(events);
    // Appended right after the local dump; the rest of the step list is unchanged.
    expect(steps.slice(0, 3)).toEqual(['upgrade.plan', 'upgrade.backup', 'upgrade.safety-snapshot']);
    expect(fs.existsSync(result.safetyBackupDir)).toBe(true);
    expect(result.safetySnapshot && 'setId' in result.safetySnapshot).toBe(true);
    const { setId, targetId } = result.safetySnapshot as { setId: string; targetId: string };
    expect(targetId).toBe('usb');
    expect(logs(events)).toContain(`safety snapshot: set ${setId} in target usb`);

    const listed = await core.dispatch('backup.snapshots.list', { targetId: 'usb' });
    expect(listed.ok, JSON.stringify(listed)).toBe(true);
    const set = (listed as { result: BackupSet[] }).result.find((s) => s.setId === setId);
    expect(set, JSON.stringify(listed)).toBeDefined();
    expect(set!.trigger).toBe('safety');
    expect(set!.status).toBe('good');
    // Taken before the switch: it is a copy of the version upgraded away from, database included.
    expect(set!.manifest?.stackVersion).toBe('1.0.0');
    expect(set!.manifest?.stackProject).toBe(stack);
    expect(set!.components).toEqual(expect.arrayContaining(['postgres', 'manager', 'config']));
    const history = await core.dispatch('backup.history', { targetId: 'usb', kind: 'backup', limit: 10 });
    const runs = (history as { ok: true; result: BackupRun[] }).result;
    expect(runs.find((r) => r.setId === setId)).toMatchObject({ trigger: 'safety', state: 'succeeded' });
    expect(await items(port)).toEqual({ count: 4, version: 2 });
  });

  it('a target that is away does not block the upgrade: the result carries the error code', async () => {
    fs.rmSync(repoDir, { recursive: true, force: true });
    const { last, events } = await runOperation(core, 'stack.upgrade', { stack, bundleVersion: '3.0.0', healthTimeoutS: 120 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    const result = (last as { result: StackUpgradeResult }).result;
    expect(result.toVersion).toBe('3.0.0');
    expect(result.safetySnapshot && 'error' in result.safetySnapshot).toBe(true);
    const { error } = result.safetySnapshot as { error: { code: string; message: { en: string; 'zh-CN': string } } };
    expect(error.code).toMatch(/^BACKUP_/);
    expect(error.message['zh-CN'].length).toBeGreaterThan(0);
    expect(logs(events)).toContain(`failed, the upgrade goes on with the local safety backup: ${error.code}`);
    // The failed run is in the backup history with the same code; the local dump still exists.
    const history = await core.dispatch('backup.history', { targetId: 'usb', kind: 'backup', limit: 10 });
    const runs = (history as { ok: true; result: BackupRun[] }).result;
    expect(runs.some((r) => r.trigger === 'safety' && r.state === 'failed' && r.error?.code === error.code)).toBe(true);
    expect(fs.existsSync(result.safetyBackupDir)).toBe(true);
    expect(await items(port)).toEqual({ count: 4, version: 1 });
  });

  it('the manager killed around the snapshot step is recovered to exactly one version, and the target keeps working', async () => {
    const built = spawnSync('node', ['scripts/build-node.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    // A target that is there again (the test above removed its repository).
    expect((await core.dispatch('backup.targets.remove', { targetId: 'usb' })).ok).toBe(true);
    expect((await core.dispatch('backup.targets.add', { id: 'usb', location: { kind: 'local', path: repoDir } })).ok).toBe(true);
    await recordAppBundle(core.deps.db, access.docker, '4.0.0', '2');
    await recordAppBundle(core.deps.db, access.docker, '5.0.0', '1');
    const killedAt = (fault: string, version: string) => {
      const r = spawnSync('node', [CLI_PATH, '--data-dir', tmp.dir, '--json', 'stack', 'upgrade', '--bundle', version, '--stack', stack, '--health-timeout', '120'], {
        encoding: 'utf8',
        env: { ...process.env, MEDAI_FAULT_AT: fault, MEDAI_RESTIC: RESTIC },
        timeout: 300_000,
      });
      expect(r.signal, `${fault}: ${r.stdout.slice(-2000)} ${r.stderr.slice(-2000)}`).toBe('SIGKILL');
    };
    const recover = async (action: 'resume' | 'rollback') => {
      const { last } = await runOperation(core, 'stack.recover', { stack, action, healthTimeoutS: 120 });
      expect(last.type, JSON.stringify(last)).toBe('done');
      const s = await core.dispatch('stack.status', { stack });
      return (s as { ok: true; result: StackStatus }).result;
    };

    // Killed as the snapshot begins: the local safety backup is done, so resume goes forward.
    killedAt('upgrade.safety-snapshot:begin', '4.0.0');
    let status = await recover('resume');
    expect(status.openOperation).toBeNull();
    expect(status.version).toBe('4.0.0');
    expect(await items(port)).toEqual({ count: 4, version: 2 });

    // Killed once the snapshot is stored: rolled back, and the stored set stays listed as good.
    killedAt('upgrade.safety-snapshot:end', '5.0.0');
    status = await recover('rollback');
    expect(status.openOperation).toBeNull();
    expect(status.version).toBe('4.0.0');
    expect(await items(port)).toEqual({ count: 4, version: 2 });
    const listed = await core.dispatch('backup.snapshots.list', { targetId: 'usb' });
    const sets = (listed as { ok: true; result: BackupSet[] }).result;
    expect(sets.filter((s) => s.trigger === 'safety' && s.status === 'good').map((s) => s.manifest?.stackVersion)).toContain('4.0.0');
    // The target takes the next backup: nothing the killed runs left blocks it (this test stack has no Redis).
    const next = await runOperation(core, 'backup.run', { targetId: 'usb', profile: 'online', components: ['postgres', 'manager', 'config'] });
    expect(next.last.type, JSON.stringify(next.last)).toBe('done');
  });
});
