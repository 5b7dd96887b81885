import { randomBytes } from 'node:crypto';
import type { ApiError, BackupRun } from '../contract';
import type { StateDb } from '../state/open-state';
import { processAlive } from '../operations/process-alive';

type Row = {
  id: string;
  target_id: string;
  kind: string;
  trigger: string;
  schedule_name: string | null;
  state: BackupRun['state'];
  pid: number;
  started_at: string;
  ended_at: string | null;
  set_id: string | null;
  summary_json: string | null;
  error_json: string | null;
};

/** History of backup, verify, prune, restore and drill runs: what the timeline shows. */
export class RunsStore {
  constructor(private readonly db: StateDb) {}

  start(r: { targetId: string; kind: string; trigger: string; scheduleName?: string | null; at: string; setId?: string | null }): string {
    const id = `run_${randomBytes(8).toString('hex')}`;
    this.db
      .prepare('INSERT INTO backup_runs (id, target_id, kind, trigger, schedule_name, state, pid, started_at, set_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, r.targetId, r.kind, r.trigger, r.scheduleName ?? null, 'running', process.pid, r.at, r.setId ?? null);
    return id;
  }

  finish(id: string, at: string, outcome: { ok: true; summary: unknown; setId?: string } | { ok: false; error: ApiError }): void {
    if (outcome.ok) {
      this.db.prepare("UPDATE backup_runs SET state = 'succeeded', ended_at = ?, summary_json = ?, set_id = coalesce(?, set_id) WHERE id = ?").run(at, JSON.stringify(outcome.summary), outcome.setId ?? null, id);
    } else {
      this.db.prepare("UPDATE backup_runs SET state = 'failed', ended_at = ?, error_json = ? WHERE id = ?").run(at, JSON.stringify(outcome.error), id);
    }
  }

  /** A scheduled time that passed without a run (the agent was down): shown and alerted. */
  missed(r: { targetId: string; scheduleName: string; dueAt: string }): string {
    const id = `run_${randomBytes(8).toString('hex')}`;
    this.db
      .prepare("INSERT INTO backup_runs (id, target_id, kind, trigger, schedule_name, state, pid, started_at, ended_at) VALUES (?, ?, 'backup', 'schedule', ?, 'missed', ?, ?, ?)")
      .run(id, r.targetId, r.scheduleName, process.pid, r.dueAt, r.dueAt);
    return id;
  }

  list(opts: { targetId?: string; kind?: string; limit: number }): BackupRun[] {
    this.markOrphans();
    const rows = this.db
      .prepare('SELECT * FROM backup_runs WHERE (? IS NULL OR target_id = ?) AND (? IS NULL OR kind = ?) ORDER BY started_at DESC, rowid DESC LIMIT ?')
      .all(opts.targetId ?? null, opts.targetId ?? null, opts.kind ?? null, opts.kind ?? null, opts.limit) as Row[];
    return rows.map(toRun);
  }

  /** The manifest a run recorded, so the timeline needs no repository round trip per set. */
  manifestFor(setId: string): unknown {
    const row = this.db.prepare("SELECT summary_json FROM backup_runs WHERE set_id = ? AND kind = 'backup' AND state = 'succeeded'").get(setId) as { summary_json: string } | undefined;
    return row ? JSON.parse(row.summary_json) : null;
  }

  /** A run whose process is gone was killed mid-way (power cut, SIGKILL). */
  private markOrphans(): void {
    const running = this.db.prepare("SELECT id, pid FROM backup_runs WHERE state = 'running'").all() as { id: string; pid: number }[];
    for (const r of running) {
      if (r.pid !== process.pid && !processAlive(r.pid)) this.db.prepare("UPDATE backup_runs SET state = 'interrupted' WHERE id = ?").run(r.id);
    }
  }
}

const toRun = (r: Row): BackupRun => ({
  id: r.id,
  targetId: r.target_id,
  kind: r.kind,
  trigger: r.trigger,
  scheduleName: r.schedule_name,
  state: r.state,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  setId: r.set_id,
  summary: r.summary_json ? (JSON.parse(r.summary_json) as unknown) : null,
  error: r.error_json ? (JSON.parse(r.error_json) as ApiError) : null,
});
