import { fail, StackInstallRequest, StackRollbackRequest, type OperationResult, type ParsedRequest } from '../../contract';
import { loadVersionModel, versionDir } from '../files/stack-files';
import { StepJournal } from '../state/step-journal';
import type { StackOperationRow } from '../state/stack-store';
import { deployServices } from './deploy';
import { installStack, undoInstall } from './install';
import { LABELS, type StackRun } from './stack-context';
import { returnTo } from './upgrade';
import { verifyEndpoints } from './verify-endpoints';
import { processAlive } from '../../operations/process-alive';

type Req = ParsedRequest<'stack.recover'>;
type Result = OperationResult<'stack.recover'>;

/** The open stack operation, if its process is gone (one still running is not ours to touch). */
export function interruptedOperation(run: Pick<StackRun, 'store' | 'deps'>, stack: string): StackOperationRow | null {
  const open = run.store.openOperation(stack);
  if (!open) return null;
  const op = run.deps.db.prepare('SELECT state, pid FROM operations WHERE id = ?').get(open.operationId) as { state: string; pid: number } | undefined;
  if (op?.state === 'running' && (op.pid === process.pid || processAlive(op.pid))) {
    throw fail('STACK_OPERATION_OPEN', { stack, operation: open.operationId, kind: open.kind, step: StepJournal.lastStep(run.deps.db, open.operationId) ?? '-' }, 'it is still running');
  }
  return open;
}

const beginData = (run: StackRun, operationId: string, step: string): Record<string, unknown> =>
  (StepJournal.records(run.deps.db, operationId).find((r) => r.step === step && r.phase === 'begin')?.data as Record<string, unknown> | null) ?? {};

/**
 * After a crash: finish the interrupted operation (resume) or put the stack back where it
 * was before it (rollback). Both end with the stack fully on one version, health-gated,
 * because every step below is the same idempotent reconcile the operations use.
 */
export async function recoverStack(run: StackRun, req: Req, open: StackOperationRow): Promise<Result> {
  const old = new StepJournal(run.deps.db, run.deps.clock, open.operationId, () => undefined);
  const timeout = req.healthTimeoutS * 1000;
  const stack = req.stack;
  let version: string | null = null;
  run.log(`recovering ${open.kind} ${open.operationId} (stopped at ${StepJournal.lastStep(run.deps.db, open.operationId) ?? 'start'}) by ${req.action}`);

  if (open.kind === 'stack.install') {
    const ireq = StackInstallRequest.parse(open.request);
    if (req.action === 'resume') {
      version = (await installStack(run, ireq, 'resume')).version;
    } else {
      const pre = (beginData(run, open.operationId, 'install.preflight').preexistingVolumes as string[] | undefined) ?? [];
      await run.step('recover.undo-install', LABELS.remove(stack), async () => {
        // Killed after its record step: the record goes too, or it would claim a stack that is gone.
        if (run.store.install(stack)?.state === 'installed') run.store.markUninstalled(stack, run.deps.clock.now().toISOString());
        await undoInstall(run, stack, versionDir(run.deps.dataDir, stack, ireq.bundleVersion), pre);
      });
    }
  } else if (open.kind === 'stack.upgrade' || open.kind === 'stack.rollback') {
    const install = run.store.install(stack);
    if (!install || !open.fromVersion || !open.toVersion) throw fail('STACK_NOT_INSTALLED', { stack });
    const prefix = open.kind === 'stack.upgrade' ? 'upgrade' : 'rollback';
    const fromRow = run.store.version(stack, open.fromVersion);
    const fromDir = fromRow?.stackDir ?? versionDir(run.deps.dataDir, stack, open.fromVersion);
    const toDir = versionDir(run.deps.dataDir, stack, open.toVersion);
    const backupDir = (beginData(run, open.operationId, `${prefix}.backup`).backupDir as string | undefined) ?? null;
    // An upgrade that never finished its safety backup cannot go forward safely: it goes back.
    const forward = req.action === 'resume' && (open.kind === 'stack.rollback' || old.ended('upgrade.backup'));
    if (forward) {
      const model = loadVersionModel(toDir);
      if (open.kind === 'stack.upgrade') {
        await deployServices(run, { prefix: 'recover', project: stack, model, version: open.toVersion, config: install.config, healthTimeoutMs: timeout });
        await run.step('recover.verify', LABELS.verify, () => verifyEndpoints(model, timeout, run.log));
        await run.step('recover.record', LABELS.record, async () => {
          const at = run.deps.clock.now().toISOString();
          run.store.recordVersion(stack, open.toVersion!, toDir, at);
          run.store.setCurrent(stack, open.toVersion!, install.config, at);
        });
      } else {
        const rreq = StackRollbackRequest.parse(open.request);
        const target = run.store.version(stack, open.toVersion);
        const restore = rreq.restoreDatabase && !old.ended('rollback.restore') ? (target?.safetyBackupDir ?? null) : null;
        await returnTo(run, 'recover', stack, { version: open.toVersion, dir: target?.stackDir ?? toDir, model, config: install.config }, restore, timeout);
      }
      version = open.toVersion;
    } else {
      const migrated = prefix === 'upgrade' ? StepJournal.records(run.deps.db, open.operationId).some((r) => r.step.startsWith('upgrade.migrate.') && r.phase === 'begin') : old.began('rollback.restore');
      await returnTo(run, 'recover', stack, { version: open.fromVersion, dir: fromDir, model: loadVersionModel(fromDir), config: install.config }, migrated ? backupDir : null, timeout);
      version = open.fromVersion;
    }
  } else {
    run.log(`${open.kind} holds no half-made state; it is closed without changes`);
    version = run.store.install(stack)?.currentVersion ?? null;
  }
  run.store.closeOperation(open.operationId, req.action === 'resume' ? 'succeeded' : 'rolled_back', { recoveredBy: run.ctx.id, action: req.action }, run.deps.clock.now().toISOString());
  return { stack, recovered: open.operationId as Result['recovered'], kind: open.kind, action: req.action, version };
}
