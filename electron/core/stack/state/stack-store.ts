import type { StackConfig } from '../../contract';
import type { StateDb } from '../../state/open-state';

export interface InstallRow {
  stack: string;
  currentVersion: string | null;
  state: 'installed' | 'uninstalled';
  config: StackConfig;
  installedAt: string;
  updatedAt: string;
}

export interface VersionRow {
  version: string;
  stackDir: string;
  firstDeployedAt: string;
  lastDeployedAt: string;
  safetyBackupDir: string | null;
  safetyBackupAt: string | null;
}

export interface StackOperationRow {
  operationId: string;
  stack: string;
  kind: string;
  fromVersion: string | null;
  toVersion: string | null;
  state: 'open' | 'succeeded' | 'rolled_back' | 'failed' | 'abandoned';
  request: unknown;
  startedAt: string;
}

/** The stack's own records in the manager's SQLite: what is installed, what was, what is in flight. */
export class StackStore {
  constructor(private readonly db: StateDb) {}

  install(stack: string): InstallRow | null {
    const r = this.db.prepare('SELECT * FROM stack_installs WHERE stack = ?').get(stack) as
      | { stack: string; current_version: string | null; state: InstallRow['state']; config_json: string; installed_at: string; updated_at: string }
      | undefined;
    if (!r) return null;
    return { stack: r.stack, currentVersion: r.current_version, state: r.state, config: JSON.parse(r.config_json) as StackConfig, installedAt: r.installed_at, updatedAt: r.updated_at };
  }

  setCurrent(stack: string, version: string, config: StackConfig, at: string): void {
    this.db
      .prepare(
        `INSERT INTO stack_installs (stack, current_version, state, config_json, installed_at, updated_at) VALUES (?, ?, 'installed', ?, ?, ?)
         ON CONFLICT(stack) DO UPDATE SET current_version = excluded.current_version, state = 'installed', config_json = excluded.config_json, updated_at = excluded.updated_at`,
      )
      .run(stack, version, JSON.stringify(config), at, at);
  }

  markUninstalled(stack: string, at: string): void {
    this.db.prepare("UPDATE stack_installs SET state = 'uninstalled', current_version = NULL, updated_at = ? WHERE stack = ?").run(at, stack);
  }

  recordVersion(stack: string, version: string, stackDir: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO stack_versions (stack, version, stack_dir, first_deployed_at, last_deployed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(stack, version) DO UPDATE SET stack_dir = excluded.stack_dir, last_deployed_at = excluded.last_deployed_at`,
      )
      .run(stack, version, stackDir, at, at);
  }

  recordSafetyBackup(stack: string, version: string, dir: string, at: string): void {
    this.db.prepare('UPDATE stack_versions SET safety_backup_dir = ?, safety_backup_at = ? WHERE stack = ? AND version = ?').run(dir, at, stack, version);
  }

  versions(stack: string): VersionRow[] {
    const rows = this.db.prepare('SELECT * FROM stack_versions WHERE stack = ? ORDER BY first_deployed_at').all(stack) as {
      version: string;
      stack_dir: string;
      first_deployed_at: string;
      last_deployed_at: string;
      safety_backup_dir: string | null;
      safety_backup_at: string | null;
    }[];
    return rows.map((r) => ({
      version: r.version,
      stackDir: r.stack_dir,
      firstDeployedAt: r.first_deployed_at,
      lastDeployedAt: r.last_deployed_at,
      safetyBackupDir: r.safety_backup_dir,
      safetyBackupAt: r.safety_backup_at,
    }));
  }

  version(stack: string, version: string): VersionRow | null {
    return this.versions(stack).find((v) => v.version === version) ?? null;
  }

  openOperation(stack: string): StackOperationRow | null {
    const r = this.db.prepare("SELECT * FROM stack_operations WHERE stack = ? AND state = 'open' ORDER BY started_at DESC LIMIT 1").get(stack) as
      | { operation_id: string; stack: string; kind: string; from_version: string | null; to_version: string | null; state: StackOperationRow['state']; request_json: string; started_at: string }
      | undefined;
    if (!r) return null;
    return { operationId: r.operation_id, stack: r.stack, kind: r.kind, fromVersion: r.from_version, toVersion: r.to_version, state: r.state, request: JSON.parse(r.request_json), startedAt: r.started_at };
  }

  openOperationRow(row: Omit<StackOperationRow, 'state'>): void {
    this.db
      .prepare("INSERT INTO stack_operations (operation_id, stack, kind, from_version, to_version, state, request_json, started_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)")
      .run(row.operationId, row.stack, row.kind, row.fromVersion, row.toVersion, JSON.stringify(row.request), row.startedAt);
  }

  closeOperation(operationId: string, state: Exclude<StackOperationRow['state'], 'open'>, report: unknown, at: string): void {
    this.db.prepare('UPDATE stack_operations SET state = ?, report_json = ?, ended_at = ? WHERE operation_id = ?').run(state, JSON.stringify(report ?? null), at, operationId);
  }
}
