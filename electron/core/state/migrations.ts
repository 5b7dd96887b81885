/**
 * Versioned schema of the manager's own state. Append only: a released migration is
 * never edited, because hospitals upgrade from any earlier version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'settings and operation journal',
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE operations (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running','succeeded','failed','interrupted')),
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        request_json TEXT NOT NULL
      );
      CREATE INDEX operations_started ON operations(started_at);
      CREATE TABLE operation_events (
        operation_id TEXT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        event_json TEXT NOT NULL,
        PRIMARY KEY (operation_id, seq)
      );
    `,
  },
  {
    version: 2,
    name: 'imported offline bundles',
    sql: `
      CREATE TABLE imported_bundles (
        bundle_version TEXT PRIMARY KEY,
        stack_version TEXT NOT NULL,
        signer_key_id TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        manifest_json TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        source_path TEXT NOT NULL,
        models_dir TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'host check runs',
    sql: `
      CREATE TABLE host_check_runs (
        run_id TEXT PRIMARY KEY,
        operation_id TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        worst TEXT NOT NULL CHECK (worst IN ('pass','warn','fail','error')),
        hostname TEXT NOT NULL,
        report_json TEXT NOT NULL
      );
      CREATE INDEX host_check_runs_started ON host_check_runs(started_at);
    `,
  },
];
