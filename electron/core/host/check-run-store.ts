import { fail, HostCheckReport, type HostCheckRunSummary } from '../contract';
import type { StateDb } from '../state/open-state';

type Row = { report_json: string };

/** Every run is kept with its timestamp so support can compare a failing run with an earlier good one. */
export class CheckRunStore {
  constructor(private readonly db: StateDb) {}

  save(report: HostCheckReport): void {
    this.db
      .prepare('INSERT INTO host_check_runs (run_id, operation_id, started_at, finished_at, worst, hostname, report_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(report.runId, report.operationId, report.startedAt, report.finishedAt, report.worst, report.hostname, JSON.stringify(report));
  }

  list(limit: number): HostCheckRunSummary[] {
    const rows = this.db.prepare('SELECT report_json FROM host_check_runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => {
      const { runId, operationId, startedAt, durationMs, hostname, worst, counts, only } = HostCheckReport.parse(JSON.parse(r.report_json));
      return { runId, operationId, startedAt, durationMs, hostname, worst, counts, only };
    });
  }

  get(runId: string): HostCheckReport {
    const row = this.db.prepare('SELECT report_json FROM host_check_runs WHERE run_id = ?').get(runId) as Row | undefined;
    if (!row) throw fail('HOST_CHECK_RUN_NOT_FOUND', { runId });
    return HostCheckReport.parse(JSON.parse(row.report_json));
  }
}
