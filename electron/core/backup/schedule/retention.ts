import { toApiError, type RetentionPreview } from '../../contract';
import type { BackupContext } from '../backup-context';
import { BackupConfig } from '../backup-config';
import { RunsStore } from '../runs-store';
import { listSets } from '../snapshot/backup-sets';
import { planRetention } from './keep-rules';
import { ScheduleStore } from './schedule-store';

/** What the keep rules would keep and delete right now; deletes nothing. */
export async function previewRetention(ctx: BackupContext, targetId: string): Promise<RetentionPreview> {
  const sets = await listSets(ctx.repo(targetId));
  return planRetention(sets, new ScheduleStore(ctx.db).list(targetId), new BackupConfig(ctx.db).keep(targetId), ctx.clock.now());
}

/**
 * Applies the keep rules: forgets every snapshot of the sets to remove, then (optionally)
 * prunes unreferenced data. Runs under the repository lock, never beside a backup.
 */
export async function applyRetention(ctx: BackupContext, targetId: string, opts: { prune: boolean; trigger?: string }): Promise<RetentionPreview> {
  return ctx.locks.with(targetId, 'prune', async () => {
    const runs = new RunsStore(ctx.db);
    const runId = runs.start({ targetId, kind: 'prune', trigger: opts.trigger ?? 'manual', at: ctx.clock.now().toISOString() });
    try {
      const repo = ctx.repo(targetId);
      const sets = await listSets(repo);
      const plan = planRetention(sets, new ScheduleStore(ctx.db).list(targetId), new BackupConfig(ctx.db).keep(targetId), ctx.clock.now());
      const removeIds = new Set(plan.remove.map((r) => r.setId));
      const ids = sets.filter((s) => removeIds.has(s.setId)).flatMap((s) => s.snapshotIds);
      await repo.forget(ids, opts.prune);
      runs.finish(runId, ctx.clock.now().toISOString(), { ok: true, summary: { kept: plan.keep.length, removed: plan.remove.length } });
      return plan;
    } catch (e) {
      runs.finish(runId, ctx.clock.now().toISOString(), { ok: false, error: toApiError(e) });
      throw e;
    }
  });
}
