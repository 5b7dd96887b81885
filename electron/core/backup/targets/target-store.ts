import { BackupTarget, fail, TargetLocation } from '../../contract';
import type { StateDb } from '../../state/open-state';

type Row = { id: string; kind: string; config_json: string; repo_id: string | null; created_at: string; updated_at: string };

/** Target locations (never their secrets) in the shared state database. */
export class TargetStore {
  constructor(private readonly db: StateDb) {}

  list(): Omit<BackupTarget, 'hasCredentials'>[] {
    return (this.db.prepare('SELECT * FROM backup_targets ORDER BY id').all() as Row[]).map(toTarget);
  }

  find(id: string): Omit<BackupTarget, 'hasCredentials'> | undefined {
    const row = this.db.prepare('SELECT * FROM backup_targets WHERE id = ?').get(id) as Row | undefined;
    return row ? toTarget(row) : undefined;
  }

  get(id: string): Omit<BackupTarget, 'hasCredentials'> {
    const t = this.find(id);
    if (!t) throw fail('BACKUP_TARGET_NOT_FOUND', { target: id });
    return t;
  }

  insert(id: string, location: TargetLocation, repoId: string | null, now: string): void {
    this.db.prepare('INSERT INTO backup_targets (id, kind, config_json, repo_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, location.kind, JSON.stringify(location), repoId, now, now);
  }

  update(id: string, location: TargetLocation, repoId: string | null, now: string): void {
    this.db.prepare('UPDATE backup_targets SET kind = ?, config_json = ?, repo_id = ?, updated_at = ? WHERE id = ?').run(location.kind, JSON.stringify(location), repoId, now, id);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM backup_targets WHERE id = ?').run(id);
  }
}

const toTarget = (r: Row): Omit<BackupTarget, 'hasCredentials'> => ({
  id: r.id,
  location: TargetLocation.parse(JSON.parse(r.config_json)),
  repositoryId: r.repo_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
