import type { BackupProblem, BackupRun, BackupStatus } from '../contract';
import type { BackupContext } from './backup-context';
import { RunsStore } from './runs-store';
import { nextRun } from './schedule/cron';
import { ScheduleStore } from './schedule/schedule-store';
import { staleness } from './schedule/staleness';

/** Outcomes that mean the newest backup run did not produce a good set. */
const BAD_RUN_STATES = new Set<BackupRun['state']>(['failed', 'interrupted', 'missed']);

type Manifest = { durationMs?: number; totalBytes?: number; addedBytes?: number };

/**
 * The dashboard's view from the local history (no repository round trip, so it answers
 * at once even when a target is away). Stale: see schedule/staleness.ts for the rule.
 * Every time is taken from ctx.clock, so tests can move "now".
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
      const own = schedules.list(t.id);
      const nextRuns = own
        .filter((s) => s.enabled)
        .map((s) => ({ schedule: s.name, cron: s.cron, at: nextRun(s.cron, now)?.toISOString() ?? '' }))
        .filter((n) => n.at)
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const verdict = staleness(own, good?.startedAt ?? null, t.createdAt, now);
      const problems: BackupProblem[] = [];
      if (verdict?.stale) problems.push('stale');
      if (last && BAD_RUN_STATES.has(last.state)) problems.push('last-run-failed');
      const m = (last?.state === 'succeeded' ? last.summary : null) as Manifest | null;
      return {
        targetId: t.id,
        lastGood: good && good.setId ? { setId: good.setId, time: good.startedAt } : null,
        lastRun: last
          ? {
              state: last.state,
              at: last.startedAt,
              code: last.error?.code ?? null,
              endedAt: last.endedAt,
              durationMs: m?.durationMs ?? (last.endedAt && last.state !== 'missed' ? new Date(last.endedAt).getTime() - new Date(last.startedAt).getTime() : null),
              totalBytes: m?.totalBytes ?? null,
              addedBytes: m?.addedBytes ?? null,
              setId: last.setId,
              schedule: last.scheduleName,
            }
          : null,
        nextRun: nextRuns[0] ? { schedule: nextRuns[0].schedule, at: nextRuns[0].at } : null,
        nextRuns,
        lastDrill: drill
          ? {
              at: drill.startedAt,
              passed: drill.state === 'succeeded' && (drill.summary as { passed?: boolean } | null)?.passed === true,
              setId: drill.setId,
              code: drill.error?.code ?? null,
            }
          : null,
        stale: verdict?.stale ?? false,
        staleness: verdict,
        problems,
      };
    }),
  };
}
