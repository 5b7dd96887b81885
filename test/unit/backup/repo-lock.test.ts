import { afterEach, describe, expect, it } from 'vitest';
import { RepoLocks } from '../../../electron/core/backup/repo-lock';
import { CoreError } from '../../../electron/core/contract';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';

const clock = { now: () => new Date('2026-03-01T02:00:00Z') };

describe('per-repository job lock', () => {
  const tmp = makeTempDir('backup-lock');
  const db = openState(tmp.dir);
  afterEach(() => db.prepare('DELETE FROM backup_locks').run());

  it('lets one job at a time hold a target and names the holder', () => {
    const locks = new RepoLocks(db, clock);
    const release = locks.acquire('usb', 'backup');
    try {
      locks.acquire('usb', 'prune');
      throw new Error('second acquire should fail');
    } catch (e) {
      expect((e as CoreError).error.code).toBe('BACKUP_BUSY');
      expect((e as CoreError).error.message.en).toContain('backup');
    }
    // Another target is independent.
    locks.acquire('nas', 'prune')();
    release();
    locks.acquire('usb', 'prune')();
  });

  it('is shared across processes and taken over from a holder that died', () => {
    const other = new RepoLocks(db, clock, process.ppid);
    other.acquire('usb', 'backup');
    expect(() => new RepoLocks(db, clock).acquire('usb', 'check')).toThrow(CoreError);
    // A pid that cannot exist: its lock is stale (a killed agent) and is taken over.
    db.prepare('UPDATE backup_locks SET pid = ? WHERE target_id = ?').run(2 ** 22 + 12345, 'usb');
    const release = new RepoLocks(db, clock).acquire('usb', 'check');
    expect((db.prepare('SELECT job FROM backup_locks').get() as { job: string }).job).toBe('check');
    release();
  });

  it('releases when the work throws', async () => {
    const locks = new RepoLocks(db, clock);
    await expect(locks.with('usb', 'backup', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(db.prepare('SELECT count(*) AS n FROM backup_locks').get()).toEqual({ n: 0 });
  });
});
