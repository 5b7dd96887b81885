import { randomBytes } from 'node:crypto';
import { fail, text, toApiError, type BackupComponentName, type ProgressUpdate, type RestoreReport } from '../../contract';
import type { BackupContext } from '../backup-context';
import { BackupConfig } from '../backup-config';
import { RunsStore } from '../runs-store';
import { runBackup } from '../snapshot/run-backup';
import { findServiceContainer } from '../snapshot/stack-locator';
import { loadSet, requireBases } from './load-set';
import { restorePostgres } from './postgres-restore';
import { restoreMilvus } from './milvus-restore';
import { restoreRedis } from './redis-restore';
import { removeScratch, startScratchLike, waitFor } from './scratch-container';

export interface RestoreRequest {
  targetId: string;
  setId: string;
  components?: BackupComponentName[];
  mode: 'in-place' | 'drill';
  confirm?: string;
  trigger?: 'manual' | 'schedule';
}

interface Reporter {
  progress(u: ProgressUpdate): void;
  signal: AbortSignal;
}

const RESTORABLE: BackupComponentName[] = ['postgres', 'redis', 'milvus'];

/**
 * Restores a set. In place: the person typed the stack's name, a safety snapshot of the
 * current state is taken first, and each component is restored side by side, verified
 * against the manifest, then swapped in. Drill: the same restore into scratch containers
 * on no network; the live stack is not touched. Either way the report lists every check.
 */
export async function runRestore(ctx: BackupContext, req: RestoreRequest, op: Reporter): Promise<RestoreReport> {
  const binding = new BackupConfig(ctx.db).stack();
  if (req.mode === 'in-place' && req.confirm !== binding.project) throw fail('BACKUP_CONFIRM_MISMATCH', { stack: binding.project });
  const started = Date.now();
  const repo = ctx.repo(req.targetId);
  const { manifest, snapshotIds } = await loadSet(repo, req.targetId, req.setId, binding);
  const wanted = (req.components ?? manifest.components.map((c) => c.name)).filter((c) => RESTORABLE.includes(c));
  const components = manifest.components.filter((c) => wanted.includes(c.name));
  requireBases(req.setId, components, snapshotIds);
  const count = components.length + (req.mode === 'in-place' ? 1 : 0);
  let safetySetId: string | null = null;
  if (req.mode === 'in-place') {
    op.progress({ step: { id: 'safety', label: text('恢复前的安全快照', 'Safety snapshot of the current state'), index: 0, count }, percent: 2 });
    safetySetId = (await runBackup(ctx, { targetId: req.targetId, profile: 'online', components: wanted, trigger: 'safety' }, op)).setId;
  }
  const runs = new RunsStore(ctx.db);
  return ctx.locks.with(req.targetId, req.mode === 'drill' ? 'drill' : 'restore', async () => {
    const runId = runs.start({ targetId: req.targetId, kind: req.mode === 'drill' ? 'drill' : 'restore', trigger: req.trigger ?? 'manual', at: ctx.clock.now().toISOString(), setId: req.setId });
    const tag = randomBytes(3).toString('hex');
    const report: RestoreReport = { setId: req.setId, mode: req.mode, safetySetId, passed: false, components: [], durationMs: 0 };
    try {
      for (const [i, component] of components.entries()) {
        const index = i + (req.mode === 'in-place' ? 1 : 0);
        const step = { id: `restore-${component.name}`, label: text(`恢复 ${component.name}`, `Restore ${component.name}`), index, count };
        op.progress({ step, percent: Math.round((index / count) * 100) });
        const log = (s: string) => op.progress({ step, log: s });
        const checks =
          component.name === 'postgres'
            ? await restorePostgresComponent(ctx, binding.project, binding.services.postgres, component, req.mode, tag, log)
            : component.name === 'milvus'
              ? await restoreMilvus(ctx.docker, binding, repo, component, { swap: req.mode === 'in-place', tag, log })
              : await restoreRedis(ctx.docker, await findServiceContainer(ctx.docker, binding.project, binding.services.redis), repo, component, { swap: req.mode === 'in-place', tag, log });
        report.components.push({ name: component.name, checks });
      }
      report.passed = report.components.every((c) => c.checks.every((k) => k.ok));
      report.durationMs = Date.now() - started;
      runs.finish(runId, ctx.clock.now().toISOString(), { ok: true, summary: report, setId: req.setId });
      return report;
    } catch (e) {
      runs.finish(runId, ctx.clock.now().toISOString(), { ok: false, error: toApiError(e) });
      throw e;
    }
  });

  async function restorePostgresComponent(
    c: BackupContext,
    project: string,
    service: string,
    component: Parameters<typeof restorePostgres>[3],
    mode: 'in-place' | 'drill',
    tag: string,
    log: (s: string) => void,
  ) {
    const live = await findServiceContainer(c.docker, project, service);
    if (mode === 'in-place') return restorePostgres(c.docker, live, repo, component, { swap: true, tag, log });
    log('postgres: starting a scratch PostgreSQL for the drill');
    const scratch = await startScratchLike(c.docker, live, `medai-drill-postgres`, { env: [...((await c.docker.getContainer(live).inspect()).Config.Env ?? []).filter((e) => !e.startsWith('POSTGRES_DB=')), `POSTGRES_PASSWORD=${randomBytes(16).toString('hex')}`] });
    try {
      await waitFor(c.docker, scratch.id, ['psql', '-X', '-At', '-d', 'postgres', '-c', 'select 1'], 'postgres');
      return await restorePostgres(c.docker, scratch.id, repo, component, { swap: true, tag, log });
    } finally {
      await removeScratch(scratch);
    }
  }
}
