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
  {
    version: 4,
    name: 'backup targets, schedules, runs and repository locks',
    sql: `
      CREATE TABLE backup_targets (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('local','sftp','s3')),
        config_json TEXT NOT NULL,
        repo_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE backup_schedules (
        target_id TEXT NOT NULL REFERENCES backup_targets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        cron TEXT NOT NULL,
        profile TEXT NOT NULL CHECK (profile IN ('full','online')),
        enabled INTEGER NOT NULL DEFAULT 1,
        last_due_at TEXT,
        PRIMARY KEY (target_id, name)
      );
      CREATE TABLE backup_runs (
        id TEXT PRIMARY KEY,
        target_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        trigger TEXT NOT NULL,
        schedule_name TEXT,
        state TEXT NOT NULL CHECK (state IN ('running','succeeded','failed','interrupted','missed')),
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        set_id TEXT,
        summary_json TEXT,
        error_json TEXT
      );
      CREATE INDEX backup_runs_started ON backup_runs(target_id, started_at);
      CREATE TABLE backup_locks (
        target_id TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        pid INTEGER NOT NULL,
        acquired_at TEXT NOT NULL
      );
      CREATE TABLE backup_config (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);
    `,
  },
  {
    version: 5,
    name: 'stack installs, deployed versions and the stack step journal',
    sql: `
      CREATE TABLE stack_installs (
        stack TEXT PRIMARY KEY,
        current_version TEXT,
        state TEXT NOT NULL CHECK (state IN ('installed','uninstalled')),
        config_json TEXT NOT NULL,
        installed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE stack_versions (
        stack TEXT NOT NULL,
        version TEXT NOT NULL,
        stack_dir TEXT NOT NULL,
        first_deployed_at TEXT NOT NULL,
        last_deployed_at TEXT NOT NULL,
        safety_backup_dir TEXT,
        safety_backup_at TEXT,
        PRIMARY KEY (stack, version)
      );
      CREATE TABLE stack_operations (
        operation_id TEXT PRIMARY KEY,
        stack TEXT NOT NULL,
        kind TEXT NOT NULL,
        from_version TEXT,
        to_version TEXT,
        state TEXT NOT NULL CHECK (state IN ('open','succeeded','rolled_back','failed','abandoned')),
        request_json TEXT NOT NULL,
        report_json TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE INDEX stack_operations_open ON stack_operations(stack, state);
      CREATE TABLE stack_journal (
        operation_id TEXT NOT NULL REFERENCES stack_operations(operation_id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        step TEXT NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('begin','end','fail')),
        at TEXT NOT NULL,
        data_json TEXT,
        PRIMARY KEY (operation_id, seq)
      );
    `,
  },
  {
    version: 6,
    name: 'backup schedules keep their own retention (days)',
    sql: `ALTER TABLE backup_schedules ADD COLUMN keep_days INTEGER NOT NULL DEFAULT 7;`,
  },
];
