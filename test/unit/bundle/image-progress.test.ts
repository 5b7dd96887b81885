import { describe, expect, it } from 'vitest';
import { BundleManifest } from '../../../electron/core/contract';
import { imageRows } from '../../../renderer/src/pages/install/bundle/image-progress';
import { sampleManifest } from './sample-manifest';

const manifest = BundleManifest.parse({
  ...sampleManifest(),
  images: [
    { ...sampleManifest().images[0]!, service: 'a', ref: 'x/a:1', file: 'images/a.tar', size: 1000 },
    { ...sampleManifest().images[0]!, service: 'b', ref: 'x/b:1', file: 'images/b.tar', size: 3000 },
  ],
  models: [],
});
const head = 2048; // tar headers, manifest and signature before the first image
const total = head + 4000;

describe('per-image import progress', () => {
  it('before any image: all waiting', () => {
    expect(imageRows(manifest, 0, head, total, false, new Set()).map((r) => r.state)).toEqual(['waiting', 'waiting']);
  });
  it('in the second image: the first done, the second at its own percent', () => {
    const rows = imageRows(manifest, 2, head + 1000 + 1500, total, false, new Set());
    expect(rows.map((r) => [r.state, r.percent])).toEqual([
      ['done', 100],
      ['running', 50],
    ]);
  });
  it('finished: done, except images reported as already present', () => {
    expect(imageRows(manifest, 3, total, total, true, new Set(['x/a:1'])).map((r) => r.state)).toEqual(['skipped', 'done']);
  });
});
