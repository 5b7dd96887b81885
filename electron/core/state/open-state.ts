import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../contract';
import { MIGRATIONS, type Migration } from './migrations';

export type StateDb = Database.Database;

/**
 * Opens (creating if needed) the manager's SQLite state in WAL mode and applies pending
 * migrations in one transaction each. WAL lets the CLI read while the console writes.
 */
export function openState(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): StateDb {
  let db: StateDb;
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Database(path.join(dataDir, 'state.sqlite'));
    fs.chmodSync(path.join(dataDir, 'state.sqlite'), 0o600);
  } catch (e) {
    throw fail('STATE_UNAVAILABLE', { dir: dataDir }, (e as Error).message);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: StateDb): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

function migrate(db: StateDb, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw fail('STATE_TOO_NEW', { found: current, supported: latest });
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
}
