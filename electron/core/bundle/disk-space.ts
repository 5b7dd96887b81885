import fs from 'node:fs';
import { fail } from '../contract';

/** statfs, injectable so the refusal path is tested without filling a real disk. */
export type StatFs = (path: string) => { bavail: number; bsize: number };
export const realStatFs: StatFs = (p) => {
  const s = fs.statfsSync(p);
  return { bavail: Number(s.bavail), bsize: Number(s.bsize) };
};

const human = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`);

/**
 * Refuses when `dir` has less than `needed` bytes free for unprivileged writers. A folder
 * this process cannot see (Docker's data root inside a VM, as with Docker Desktop) cannot
 * be checked: that is returned as a note for the progress log instead of blocking the import.
 */
export function requireFreeSpace(statfs: StatFs, dir: string, needed: number): string | undefined {
  let s: { bavail: number; bsize: number };
  try {
    s = statfs(dir);
  } catch (e) {
    return `free space on ${dir} not checked: ${(e as Error).message}`;
  }
  const free = s.bavail * s.bsize;
  if (free < needed) throw fail('BUNDLE_DISK_FULL', { needed: human(needed), free: human(free), dir }, `needed ${needed} bytes, free ${free} bytes on ${dir}`);
  return undefined;
}

/**
 * What a load needs on Docker's data root: the unpacked images, plus room for the
 * engine's temporary copy of the largest tarball while it unpacks it.
 */
export const imageSpaceNeeded = (unpackedSizes: readonly number[]): number =>
  unpackedSizes.reduce((a, b) => a + b, 0) + Math.max(0, ...unpackedSizes);
