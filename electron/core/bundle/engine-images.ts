import type Docker from 'dockerode';
import type { BundleImage } from '../contract';

/** What the engine held before an import, so a failed import can put exactly that back. */
export interface ImageSnapshot {
  /** Manifest image IDs that were already present. */
  presentIds: Set<string>;
  /** Each manifest ref and the image ID it pointed to before (null: the tag did not exist). */
  refTargets: Map<string, string | null>;
}

export async function imageIdOf(docker: Docker, nameOrId: string): Promise<string | null> {
  try {
    return (await docker.getImage(nameOrId).inspect()).Id;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null;
    throw e;
  }
}

export async function snapshotImages(docker: Docker, images: readonly BundleImage[]): Promise<ImageSnapshot> {
  const presentIds = new Set<string>();
  const refTargets = new Map<string, string | null>();
  for (const image of images) {
    if ((await imageIdOf(docker, image.id)) === image.id) presentIds.add(image.id);
    refTargets.set(image.ref, await imageIdOf(docker, image.ref));
  }
  return { presentIds, refTargets };
}

const splitRef = (ref: string) => {
  const i = ref.lastIndexOf(':');
  return { repo: ref.slice(0, i), tag: ref.slice(i + 1) };
};

export async function tagImage(docker: Docker, id: string, ref: string): Promise<void> {
  await docker.getImage(id).tag(splitRef(ref));
}

/**
 * Undoes an import: removes every manifest image that was not there before, and points
 * each tag back where it pointed. Returns what could not be undone (for the error detail).
 */
export async function restoreImages(docker: Docker, images: readonly BundleImage[], before: ImageSnapshot): Promise<string[]> {
  const problems: string[] = [];
  for (const image of images) {
    if (before.presentIds.has(image.id)) continue;
    try {
      if ((await imageIdOf(docker, image.id)) === image.id) await docker.getImage(image.id).remove({ force: true });
    } catch (e) {
      problems.push(`remove ${image.id}: ${(e as Error).message}`);
    }
  }
  for (const [ref, previous] of before.refTargets) {
    try {
      const now = await imageIdOf(docker, ref);
      if (now === previous) continue;
      if (previous) await tagImage(docker, previous, ref);
      else if (now) await docker.getImage(ref).remove({ noprune: true });
    } catch (e) {
      problems.push(`restore tag ${ref}: ${(e as Error).message}`);
    }
  }
  return problems;
}
