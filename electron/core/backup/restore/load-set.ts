import semver from 'semver';
import { fail, SnapshotManifest, type StackBinding } from '../../contract';
import type { ResticRepo } from '../restic/restic-repo';
import { manifestSnapshotId, tagValue, TAG } from '../snapshot/backup-sets';

/**
 * Reads a set's manifest from the repository. Refuses sets that are incomplete (no
 * manifest) and sets made by a newer stack than the one installed: restoring a newer
 * schema into older software breaks it, so the person is told to upgrade first.
 */
export async function loadSet(repo: ResticRepo, targetId: string, setId: string, binding: StackBinding): Promise<{ manifest: SnapshotManifest; snapshotIds: string[] }> {
  const snaps = await repo.snapshots([TAG]);
  const inSet = snaps.filter((s) => tagValue(s, 'set:') === setId);
  if (inSet.length === 0) throw fail('BACKUP_SNAPSHOT_NOT_FOUND', { target: targetId, snapshot: setId });
  const id = manifestSnapshotId(snaps, setId);
  if (!id) throw fail('BACKUP_SNAPSHOT_INCOMPLETE', { snapshot: setId });
  const raw = await repo.readFile(id, '/manifest.json');
  const parsed = SnapshotManifest.safeParse(JSON.parse(raw.toString('utf8')));
  if (!parsed.success) throw fail('BACKUP_SNAPSHOT_INCOMPLETE', { snapshot: setId }, parsed.error.message);
  const m = parsed.data;
  const installed = semver.valid(binding.version);
  const made = semver.valid(m.stackVersion);
  if (installed && made && semver.gt(made, installed)) {
    throw fail('BACKUP_SNAPSHOT_TOO_NEW', { snapshot: setId, snapshotVersion: made, installed });
  }
  return { manifest: m, snapshotIds: snaps.map((s) => s.id) };
}

/**
 * A differential PostgreSQL item needs the full dump it is based on: checked against the
 * repository's snapshots (as loadSet listed them) before anything is touched — no safety
 * snapshot, no scratch database — so a missing base is a clear refusal.
 */
export function requireBases(setId: string, components: SnapshotManifest['components'], snapshotIds: string[]): void {
  const bases = components.flatMap((c) => c.items.flatMap((i) => (i.differential ? [i.differential] : [])));
  const missing = bases.find((b) => !snapshotIds.some((id) => id === b.baseSnapshotId || id.startsWith(b.baseSnapshotId)));
  if (missing) throw fail('BACKUP_BASE_MISSING', { snapshot: setId, base: missing.baseSetId });
}
