import path from 'node:path';
import { fail, type OperationResult, type ParsedRequest } from '../../contract';
import { preflight } from '../engine/preflight';
import { loadVersionModel, stackRoot } from '../files/stack-files';
import { dumpDatabases } from '../safety/pg-safety';
import { LABELS, type StackRun } from './stack-context';
import { currentInstall, returnTo } from './upgrade';

type Req = ParsedRequest<'stack.rollback'>;
type Result = OperationResult<'stack.rollback'>;

/** The version a manual rollback goes to, checked before anything changes. */
export async function rollbackTarget(run: Pick<StackRun, 'store' | 'access'>, stack: string, version: string, restoreDatabase: boolean) {
  const row = run.store.version(stack, version);
  if (!row) throw fail('STACK_VERSION_UNAVAILABLE', { version, reason: 'it was never installed here' });
  const model = loadVersionModel(row.stackDir);
  try {
    // Images only: ports and volumes belong to the running stack already.
    await preflight(run.access, stack, { ...model, volumes: [], services: model.services.map((s) => ({ ...s, ports: [] })) });
  } catch (e) {
    throw fail('STACK_VERSION_UNAVAILABLE', { version, reason: 'its images are no longer in the Docker engine' }, (e as Error).message);
  }
  if (restoreDatabase && !row.safetyBackupDir) throw fail('STACK_VERSION_UNAVAILABLE', { version, reason: 'it has no safety backup to restore the database from' });
  return { row, model };
}

/**
 * Manual rollback to an earlier installed version: a safety backup of the current state
 * first (so the rollback itself can be undone), then optionally the database from that
 * version's safety backup, then its images and config, health-gated.
 */
export async function rollbackStack(run: StackRun, req: Req): Promise<Result> {
  const t0 = Date.now();
  if (req.confirm !== req.stack) throw fail('STACK_CONFIRMATION_MISMATCH', { stack: req.stack });
  const current = currentInstall(run, req.stack);
  const { row, model } = await run.step('rollback.check', LABELS.preflight, () => rollbackTarget(run, req.stack, req.toVersion, req.restoreDatabase));
  let backupDir: string | null = null;
  if (req.restoreDatabase) {
    backupDir = path.join(stackRoot(run.deps.dataDir, req.stack), 'backups', `${current.version}-${run.deps.clock.now().toISOString().replace(/[:.]/g, '-')}`);
    const dir = backupDir;
    await run.step('rollback.backup', LABELS.backup, () => dumpDatabases(run.access, req.stack, current.model, dir, current.dir), { backupDir });
  }
  await returnTo(run, 'rollback', req.stack, { version: req.toVersion, dir: row.stackDir, model, config: current.config }, req.restoreDatabase ? row.safetyBackupDir : null, req.healthTimeoutS * 1000);
  return { stack: req.stack, fromVersion: current.version, toVersion: req.toVersion, databaseRestored: req.restoreDatabase, safetyBackupDir: backupDir, durationMs: Date.now() - t0 };
}
