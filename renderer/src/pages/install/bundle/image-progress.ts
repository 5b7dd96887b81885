import type { BundleManifest } from '../../../contract';

export type ImageState = 'waiting' | 'running' | 'done' | 'skipped';

export interface ImageRow {
  ref: string;
  service: string;
  size: number;
  state: ImageState;
  /** 0–100 within this image. */
  percent: number;
}

/**
 * Per-image progress from the import's stream of events. The import's steps are: 0 the
 * signature, 1…n the images in manifest order, then the models and the record; bytesDone
 * runs over the whole file, so an image's share is what lies between the bytes before it
 * and its own size. Pure, for tests.
 */
export function imageRows(manifest: BundleManifest, stepIndex: number | undefined, bytesDone: number | undefined, bytesTotal: number | undefined, finished: boolean, skipped: ReadonlySet<string>): ImageRow[] {
  const payload = manifest.images.reduce((a, i) => a + i.size, 0) + manifest.models.reduce((a, m) => a + m.size, 0);
  const head = Math.max(0, (bytesTotal ?? payload) - payload);
  const currentIndex = stepIndex === undefined ? -1 : stepIndex - 1;
  let before = head;
  return manifest.images.map((image, index) => {
    const start = before;
    before += image.size;
    const base = { ref: image.ref, service: image.service, size: image.size };
    if (skipped.has(image.ref)) return { ...base, state: 'skipped', percent: 100 };
    if (finished || index < currentIndex) return { ...base, state: 'done', percent: 100 };
    if (index > currentIndex) return { ...base, state: 'waiting', percent: 0 };
    const within = Math.min(image.size, Math.max(0, (bytesDone ?? 0) - start));
    return { ...base, state: 'running', percent: image.size ? Math.round((within / image.size) * 100) : 100 };
  });
}
