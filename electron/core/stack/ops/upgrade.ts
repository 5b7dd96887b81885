import path from 'node:path';
import { CoreError, fail, type OperationResult, type ParsedRequest, type StackConfig, type StackPlan } from '../../contract';
import { checkVersionPolicy } from '../../bundle/version-policy';
import type { StackModel } from '../compose/stack-model';
import { preflight } from '../engine/preflight';
import { loadVersionModel, resolveEnv, stackRoot, versionDir, writeVersionFiles } from '../files/stack-files';
import { databaseService, dumpDatabases, restoreDatabases } from '../safety/pg-safety';
import { takeSafetySnapshot, type SafetySnapshotOutcome, type SafetySnapshotPort } from '../safety/safety-snapshot';
import { deployServices, importedManifest } from './deploy';
import { planUpgrade } from './plan';
import { LABELS, type StackRun } from './stack-context';
import { verifyEndpoints } from './verify-endpoints';
import { stopServices } from './stop-services';

type Req = ParsedRequest<'stack.upgrade'>;
type Result = OperationResult<'stack.upgrade'>;

export interface Installed {
  version: string;
  config: StackConfig;
  dir: string;
  model: StackModel;
}

export function currentInstall(run: Pick<StackRun, 'store'>, stack: string): Installed {
  const row = run.store.install(stack);
  if (!row || row.state !== 'installed' || !row.currentVersion) throw fail('STACK_NOT_INSTALLED', { stack });
  const v = run.store.version(stack, row.currentVersion);
  if (!v) throw fail('STACK_NOT_INSTALLED', { stack }, `no record of version ${row.currentVersion}`);
  return { version: row.currentVersion, config: row.config, dir: v.stackDir, model: loadVersionModel(v.stackDir) };
}

/** Reads the plan for upgrading the installed stack to an imported bundle (writes that version's files). */
export async function prepareUpgrade(run: Pick<StackRun, 'store' | 'deps' | 'access'>, stack: string, bundleVersion: string): Promise<{ from: Installed; toDir: string; toModel: StackModel; plan: StackPlan }> {
  const from = currentInstall(run, stack);
  const manifest = importedManifest(run.deps.db, bundleVersion);
  // Same rules as the bundle import: no downgrade by upgrade (rollback is the way back), and
  // no skipping a release whose migrations this one relies on.
  checkVersionPolicy(manifest, from.version, false);
  const toDir = versionDir(run.deps.dataDir, stack, bundleVersion);
  const env = resolveEnv(run.deps.dataDir, stack, manifest.envSchema, from.config);
  const toModel = writeVersionFiles(toDir, manifest.compose.content, env);
  const [idsA, idsB] = [await preflight(run.access, stack, { ...from.model, volumes: [], services: from.model.services.map((s) => ({ ...s, ports: [] })) }), await preflight(run.access, stack, toModel)];
  const plan = planUpgrade(stack, { version: from.version, model: from.model, imageIds: idsA }, { version: bundleVersion, model: toModel, imageIds: idsB, releaseNotes: manifest.releaseNotes }, from.config.gpu);
  return { from, toDir, toModel, plan };
}

/** Puts the stack back on `version` (its images and config), restoring the database first when asked. */
export async function returnTo(run: StackRun, prefix: string, stack: string, target: { version: string; dir: string; model: StackModel; config: StackConfig }, restoreFrom: string | null, healthTimeoutMs: number): Promise<void> {
  if (restoreFrom) {
    const db = databaseService(target.model);
    await run.step(`${prefix}.stop-app`, LABELS.stopApp, () => stopServices(run.access, stack, target.model, (s) => s !== db));
    await run.step(`${prefix}.restore`, LABELS.restore, () => restoreDatabases(run.access, stack, target.model, restoreFrom));
  }
  // Migrations already ran on this data when this version was installed; never re-run them backwards.
  await deployServices(run, { prefix, project: stack, model: target.model, version: target.version, config: target.config, healthTimeoutMs, migrateServices: new Set() });
  await run.step(`${prefix}.verify`, LABELS.verify, () => verifyEndpoints(target.model, healthTimeoutMs, run.log));
  await run.step(`${prefix}.record`, LABELS.record, async () => {
    const at = run.deps.clock.now().toISOString();
    run.store.recordVersion(stack, target.version, target.dir, at);
    run.store.setCurrent(stack, target.version, target.config, at);
  });
}

/** Whether any migration of this operation began: then the database may hold the new schema. */
export const migrationsBegan = (run: StackRun, prefix: string, model: StackModel): boolean => model.services.some((s) => s.migrate && run.journal.began(`${prefix}.migrate.${s.name}`));

/**
 * Upgrade: plan → safety backup (database dump + config copy) → changed services replaced
 * in dependency order, each migration first, each health-gated → endpoints → record. Any
 * failure rolls back automatically to the previous images and config, and restores the
 * database from the safety backup when a migration ran; then fails with what happened.
 */
export async function upgradeStack(run: StackRun, req: Req, snapshots?: SafetySnapshotPort): Promise<Result> {
  const t0 = Date.now();
  const healthTimeoutMs = req.healthTimeoutS * 1000;
  const { from, toDir, toModel, plan } = await run.step('upgrade.plan', LABELS.plan, () => prepareUpgrade(run, req.stack, req.bundleVersion));
  run.log(`plan: ${plan.services.map((s) => `${s.service}=${s.change}`).join(', ')}`);
  const backupDir = path.join(stackRoot(run.deps.dataDir, req.stack), 'backups', `${from.version}-${run.deps.clock.now().toISOString().replace(/[:.]/g, '-')}`);
  await run.step(
    'upgrade.backup',
    LABELS.backup,
    async () => {
      const b = await dumpDatabases(run.access, req.stack, from.model, backupDir, from.dir);
      run.store.recordSafetyBackup(req.stack, from.version, backupDir, run.deps.clock.now().toISOString());
      run.log(`safety backup: ${b.databases.length} database(s) in ${backupDir}`);
    },
    { backupDir },
  );
  // The off-box copy comes after the local dump (own step, so the existing step boundaries
  // stay as they were) and never blocks the upgrade: the rollback restores from the local dump.
  const targetId = snapshots?.targetFor(req.stack) ?? null;
  let safetySnapshot: SafetySnapshotOutcome | undefined;
  if (snapshots && targetId) {
    safetySnapshot = await run.step('upgrade.safety-snapshot', LABELS.safetySnapshot, () => takeSafetySnapshot(snapshots, targetId, from.model.services.map((s) => s.name), run.ctx, run.log), { targetId });
  }
  const migrate = new Set(plan.services.filter((s) => s.migrates).map((s) => s.service));
  try {
    await deployServices(run, { prefix: 'upgrade', project: req.stack, model: toModel, version: req.bundleVersion, config: from.config, healthTimeoutMs, migrateServices: migrate });
    await run.step('upgrade.verify', LABELS.verify, () => verifyEndpoints(toModel, healthTimeoutMs, run.log));
    await run.step('upgrade.record', LABELS.record, async () => {
      const at = run.deps.clock.now().toISOString();
      run.store.recordVersion(req.stack, req.bundleVersion, toDir, at);
      run.store.setCurrent(req.stack, req.bundleVersion, from.config, at);
    });
  } catch (e) {
    const failedStep = run.journal.lastFailedStep() ?? 'upgrade';
    const restore = migrationsBegan(run, 'upgrade', toModel) ? backupDir : null;
    run.log(`upgrade failed at ${failedStep}: ${(e as Error).message}; rolling back to ${from.version}${restore ? ' with the database from the safety backup' : ''}`);
    await returnTo(run, 'auto-rollback', req.stack, from, restore, healthTimeoutMs);
    const cause = e instanceof CoreError ? e.error : null;
    const report = { failedStep, cause, rolledBackTo: from.version, databaseRestored: !!restore, backupDir };
    run.store.closeOperation(run.ctx.id, 'rolled_back', report, run.deps.clock.now().toISOString());
    throw fail(
      'STACK_UPGRADE_ROLLED_BACK',
      { to: req.bundleVersion, step: failedStep, from: from.version },
      JSON.stringify(report),
    );
  }
  return { stack: req.stack, fromVersion: from.version, toVersion: req.bundleVersion, plan, safetyBackupDir: backupDir, ...(safetySnapshot ? { safetySnapshot } : {}), durationMs: Date.now() - t0 };
}
