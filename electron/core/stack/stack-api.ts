import fs from 'node:fs';
import type { CallHandlers, OperationBodies } from '../capability';
import { fail } from '../contract';
import type { CoreDeps } from '../core';
import { stopProject, downProject } from './engine/project-lifecycle';
import { applyStack } from './engine/reconcile';
import { stackRoot } from './files/stack-files';
import { installStack } from './ops/install';
import { stackHistory, stackLogs, stackStatus } from './ops/observe';
import { interruptedOperation, recoverStack } from './ops/recover';
import { rollbackStack } from './ops/rollback';
import { accessOf, LABELS, runStackOperation } from './ops/stack-context';
import { currentInstall, prepareUpgrade, upgradeStack } from './ops/upgrade';
import type { SafetySnapshotPort } from './safety/safety-snapshot';
import { StackStore } from './state/stack-store';

type StackCalls = 'stack.plan' | 'stack.status' | 'stack.history' | 'stack.logs';
type StackOps = 'stack.install' | 'stack.upgrade' | 'stack.rollback' | 'stack.lifecycle' | 'stack.uninstall' | 'stack.recover';

export const stackCalls = (deps: CoreDeps): CallHandlers<StackCalls> => {
  const access = accessOf(deps);
  const store = new StackStore(deps.db);
  return {
    'stack.plan': async (req) => (await prepareUpgrade({ store, deps, access }, req.stack, req.bundleVersion)).plan,
    'stack.status': (req) => stackStatus(access, deps.db, req.stack),
    'stack.history': (req) => stackHistory(access, deps.db, req.stack),
    'stack.logs': (req) => stackLogs(access, req.stack, req),
  };
};

/** `ports.safetySnapshot`: the backup engine, wired by core.ts; absent, upgrades take only the local safety backup. */
export const stackOperations = (deps: CoreDeps, ports: { safetySnapshot?: SafetySnapshotPort } = {}): OperationBodies<StackOps> => {
  const store = new StackStore(deps.db);
  const versionOf = (stack: string) => {
    const row = store.install(stack);
    return row?.state === 'installed' ? row.currentVersion : null;
  };
  return {
    'stack.install': (req, ctx) =>
      runStackOperation(deps, ctx, { stack: req.stack, kind: 'stack.install', fromVersion: null, toVersion: req.bundleVersion, request: req, plannedSteps: 10 }, (run) => installStack(run, req)),
    'stack.upgrade': (req, ctx) =>
      runStackOperation(deps, ctx, { stack: req.stack, kind: 'stack.upgrade', fromVersion: versionOf(req.stack), toVersion: req.bundleVersion, request: req, plannedSteps: 10 }, (run) => upgradeStack(run, req, ports.safetySnapshot)),
    'stack.rollback': (req, ctx) =>
      runStackOperation(deps, ctx, { stack: req.stack, kind: 'stack.rollback', fromVersion: versionOf(req.stack), toVersion: req.toVersion, request: req, plannedSteps: 10 }, (run) => rollbackStack(run, req)),
    'stack.lifecycle': (req, ctx) =>
      runStackOperation(deps, ctx, { stack: req.stack, kind: 'stack.lifecycle', fromVersion: versionOf(req.stack), toVersion: versionOf(req.stack), request: req, plannedSteps: 2 }, async (run) => {
        const current = currentInstall(run, req.stack);
        let services: string[] = [];
        if (req.action !== 'start') {
          services = await run.step(`lifecycle.stop`, LABELS.stopApp, () => stopProject(run.access, req.stack, current.model.services.map((s) => s.name)));
        }
        if (req.action !== 'stop') {
          // Start is the same health-gated reconcile as install: dependency order, nothing recreated.
          const r = await run.step(`lifecycle.start`, LABELS.apply(current.version), () =>
            applyStack(run.access, { project: req.stack, model: current.model, stackVersion: current.version, gpu: current.config.gpu, volumeRoot: current.config.dataDir, healthTimeoutMs: req.healthTimeoutS * 1000, log: run.log }),
          );
          services = r.actions.map((a) => a.service);
        }
        return { stack: req.stack, action: req.action, services };
      }),
    'stack.uninstall': async (req, ctx) => {
      // Checked before the operation starts: a typo must not even open a journal entry.
      if (req.deleteData && req.confirm !== req.stack) throw fail('STACK_CONFIRMATION_MISMATCH', { stack: req.stack });
      return runStackOperation(deps, ctx, { stack: req.stack, kind: 'stack.uninstall', fromVersion: versionOf(req.stack), toVersion: null, request: req, plannedSteps: 2 }, async (run) => {
        if (!store.install(req.stack) && !req.deleteData) throw fail('STACK_NOT_INSTALLED', { stack: req.stack });
        const removed = await run.step('uninstall.down', LABELS.remove(req.stack), () => downProject(run.access, req.stack, { deleteVolumes: req.deleteData }));
        await run.step('uninstall.record', LABELS.record, async () => {
          store.markUninstalled(req.stack, deps.clock.now().toISOString());
          // Without its data the secrets and version files mean nothing; with it they are needed to use it again.
          if (req.deleteData) fs.rmSync(stackRoot(deps.dataDir, req.stack), { recursive: true, force: true });
        });
        return { stack: req.stack, containers: removed.containers, networks: removed.networks, volumesDeleted: removed.volumes, dataKept: !req.deleteData };
      });
    },
    'stack.recover': async (req, ctx) => {
      const open = interruptedOperation({ store, deps }, req.stack);
      if (!open) throw fail('STACK_NOTHING_TO_RECOVER', { stack: req.stack });
      return runStackOperation(
        deps,
        ctx,
        { stack: req.stack, kind: 'stack.recover', fromVersion: open.fromVersion, toVersion: open.toVersion, request: req, plannedSteps: 8, recovering: true },
        (run) => recoverStack(run, req, open),
      );
    },
  };
};
