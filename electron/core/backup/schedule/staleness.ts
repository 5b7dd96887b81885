import type { BackupStaleness } from '../../contract';
import { intervalMs } from './cron';
import { DRILL_SCHEDULE } from './agent';

/** The most grace a schedule gets: a long backup may still be running, or start a little late. */
export const MAX_GRACE_MS = 3_600_000;

/**
 * The staleness rule the dashboard, the Backups page and the CLI share:
 *
 *   stale  ⇔  now − since > I + min(I, 1 h)
 *
 * where I is the interval of the most frequent enabled backup schedule (the gap between
 * its next two runs from now; the drill schedule makes no backups and does not count), and
 * `since` is the start of the newest good backup, or the target's creation when it never
 * had one. The grace is capped at one interval so a 5-minute schedule is overdue after 10
 * minutes, not after an hour; hourly and daily schedules get the full hour (2 h, 25 h).
 * Without an enabled backup schedule nothing says how old is too old: never stale.
 */
export function staleness(
  schedules: readonly { name: string; cron: string; enabled: boolean }[],
  newestGood: string | null,
  targetCreatedAt: string,
  now: Date,
): BackupStaleness | null {
  const tightest = schedules
    .filter((s) => s.enabled && s.name !== DRILL_SCHEDULE)
    .map((s) => ({ schedule: s.name, intervalMs: intervalMs(s.cron, now) }))
    .sort((a, b) => a.intervalMs - b.intervalMs)[0];
  if (!tightest) return null;
  const graceMs = Math.min(tightest.intervalMs, MAX_GRACE_MS);
  const since = newestGood ?? targetCreatedAt;
  const ageMs = Math.max(0, now.getTime() - new Date(since).getTime());
  const allowedMs = tightest.intervalMs + graceMs;
  return { ...tightest, graceMs, allowedMs, since, ageMs, stale: ageMs > allowedMs };
}
