import type { BackupStatus } from '../contract';
import type { BackupContext } from './backup-context';
import { RunsStore } from './runs-store';
import { intervalMs, nextRun } from './schedule/cron';
import { ScheduleStore } from './schedule/schedule-store';
import { DRILL_SCHEDULE } from './schedule/agent';

/**
 * The dashboard's view from the local history (no repository round trip, so it answers
 * at once even when a target is away). Stale: the newest good backup is older than the
 * most frequent backup schedule's interval plus one hour of grace.
 */
export function backupStatus(ctx: BackupContext): BackupStatus {
  const runs = new RunsStore(ctx.db);
  const schedules = new ScheduleStore(ctx.db);
  const now = ctx.clock.now();
  return {
    targets: ctx.targets.list().map((t) => {
      const history = runs.list({ targetId: t.id, limit: 500 });
      const good = history.find((r) => r.kind === 'backup' && r.state === 'succeeded');
      const last = history.find((r) => r.kind === 'backup');
      const drill = history.find((r) => r.kind === 'drill' && r.state !== 'running');
      const enabled = schedules.list(t.id).filter((s) => s.enabled);
      const next = enabled
        .map((s) => ({ schedule: s.name, at: nextRun(s.cron, now)?.toISOString() ?? '' }))
        .filter((n) => n.at)
        .sort((a, b) => (a.at < b.at ? -1 : 1))[0];
      const backups = enabled.filter((s) => s.name !== DRILL_SCHEDULE);
      const allowed = backups.length ? Math.min(...backups.map((s) => intervalMs(s.cron, now))) + 3_600_000 : null;
      const goodAt = good ? new Date(good.startedAt).getTime() : null;
      const since = goodAt ?? new Date(t.createdAt).getTime();
      return {
        targetId: t.id,
        lastGood: good && good.setId ? { setId: good.setId, time: good.startedAt } : null,
        lastRun: last ? { state: last.state, at: last.startedAt, code: last.error?.code ?? null } : null,
        nextRun: next ?? null,
        lastDrill: drill ? { at: drill.startedAt, passed: drill.state === 'succeeded' && (drill.summary as { passed?: boolean } | null)?.passed === true } : null,
        stale: allowed !== null && now.getTime() - since > allowed,
      };
    }),
  };
}
