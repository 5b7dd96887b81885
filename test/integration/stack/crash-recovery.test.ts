import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import type { StackStatus } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { openState } from '../../../electron/core/state/open-state';
import { applyStack } from '../../../electron/core/stack/engine/reconcile';
import { loadVersionModel } from '../../../electron/core/stack/files/stack-files';
import { CLI_PATH, REPO_ROOT } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';
import { addItems, ensureAppImages, freePort, items, recordAppBundle, runOperation } from './app-stack';
import { cleanupProjects, ensureTestImages, projectObjects, realEngine, testProject } from './stack-fixtures';

/**
 * Kills the manager (SIGKILL, through MEDAI_FAULT_AT) at every step boundary of an upgrade,
 * and at chosen boundaries of install and rollback, on the real engine; then recovers by
 * resume or rollback and checks that the stack runs exactly one version with its data.
 */
const access = realEngine();
const tmp = makeTempDir('stackcrash');
const stack = testProject('crash');
let core: Core;
let port: number;
let next = 1;
/** Versions and the app image each runs. */
const appTagOf = new Map<string, string>([['1.1.0', '1']]);

function cliKilledAt(fault: string, args: string[]): void {
  const r = spawnSync('node', [CLI_PATH, '--data-dir', tmp.dir, '--json', 'stack', ...args, '--stack', stack, '--health-timeout', '60'], {
    encoding: 'utf8',
    env: { ...process.env, MEDAI_FAULT_AT: fault },
    timeout: 120_000,
  });
  expect(r.signal, `${fault}: ${r.stdout.slice(-2000)} ${r.stderr.slice(-2000)}`).toBe('SIGKILL');
}

async function status(): Promise<StackStatus> {
  const r = await core.dispatch('stack.status', { stack });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.result as StackStatus;
}

async function recover(action: 'resume' | 'rollback'): Promise<void> {
  const { last } = await runOperation(core, 'stack.recover', { stack, action, healthTimeoutS: 60 });
  expect(last.type, JSON.stringify(last)).toBe('done');
}

/** Exactly one version runs: its own files re-applied change nothing, and nothing is left open. */
async function expectExactly(version: string): Promise<void> {
  const s = await status();
  expect(s.openOperation).toBeNull();
  expect(s.version).toBe(version);
  const model = loadVersionModel(path.join(tmp.dir, 'stacks', stack, 'versions', version));
  const r = await applyStack(access, { project: stack, model, stackVersion: version, gpu: false, healthTimeoutMs: 30_000 });
  expect(r.actions.map((a) => a.action)).toEqual(['keep', 'keep']);
}

/** A fresh bundle version with the other app image than `from`, so the upgrade replaces the app and migrates. */
async function nextBundle(from: string): Promise<string> {
  next += 1;
  const version = `1.${next}.0`;
  const tag = appTagOf.get(from) === '1' ? '2' : '1';
  appTagOf.set(version, tag);
  await recordAppBundle(core.deps.db, access.docker, version, tag);
  return version;
}

beforeAll(async () => {
  ensureTestImages();
  ensureAppImages();
  const built = spawnSync('node', ['scripts/build-node.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  core = createCore({ dataDir: tmp.dir, db: openState(tmp.dir), docker: access.docker, dockerEndpoint: { ...access.endpoint, timeoutSeconds: 30 }, clock: systemClock });
  await recordAppBundle(core.deps.db, access.docker, '1.1.0', '1');
  port = await freePort();
});

afterAll(async () => {
  await cleanupProjects(access, [stack]);
  core?.deps.db.close();
  tmp.cleanup();
});

describe('crash at every step boundary, then resume or roll back', () => {
  const INSTALL_STEPS = ['install.host-check', 'install.files', 'install.preflight', 'install.service.postgres', 'install.migrate.app', 'install.service.app', 'install.verify', 'install.record'];
  const installArgs = () => ['install', '--bundle', '1.1.0', '--port', String(port), '--override-host-check', 'crash test host'];

  for (const [i, fault] of INSTALL_STEPS.flatMap((s) => [`${s}:begin`, `${s}:end`]).entries()) {
    const action = i % 2 === 0 ? 'rollback' : 'resume';
    it(`install killed at ${fault}, recovered by ${action}`, async () => {
      cliKilledAt(fault, installArgs());
      const open = (await status()).openOperation;
      expect(open?.kind).toBe('stack.install');
      expect(open?.lastStep).toBe(fault);
      if (i === 0) {
        // Another change is refused while the interrupted one is open.
        const blocked = await runOperation(core, 'stack.lifecycle', { stack, action: 'restart' });
        expect(blocked.last.type === 'failed' && blocked.last.error.code).toBe('STACK_OPERATION_OPEN');
      }
      await recover(action);
      if (action === 'rollback') {
        expect(await projectObjects(access, stack)).toEqual({ containers: 0, networks: 0, volumes: 0 });
        expect((await status()).installed).toBe(false);
        return;
      }
      await expectExactly('1.1.0');
      expect((await items(port)).count).toBe(0);
      // Start the next boundary from nothing again.
      const gone = await runOperation(core, 'stack.uninstall', { stack, deleteData: true, confirm: stack });
      expect(gone.last.type).toBe('done');
    });
  }

  it('installs cleanly for the upgrade boundaries', async () => {
    const { last } = await runOperation(core, 'stack.install', { stack, bundleVersion: '1.1.0', config: { httpPort: port }, overrideHostCheck: 'crash test host', healthTimeoutS: 60 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    await expectExactly('1.1.0');
    await addItems(port, 4);
  });

  const UPGRADE_STEPS = ['upgrade.plan', 'upgrade.backup', 'upgrade.service.postgres', 'upgrade.migrate.app', 'upgrade.service.app', 'upgrade.verify', 'upgrade.record'];
  const boundaries = UPGRADE_STEPS.flatMap((s) => [`${s}:begin`, `${s}:end`]);
  let current = '1.1.0';
  let rows = 4;

  for (const [i, fault] of boundaries.entries()) {
    const action = i % 2 === 0 ? 'rollback' : 'resume';
    it(`upgrade killed at ${fault}, recovered by ${action}`, async () => {
      const target = await nextBundle(current);
      cliKilledAt(fault, ['upgrade', '--bundle', target]);
      const open = (await status()).openOperation;
      expect(open?.kind).toBe('stack.upgrade');
      expect(open?.lastStep).toBe(fault);
      await recover(action);
      // Resume goes forward only with a finished safety backup; before that it goes back.
      const forward = action === 'resume' && boundaries.indexOf(fault) >= boundaries.indexOf('upgrade.backup:end');
      current = forward ? target : current;
      await expectExactly(current);
      expect((await items(port)).count).toBe(rows);
      await addItems(port, 1);
      rows += 1;
    });
  }

  const ROLLBACK_STEPS = ['rollback.check', 'rollback.backup', 'rollback.stop-app', 'rollback.restore', 'rollback.service.postgres', 'rollback.service.app', 'rollback.verify', 'rollback.record'];
  const rollbackBoundaries = ROLLBACK_STEPS.flatMap((s) => [`${s}:begin`, `${s}:end`]);

  for (const [i, fault] of rollbackBoundaries.entries()) {
    const action = i % 2 === 0 ? 'rollback' : 'resume';
    it(`rollback (with the database) killed at ${fault}, recovered by ${action}`, async () => {
      const history = (await core.dispatch('stack.history', { stack })) as { ok: true; result: { version: string; safetyBackupAt: string | null; imagesPresent: boolean }[] };
      const target = history.result.find((h) => h.safetyBackupAt && h.imagesPresent && h.version !== current)!.version;
      cliKilledAt(fault, ['rollback', '--to', target, '--restore-database', '--confirm', stack]);
      expect((await status()).openOperation?.lastStep).toBe(fault);
      await recover(action);
      if (action === 'rollback') {
        // Back where it was, with its rows (the pre-rollback safety dump put them back if a restore had begun).
        await expectExactly(current);
        expect((await items(port)).count).toBe(rows);
      } else {
        // Finished: the target version with the database of its safety backup.
        current = target;
        await expectExactly(current);
        rows = (await items(port)).count;
      }
      await addItems(port, 1);
      rows += 1;
    });
  }
});
