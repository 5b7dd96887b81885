import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleBuildResult, BundleImportResult, BundleVerifyResult, ImportedBundle } from '../../../electron/core/contract';
import { makeTempDir } from '../../support/temp-dir';
import { idOf, makeTinyImage, openTestCore, removeImages, resultOf, runOperation, TEST_REPO, writeStackDir, type TestCore } from './bundle-fixtures';

// Build → verify → import on the real engine, with two small images of their own and a
// model file: the images must be absent before the import and present after it with
// exactly the IDs the signed manifest names.
describe('bundle round trip on the real engine', () => {
  const tmp = makeTempDir('bundle-rt');
  const suffix = randomBytes(4).toString('hex');
  const refs = [`${TEST_REPO}/alpha:rt-${suffix}`, `${TEST_REPO}/beta:rt-${suffix}`];
  const model = randomBytes(300 * 1024);
  let t: TestCore;
  let ids: string[] = [];
  let built: BundleBuildResult;
  const bundlePath = path.join(tmp.dir, 'stack-1.0.0.medai-bundle');

  beforeAll(async () => {
    t = openTestCore();
    ids = refs.map((r) => makeTinyImage(r, 256));
    const stack = writeStackDir(tmp.dir, [
      { service: 'alpha', ref: refs[0]! },
      { service: 'beta', ref: refs[1]! },
    ], [{ name: 'encoder.onnx', bytes: model }]);
    built = resultOf<BundleBuildResult>(
      (await runOperation(t.core, 'bundle.build', { stackDir: stack.dir, modelsDir: stack.modelsDir, bundleVersion: '1.0.0', privateKeyPath: t.keyPath, outPath: bundlePath, compression: 'gzip' })).last,
    );
  });
  afterAll(() => {
    removeImages(ids);
    t?.close();
    tmp.cleanup();
  });

  it('builds a signed bundle whose manifest names the local image IDs', () => {
    expect(built.keyId).toBe(t.keyId);
    expect(built.images.map((i) => i.id)).toEqual(ids);
    expect(built.images.every((i) => i.compression === 'gzip' && i.file.endsWith('.tar.gz'))).toBe(true);
    expect(built.models[0]).toMatchObject({ name: 'encoder.onnx', size: model.length });
    expect(fs.statSync(bundlePath).size).toBe(built.size);
  });

  it('inspects the manifest: versions, notes in both languages, signer, images', async () => {
    const r = await t.core.dispatch('bundle.inspect', { path: bundlePath });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ins = r.result as { manifest: { bundleVersion: string; releaseNotes: Record<string, string>; compose: { content: string } }; signer: { keyId: string; name: string }; relation: string };
    expect(ins.manifest.bundleVersion).toBe('1.0.0');
    expect(ins.manifest.releaseNotes['zh-CN']).toContain('测试版本');
    expect(ins.signer).toEqual({ keyId: t.keyId, name: 'test-signer' });
    expect(ins.relation).toBe('fresh');
    // The embedded compose file is pinned to the bundled image IDs.
    expect(ins.manifest.compose.content).toContain(`x-medai-image-id: ${ids[0]}`);
  });

  it('verifies every entry and reports progress in bytes', async () => {
    const { last, events } = await runOperation(t.core, 'bundle.verify', { path: bundlePath });
    const r = resultOf<BundleVerifyResult>(last);
    expect(r).toMatchObject({ bundleVersion: '1.0.0', entriesVerified: 3, bytesVerified: built.size });
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ bytesDone: built.size, bytesTotal: built.size, percent: 100 });
  });

  it('imports: the images appear with the manifest IDs, the model is placed, the bundle is recorded', async () => {
    removeImages(ids);
    expect(refs.map(idOf)).toEqual([null, null]);
    const { last, events } = await runOperation(t.core, 'bundle.import', { path: bundlePath });
    const r = resultOf<BundleImportResult>(last);
    expect(r.loaded).toEqual(refs.map((ref, i) => ({ ref, id: ids[i] })));
    expect(r.skipped).toEqual([]);
    expect(refs.map(idOf)).toEqual(ids);
    expect(fs.readFileSync(path.join(r.modelsDir, 'encoder.onnx')).equals(model)).toBe(true);
    expect(fs.statSync(path.join(r.modelsDir, 'encoder.onnx')).mode & 0o077).toBe(0);
    // Per-image progress names the current image.
    const steps = events.flatMap((e) => (e.type === 'progress' && e.step ? [e.step.id] : []));
    expect(steps).toEqual(expect.arrayContaining(['signature', 'image:alpha', 'image:beta', 'model:encoder.onnx', 'record']));
    const list = await t.core.dispatch('bundle.list', {});
    expect(list.ok && (list.result as ImportedBundle[]).map((b) => b.bundleVersion)).toEqual(['1.0.0']);
  });

  it('skips images already present with the same ID on a second import', async () => {
    const r = resultOf<BundleImportResult>((await runOperation(t.core, 'bundle.import', { path: bundlePath })).last);
    expect(r.loaded).toEqual([]);
    expect(r.skipped.map((s) => s.id)).toEqual(ids);
    expect(refs.map(idOf)).toEqual(ids);
  });
});
