import { Cron } from 'croner';
import { fail } from '../../contract';

/** Parses a five-field cron expression (host local time) or fails with a clear error. */
export function parseCron(expression: string): Cron {
  if (expression.trim().split(/\s+/).length !== 5) throw fail('BACKUP_SCHEDULE_INVALID', { expression, reason: 'five fields expected (minute hour day month weekday)' });
  try {
    return new Cron(expression, { paused: true });
  } catch (e) {
    throw fail('BACKUP_SCHEDULE_INVALID', { expression, reason: (e as Error).message });
  }
}

/** Every scheduled instant in (after, until]: what should have run. */
export function slotsBetween(expression: string, after: Date, until: Date, max = 1000): Date[] {
  const cron = parseCron(expression);
  const out: Date[] = [];
  let t: Date | null = after;
  while (out.length < max && (t = cron.nextRun(t)) && t.getTime() <= until.getTime()) out.push(t);
  return out;
}

export function nextRun(expression: string, after: Date): Date | null {
  return parseCron(expression).nextRun(after);
}

/** The usual gap between two runs, for "the newest good backup is too old" alerts. */
export function intervalMs(expression: string, from: Date): number {
  const cron = parseCron(expression);
  const a = cron.nextRun(from);
  const b = a ? cron.nextRun(a) : null;
  return a && b ? b.getTime() - a.getTime() : 86_400_000;
}
