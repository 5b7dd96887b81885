import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openBundle } from '../../../electron/core/bundle/bundle-reader';
import { generateSigningKey, loadTrustedKeys } from '../../../electron/core/bundle/keys';
import { signManifest } from '../../../electron/core/bundle/signature';
import { CoreError } from '../../../electron/core/contract';
import { makeTempDir } from '../../support/temp-dir';
import { sampleManifest } from './sample-manifest';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function writeTar(file: string, entries: { name: string; data: Buffer }[], extra?: Buffer): Promise<void> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  for (const e of entries) pack.entry({ name: e.name, size: e.data.length }, e.data);
  pack.finalize();
  await ended;
  fs.writeFileSync(file, Buffer.concat([...chunks, ...(extra ? [extra] : [])]));
}

function setup() {
  const t = makeTempDir('bundle-reader');
  cleanups.push(t.cleanup);
  const k = generateSigningKey(path.join(t.dir, 'keys'), 'k');
  const priv = createPrivateKey(fs.readFileSync(k.privateKeyPath));
  const trusted = loadTrustedKeys(path.join(t.dir, 'keys'));
  const manifest = sampleManifest();
  manifest.images[0]!.file = 'images/postgres.tar';
  const image = Buffer.alloc(10, 7);
  manifest.images[0]!.size = image.length;
  manifest.models = [];
  const bytes = Buffer.from(JSON.stringify(manifest));
  const sig = Buffer.from(JSON.stringify(signManifest(bytes, priv, createPublicKey(priv))));
  const entries = [
    { name: 'manifest.json', data: bytes },
    { name: 'manifest.sig', data: sig },
    { name: 'images/postgres.tar', data: image },
  ];
  return { dir: t.dir, trusted, entries };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    const b = (await p) as { close(): void };
    b.close();
    return 'opened';
  } catch (e) {
    return e instanceof CoreError ? e.error.code : `not a CoreError: ${String(e)}`;
  }
};

describe('opening a bundle (manifest, signature, schema, exact size)', () => {
  it('opens a well-formed bundle and names its signer', async () => {
    const { dir, trusted, entries } = setup();
    await writeTar(path.join(dir, 'ok.medai-bundle'), entries);
    expect(await codeOf(openBundle(path.join(dir, 'ok.medai-bundle'), trusted))).toBe('opened');
  });

  it('refuses what is not a bundle, each with a plain code', async () => {
    const { dir, trusted, entries } = setup();
    fs.writeFileSync(path.join(dir, 'text.medai-bundle'), 'hello, this is not a tar file at all '.repeat(40));
    fs.writeFileSync(path.join(dir, 'empty.medai-bundle'), '');
    await writeTar(path.join(dir, 'order.medai-bundle'), [entries[2]!, entries[0]!, entries[1]!]);
    await writeTar(path.join(dir, 'extra.medai-bundle'), entries, Buffer.alloc(4096));
    await writeTar(path.join(dir, 'nosig.medai-bundle'), [entries[0]!, entries[2]!]);
    expect(await codeOf(openBundle(path.join(dir, 'missing.medai-bundle'), trusted))).toBe('BUNDLE_NOT_FOUND');
    expect(await codeOf(openBundle(dir, trusted))).toBe('BUNDLE_NOT_FOUND');
    expect(await codeOf(openBundle(path.join(dir, 'text.medai-bundle'), trusted))).toBe('BUNDLE_NOT_A_BUNDLE');
    expect(await codeOf(openBundle(path.join(dir, 'order.medai-bundle'), trusted))).toBe('BUNDLE_NOT_A_BUNDLE');
    expect(await codeOf(openBundle(path.join(dir, 'extra.medai-bundle'), trusted))).toBe('BUNDLE_NOT_A_BUNDLE');
    expect(await codeOf(openBundle(path.join(dir, 'nosig.medai-bundle'), trusted))).toBe('BUNDLE_NOT_A_BUNDLE');
    expect(await codeOf(openBundle(path.join(dir, 'empty.medai-bundle'), trusted))).toBe('BUNDLE_NOT_A_BUNDLE');
  });

  it('refuses a copy cut short anywhere, even inside the manifest', async () => {
    const { dir, trusted, entries } = setup();
    const file = path.join(dir, 'ok.medai-bundle');
    await writeTar(file, entries);
    const full = fs.readFileSync(file);
    for (const cut of [full.length - 1, full.length - 1024, 1536, 700]) {
      fs.writeFileSync(path.join(dir, 'cut.medai-bundle'), full.subarray(0, cut));
      expect(await codeOf(openBundle(path.join(dir, 'cut.medai-bundle'), trusted)), `cut at ${cut}`).toBe('BUNDLE_TRUNCATED');
    }
  });
});
