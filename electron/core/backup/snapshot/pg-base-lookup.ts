import { SnapshotManifest } from '../../contract';
import type { ResticRepo } from '../restic/restic-repo';
import type { RunsStore } from '../runs-store';
import { listSets } from './backup-sets';
import type { PgBaseRef } from './component';

/**
 * Finds, per database, the newest full dump a differential can be taken against: in a set
 * that is good in the repository now (so a base removed by hand is never used) and that
 * this manager recorded for this stack. A manager whose state was restored from elsewhere
 * finds none and dumps whole — the safe side.
 */
export function pgBaseLookup(repo: ResticRepo, runs: RunsStore, project: string, signal: AbortSignal): (db: string) => Promise<PgBaseRef | null> {
  // Listed right away, beside the run's repository probe (both read without a lock), so the
  // lookup adds no restic start-up in series; a run that fails first aborts it (`signal`): a
  // restic retrying an unreachable target must not outlive the run.
  const sets = listSets(repo, signal);
  sets.catch(() => undefined);
  return async (db) => {
    for (const s of await sets) {
      if (s.status !== 'good' || !s.components.includes('postgres')) continue;
      const parsed = SnapshotManifest.safeParse(runs.manifestFor(s.setId));
      if (!parsed.success || parsed.data.stackProject !== project) continue;
      const item = parsed.data.components.find((c) => c.name === 'postgres')?.items.find((i) => i.key === db);
      if (item?.pgBase && !item.differential) return { setId: s.setId, snapshotId: item.snapshotId, file: item.file, base: item.pgBase };
    }
    return null;
  };
}
