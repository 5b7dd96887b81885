import type { BackupSet } from '../../contract';
import type { ResticRepo, ResticSnapshot } from '../restic/restic-repo';

export const TAG = 'medai';
export const setTag = (setId: string) => `set:${setId}`;
export const tagValue = (s: ResticSnapshot, prefix: string): string | undefined => s.tags?.find((t) => t.startsWith(prefix))?.slice(prefix.length);

/**
 * The backups people see: restic snapshots grouped by the run's set tag. A set is good
 * only when its manifest snapshot exists, and the manifest is written last, so a run that
 * was killed, ran out of space or lost its target is never listed as good.
 */
export function groupSets(snaps: ResticSnapshot[]): Omit<BackupSet, 'manifest'>[] {
  const sets = new Map<string, ResticSnapshot[]>();
  for (const s of snaps) {
    const id = tagValue(s, 'set:');
    if (!id) continue;
    sets.set(id, [...(sets.get(id) ?? []), s]);
  }
  return [...sets.entries()]
    .map(([setId, list]) => {
      const manifest = list.find((s) => tagValue(s, 'component:') === 'manifest');
      const components = [...new Set(list.map((s) => tagValue(s, 'component:')).filter((c): c is string => !!c && c !== 'manifest'))].sort();
      const time = (manifest ?? list.reduce((a, b) => (a.time < b.time ? a : b))).time;
      const first = list[0]!;
      const bases = [...new Set(list.map((s) => tagValue(s, 'base:')).filter((b): b is string => !!b))];
      return {
        setId,
        time: new Date(time).toISOString(),
        status: manifest ? ('good' as const) : ('incomplete' as const),
        schedule: tagValue(first, 'schedule:') ?? null,
        trigger: tagValue(first, 'trigger:') ?? 'manual',
        components,
        snapshotIds: list.map((s) => s.id),
        ...(bases.length ? { bases } : {}),
      };
    })
    .sort((a, b) => (a.time < b.time ? 1 : -1));
}

export async function listSets(repo: ResticRepo, signal?: AbortSignal): Promise<Omit<BackupSet, 'manifest'>[]> {
  return groupSets(await repo.snapshots([TAG], signal));
}

export function manifestSnapshotId(snaps: ResticSnapshot[], setId: string): string | undefined {
  return snaps.find((s) => tagValue(s, 'set:') === setId && tagValue(s, 'component:') === 'manifest')?.id;
}
