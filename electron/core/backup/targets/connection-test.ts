import fs from 'node:fs';
import path from 'node:path';
import { toApiError, type ConnectionTest, type TargetLocation } from '../../contract';
import { fail } from '../../contract';
import type { ResticRepo } from '../restic/restic-repo';

const EXIT_NO_REPO = 10;

/** Free bytes where a local repository lives (its folder, or the mount point above it). */
export function localFreeBytes(p: string): number | null {
  for (let dir = p; ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir)) {
      const s = fs.statfsSync(dir);
      return s.bavail * s.bsize;
    }
    if (dir === path.dirname(dir)) return null;
  }
}

/**
 * A local target must sit on something mounted: its parent folder has to exist already,
 * so an unplugged USB disk is reported instead of silently filling the system disk.
 */
export function checkLocalPlace(id: string, loc: Extract<TargetLocation, { kind: 'local' }>): void {
  const parent = path.dirname(loc.path);
  if (!fs.existsSync(parent)) throw fail('BACKUP_TARGET_UNREACHABLE', { target: id }, `${parent} does not exist (is the disk mounted?)`);
  const where = fs.existsSync(loc.path) ? loc.path : parent;
  try {
    fs.accessSync(where, fs.constants.W_OK);
  } catch (e) {
    throw fail('BACKUP_TARGET_UNREACHABLE', { target: id }, `${where} is not writable: ${(e as Error).message}`);
  }
}

/** "Test connection": reaches the target and opens the repository without changing it. */
export async function testConnection(id: string, loc: TargetLocation, repo: ResticRepo, now: () => number = Date.now): Promise<ConnectionTest> {
  const started = now();
  const freeBytes = loc.kind === 'local' ? localFreeBytes(loc.path) : null;
  try {
    if (loc.kind === 'local') checkLocalPlace(id, loc);
    const exit = await repo.probe();
    if (exit.code === 0) return { ok: true, repository: 'ready', elapsedMs: now() - started, freeBytes, error: null };
    const error = repo.error('connect', exit);
    if (exit.code === EXIT_NO_REPO && error.error.code === 'BACKUP_REPO_NOT_FOUND') {
      return { ok: true, repository: 'absent', elapsedMs: now() - started, freeBytes, error: null };
    }
    throw error;
  } catch (e) {
    return { ok: false, repository: 'unknown', elapsedMs: now() - started, freeBytes, error: toApiError(e) };
  }
}
