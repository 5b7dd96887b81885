import { DEFAULT_SCHEDULES, Schedule } from '../../contract';
import type { StateDb } from '../../state/open-state';
import { parseCron } from './cron';

type Row = { target_id: string; name: string; cron: string; profile: 'full' | 'online'; enabled: number; last_due_at: string | null; keep_days: number };

export interface StoredSchedule extends Schedule {
  targetId: string;
  /** The last scheduled instant that was handled (run, or recorded as missed). */
  lastDueAt: string | null;
}

/** Schedules per target; a new target gets the product defaults (daily 02:00, hourly). */
export class ScheduleStore {
  constructor(private readonly db: StateDb) {}

  list(targetId?: string): StoredSchedule[] {
    const rows = this.db.prepare('SELECT * FROM backup_schedules WHERE (? IS NULL OR target_id = ?) ORDER BY target_id, name').all(targetId ?? null, targetId ?? null) as Row[];
    return rows.map((r) => ({ targetId: r.target_id, name: r.name, cron: r.cron, profile: r.profile, enabled: r.enabled === 1, keepDays: r.keep_days, lastDueAt: r.last_due_at }));
  }

  /** Replaces a target's schedules; every cron is checked before anything is written. */
  set(targetId: string, schedules: Schedule[], now: Date): StoredSchedule[] {
    const parsed = schedules.map((s) => Schedule.parse(s));
    parsed.forEach((s) => parseCron(s.cron));
    const previous = new Map(this.list(targetId).map((s) => [s.name, s.lastDueAt]));
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM backup_schedules WHERE target_id = ?').run(targetId);
      const ins = this.db.prepare('INSERT INTO backup_schedules (target_id, name, cron, profile, enabled, last_due_at, keep_days) VALUES (?, ?, ?, ?, ?, ?, ?)');
      // A new schedule counts from now: it does not report the past as missed.
      for (const s of parsed) ins.run(targetId, s.name, s.cron, s.profile, s.enabled ? 1 : 0, previous.get(s.name) ?? now.toISOString(), s.keepDays);
    })();
    return this.list(targetId);
  }

  setDefaults(targetId: string, now: Date): StoredSchedule[] {
    return this.set(targetId, DEFAULT_SCHEDULES, now);
  }

  markDue(targetId: string, name: string, dueAt: Date): void {
    this.db.prepare('UPDATE backup_schedules SET last_due_at = ? WHERE target_id = ? AND name = ?').run(dueAt.toISOString(), targetId, name);
  }
}
