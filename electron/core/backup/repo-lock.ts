import { fail } from '../contract';
import type { Clock } from '../clock';
import type { StateDb } from '../state/open-state';
import { processAlive } from '../operations/process-alive';

/**
 * One job per repository at a time, across processes (desktop app, CLI, headless agent):
 * a row in the shared SQLite state, taken in an immediate transaction. A holder that died
 * (SIGKILL, power cut) is detected by its pid and its lock taken over, so a crash never
 * blocks backups for good. restic's own repository locks stay underneath as a second guard.
 */
export class RepoLocks {
  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
    private readonly pid: number = process.pid,
  ) {}

  acquire(targetId: string, job: string): () => void {
    const take = this.db.transaction(() => {
      const row = this.db.prepare('SELECT job, pid, acquired_at FROM backup_locks WHERE target_id = ?').get(targetId) as
        | { job: string; pid: number; acquired_at: string }
        | undefined;
      if (row && (row.pid === this.pid || processAlive(row.pid))) {
        throw fail('BACKUP_BUSY', { target: targetId, job: row.job, since: row.acquired_at });
      }
      this.db
        .prepare('INSERT INTO backup_locks (target_id, job, pid, acquired_at) VALUES (?, ?, ?, ?) ON CONFLICT(target_id) DO UPDATE SET job = excluded.job, pid = excluded.pid, acquired_at = excluded.acquired_at')
        .run(targetId, job, this.pid, this.clock.now().toISOString());
    });
    take.immediate();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.db.prepare('DELETE FROM backup_locks WHERE target_id = ? AND pid = ? AND job = ?').run(targetId, this.pid, job);
    };
  }

  async with<T>(targetId: string, job: string, work: () => Promise<T>): Promise<T> {
    const release = this.acquire(targetId, job);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
