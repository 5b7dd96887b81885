import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../../electron/core/bundle/keys';
import { signManifest } from '../../../electron/core/bundle/signature';
import type { BundleImportResult, ErrorCode } from '../../../electron/core/contract';
import { makeTempDir } from '../../support/temp-dir';
import {
  engineImages,
  flipByte,
  idOf,
  imageEvents,
  makeTinyImage,
  openTestCore,
  removeImages,
  resultOf,
  rewriteBundle,
  runOperation,
  sh,
  TEST_REPO,
  writeStackDir,
  type TestCore,
} from './bundle-fixtures';

// Every bad input is refused with its own code, and the engine's images are as before:
// no image of the bundle was left behind, no tag moved (see `scope` for what "as before" covers).
describe('bad bundles are refused and change nothing', () => {
  const tmp = makeTempDir('bundle-bad');
  const suffix = randomBytes(4).toString('hex');
  const refs = { alpha: `${TEST_REPO}/alpha:bad-${suffix}`, beta: `${TEST_REPO}/beta:bad-${suffix}` };
  const oldRef = `${TEST_REPO}/alpha-old:bad-${suffix}`;
  let t: TestCore;
  let ids: { alpha: string; beta: string; old: string };
  const good = path.join(tmp.dir, 'good.medai-bundle');
  const v2 = path.join(tmp.dir, 'v2.medai-bundle');
  const bad = (name: string) => path.join(tmp.dir, `${name}.medai-bundle`);

  beforeAll(async () => {
    t = openTestCore();
    ids = { alpha: makeTinyImage(refs.alpha, 512), beta: makeTinyImage(refs.beta, 512), old: makeTinyImage(oldRef, 16) };
    const stack = writeStackDir(tmp.dir, [
      { service: 'alpha', ref: refs.alpha },
      { service: 'beta', ref: refs.beta },
    ], [{ name: 'weights.bin', bytes: randomBytes(64 * 1024) }]);
    for (const [out, version] of [[good, '1.0.0'], [v2, '2.0.0']] as const) {
      resultOf((await runOperation(t.core, 'bundle.build', { stackDir: stack.dir, modelsDir: stack.modelsDir, bundleVersion: version, privateKeyPath: t.keyPath, outPath: out, compression: 'none' })).last);
    }
    // The "installed" state: the bundle's images are absent, and the alpha tag points at an older image.
    removeImages([ids.alpha, ids.beta]);
    sh('docker', ['tag', oldRef, refs.alpha]);
  });
  afterAll(() => {
    removeImages([ids?.alpha, ids?.beta, ids?.old]);
    t?.close();
    tmp.cleanup();
  });

  // See imagesInScope: the whole list in CI, this run's images (marker + IDs) on a shared workstation.
  const scope = (list: string[]) =>
    process.env.CI ? list : list.filter((x) => x.includes(suffix) || [ids.alpha, ids.beta, ids.old].some((id) => x.startsWith(id)));

  async function expectRefusal(file: string, code: ErrorCode, params: Record<string, unknown> = {}) {
    const before = await engineImages();
    const { last } = await runOperation(t.core, 'bundle.import', { path: file, ...params });
    expect(last.type).toBe('failed');
    if (last.type !== 'failed') return undefined;
    expect(last.error.code).toBe(code);
    const after = await engineImages();
    // Nothing of the bundle is in the engine, and the tag it shares with the installed stack did not move.
    expect(idOf(ids.alpha)).toBeNull();
    expect(idOf(ids.beta)).toBeNull();
    expect(idOf(refs.alpha)).toBe(ids.old);
    expect(idOf(refs.beta)).toBeNull();
    const mine = scope;
    expect(mine(after)).toEqual(mine(before));
    expect((await t.core.dispatch('bundle.list', {})).ok && ((await t.core.dispatch('bundle.list', {})) as { result: unknown[] }).result).toEqual([]);
    return last.error;
  }

  it('a truncated file', async () => {
    const file = bad('truncated');
    fs.copyFileSync(good, file);
    fs.truncateSync(file, Math.floor(fs.statSync(good).size * 0.7));
    const e = await expectRefusal(file, 'BUNDLE_TRUNCATED');
    expect(e?.message.en).toContain('Nothing was changed');
  });

  it('a flipped byte in the first image tarball (held back: the engine never completes the load)', async () => {
    flipByte(good, bad('flip-first'), 'images/alpha.tar');
    const since = Math.floor(Date.now() / 1000);
    const e = await expectRefusal(bad('flip-first'), 'BUNDLE_ENTRY_CORRUPT');
    expect(e?.message.en).toContain('images/alpha.tar');
    // The engine never loaded it (its event journal has no 'load' for this ID; one-second resolution may show the setup's own events).
    expect(await imageEvents(ids.alpha, since, Math.ceil(Date.now() / 1000) + 1)).not.toContain('load');
  });

  it('a flipped byte in the last byte of an image tarball', async () => {
    flipByte(good, bad('flip-last'), 'images/alpha.tar', 'last');
    await expectRefusal(bad('flip-last'), 'BUNDLE_ENTRY_CORRUPT');
  });

  it('a flipped byte in the second image after the first was loaded: the first is removed and its tag restored', async () => {
    flipByte(good, bad('flip-second'), 'images/beta.tar');
    const since = Math.floor(Date.now() / 1000);
    const before = await engineImages();
    const { last, events } = await runOperation(t.core, 'bundle.import', { path: bad('flip-second') });
    // The first image really was loaded before the corruption showed up...
    expect(events.some((e) => e.type === 'progress' && e.step?.id === 'image:beta')).toBe(true);
    expect(last.type === 'failed' && last.error.code).toBe('BUNDLE_ENTRY_CORRUPT');
    // ...and is gone again, with the installed tag pointing where it did.
    expect(idOf(ids.alpha)).toBeNull();
    expect(idOf(refs.alpha)).toBe(ids.old);
    const mine = scope;
    expect(mine(await engineImages())).toEqual(mine(before));
    // The engine's own journal: alpha was loaded by this import, then deleted by its cleanup.
    const actions = await imageEvents(ids.alpha, since, Math.ceil(Date.now() / 1000) + 1);
    expect(actions).toContain('load');
    expect(actions.indexOf('delete')).toBeGreaterThan(actions.indexOf('load'));
  });

  it('a flipped byte in a model file', async () => {
    flipByte(good, bad('flip-model'), 'models/weights.bin');
    await expectRefusal(bad('flip-model'), 'BUNDLE_ENTRY_CORRUPT');
    // No half-written model and no folder left from the failed import.
    expect(fs.existsSync(path.join(t.dataDir, 'bundles', '1.0.0'))).toBe(false);
  });

  it('a manifest edited after signing', async () => {
    await rewriteBundle(good, bad('edited'), { manifest: (_m, raw) => Buffer.from(raw.toString('utf8').replace('"releaseNotes": {', '"releaseNotes": {"x":1,').replace('"x":1,', '')  + ' ') });
    const e = await expectRefusal(bad('edited'), 'BUNDLE_SIGNATURE_INVALID');
    expect(e?.message['zh-CN']).toContain('未做任何更改');
  });

  it('a manifest whose image hash was swapped after signing', async () => {
    await rewriteBundle(good, bad('swapped'), {
      manifest: (m) => {
        const images = m.images as { sha256: string }[];
        images[0]!.sha256 = 'f'.repeat(64);
        return Buffer.from(JSON.stringify(m, null, 2));
      },
    });
    await expectRefusal(bad('swapped'), 'BUNDLE_SIGNATURE_INVALID');
  });

  it('an unknown signing key', async () => {
    const other = generateSigningKey(path.join(tmp.dir, 'other-keys'), 'stranger');
    const key = createPrivateKey(fs.readFileSync(other.privateKeyPath));
    await rewriteBundle(good, bad('stranger'), { signature: (mb) => Buffer.from(JSON.stringify(signManifest(mb, key, createPublicKey(key)))) });
    const e = await expectRefusal(bad('stranger'), 'BUNDLE_UNKNOWN_SIGNER');
    expect(e?.message.en).toContain(other.keyId.slice(0, 16));
  });

  it('a signed manifest that breaks the schema (a `latest` tag)', async () => {
    const key = createPrivateKey(fs.readFileSync(t.keyPath));
    let signed: Buffer = Buffer.alloc(0);
    await rewriteBundle(good, bad('schema'), {
      manifest: (m) => {
        (m.images as { ref: string }[])[0]!.ref = `${TEST_REPO}/alpha:latest`;
        signed = Buffer.from(JSON.stringify(m, null, 2));
        return signed;
      },
      signature: (mb) => Buffer.from(JSON.stringify(signManifest(mb, key, createPublicKey(key)))),
    });
    const e = await expectRefusal(bad('schema'), 'BUNDLE_MANIFEST_INVALID');
    expect(e?.detail).toMatch(/images\.0\.ref: .*latest/);
  });

  it('not enough disk on the Docker data root (injected statfs, real engine)', async () => {
    const small = openTestCore(() => ({ bavail: 16, bsize: 4096 }));
    try {
      fs.copyFileSync(path.join(t.trustDir, 'test-signer.pub'), path.join(small.trustDir, 'good-signer.pub'));
      const before = await engineImages();
      const { last } = await runOperation(small.core, 'bundle.import', { path: good });
      expect(last.type === 'failed' && last.error.code).toBe('BUNDLE_DISK_FULL');
      expect(last.type === 'failed' && last.error.message.en).toMatch(/has only 0 MiB free/);
      expect(idOf(ids.alpha)).toBeNull();
      expect(idOf(refs.alpha)).toBe(ids.old);
      const mine = scope;
      expect(mine(await engineImages())).toEqual(mine(before));
    } finally {
      small.close();
    }
  });

  it('a downgrade is refused unless forced', async () => {
    const r2 = resultOf<BundleImportResult>((await runOperation(t.core, 'bundle.import', { path: v2 })).last);
    expect(r2.loaded.map((l) => l.id)).toEqual([ids.alpha, ids.beta]);
    removeImages([ids.alpha, ids.beta]);
    sh('docker', ['tag', oldRef, refs.alpha]);
    const before = await engineImages();
    const { last } = await runOperation(t.core, 'bundle.import', { path: good });
    expect(last.type === 'failed' && last.error.code).toBe('BUNDLE_DOWNGRADE');
    expect(last.type === 'failed' && last.error.message.en).toContain('1.0.0 is older than the installed version 2.0.0');
    const mine = scope;
    expect(mine(await engineImages())).toEqual(mine(before));
    const forced = resultOf<BundleImportResult>((await runOperation(t.core, 'bundle.import', { path: good, force: true })).last);
    expect(forced.bundleVersion).toBe('1.0.0');
    expect(idOf(refs.alpha)).toBe(ids.alpha);
  });
});
