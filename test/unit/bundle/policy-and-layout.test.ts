import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import type { BundleEntry } from '../../../electron/core/bundle/bundle-reader';
import { imageSpaceNeeded, requireFreeSpace } from '../../../electron/core/bundle/disk-space';
import { parseLoadOutput } from '../../../electron/core/bundle/engine-image-load';
import { HOLD_BACK, pumpEntry } from '../../../electron/core/bundle/entry-pump';
import { expectedTarSize } from '../../../electron/core/bundle/tar-layout';
import { checkVersionPolicy, relationTo } from '../../../electron/core/bundle/version-policy';
import { BundleManifest, CoreError } from '../../../electron/core/contract';
import { sampleManifest } from './sample-manifest';

const codeOf = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (e) {
    return e instanceof CoreError ? e.error.code : `not a CoreError: ${String(e)}`;
  }
  return 'no error';
};

describe('version policy', () => {
  const m = (v: string, min = '1.0.0') => BundleManifest.parse({ ...sampleManifest(), bundleVersion: v, minUpgradeFrom: min });
  it('classifies against the installed version', () => {
    expect(relationTo(null, '1.0.0')).toBe('fresh');
    expect(relationTo('1.0.0', '1.1.0')).toBe('upgrade');
    expect(relationTo('1.1.0', '1.1.0')).toBe('same');
    expect(relationTo('1.10.0', '1.9.0')).toBe('downgrade');
    expect(relationTo('1.0.0', '1.0.0-rc.1')).toBe('downgrade');
  });
  it('refuses a downgrade unless forced, and an upgrade that skips a required release', async () => {
    expect(await codeOf(() => checkVersionPolicy(m('1.0.0'), '2.0.0', false))).toBe('BUNDLE_DOWNGRADE');
    expect(await codeOf(() => checkVersionPolicy(m('1.0.0'), '2.0.0', true))).toBe('no error');
    expect(await codeOf(() => checkVersionPolicy(m('3.0.0', '2.0.0'), '1.5.0', false))).toBe('BUNDLE_UPGRADE_PATH');
    expect(await codeOf(() => checkVersionPolicy(m('3.0.0', '2.0.0'), '1.5.0', true))).toBe('BUNDLE_UPGRADE_PATH');
    expect(await codeOf(() => checkVersionPolicy(m('3.0.0', '2.0.0'), '2.0.0', false))).toBe('no error');
    expect(await codeOf(() => checkVersionPolicy(m('1.0.0'), null, false))).toBe('no error');
  });
});

describe('disk space', () => {
  it('needs the unpacked images plus room for unpacking the largest', () => {
    expect(imageSpaceNeeded([100, 300])).toBe(700);
    expect(imageSpaceNeeded([])).toBe(0);
  });
  it('refuses with both numbers in the message', async () => {
    const statfs = () => ({ bavail: 10, bsize: 1024 * 1024 });
    expect(await codeOf(() => requireFreeSpace(statfs, '/var/lib/docker', 11 * 1024 * 1024))).toBe('BUNDLE_DISK_FULL');
    expect(await codeOf(() => requireFreeSpace(statfs, '/var/lib/docker', 10 * 1024 * 1024))).toBe('no error');
  });
  it('a folder it cannot see (Docker in a VM) is reported, not refused', () => {
    const unseen = () => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    };
    expect(requireFreeSpace(unseen, '/var/lib/docker', 1)).toMatch(/not checked: ENOENT/);
  });
});

describe('tar layout', () => {
  it('predicts the exact size tar-stream writes, so truncation is caught before any load', async () => {
    const sizes = [0, 1, 511, 512, 513, 70_000];
    const pack = tar.pack();
    const chunks: Buffer[] = [];
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    const ended = new Promise<void>((r) => pack.on('end', () => r()));
    sizes.forEach((s, i) => pack.entry({ name: `images/e${i}.tar`, size: s }, Buffer.alloc(s, 1)));
    pack.finalize();
    await ended;
    expect(Buffer.concat(chunks).length).toBe(expectedTarSize(sizes));
  });
});

describe('engine load output', () => {
  it('reads loaded images and errors from the NDJSON answer', () => {
    expect(parseLoadOutput(200, '{"stream":"Loaded image: medai/x:1\\n"}\n{"stream":"Loaded image ID: sha256:ab\\n"}\n')).toEqual({ loaded: ['medai/x:1', 'sha256:ab'] });
    expect(parseLoadOutput(200, '{"errorDetail":{"message":"unexpected EOF"},"error":"unexpected EOF"}\n').error).toBe('unexpected EOF');
    expect(parseLoadOutput(500, '{"message":"no space left on device"}').error).toBe('no space left on device');
  });
});

describe('pumping an entry', () => {
  const entryOf = (data: Buffer, name = 'images/a.tar') => Object.assign(Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), { header: { name, size: data.length } }) as unknown as BundleEntry;
  const spec = (data: Buffer) => ({ file: 'images/a.tar', size: data.length, sha256: createHash('sha256').update(data).digest('hex') });

  it('passes all but the held-back tail to the sink, and returns the tail once the hash matched', async () => {
    const data = randomBytes(300_000);
    const got: Buffer[] = [];
    const tail = await pumpEntry(entryOf(data), spec(data), { write: async (c) => (got.push(Buffer.from(c)), true) }, () => undefined);
    expect(tail.length).toBeGreaterThanOrEqual(HOLD_BACK);
    expect(Buffer.concat([...got, tail]).equals(data)).toBe(true);
  });

  it('a flipped byte: the sink never received the tail, and the error names the entry', async () => {
    const data = randomBytes(300_000);
    const s = spec(data);
    data[150_000] = data[150_000]! ^ 1;
    let sent = 0;
    const code = await codeOf(() => pumpEntry(entryOf(data), s, { write: async (c) => ((sent += c.length), true) }, () => undefined));
    expect(code).toBe('BUNDLE_ENTRY_CORRUPT');
    expect(sent).toBeLessThanOrEqual(data.length - HOLD_BACK);
    expect(sent).toBeGreaterThan(0);
  });

  it('refuses an entry whose name or header size differs from the manifest before reading it', async () => {
    const data = randomBytes(1000);
    expect(await codeOf(() => pumpEntry(entryOf(data, 'images/b.tar'), spec(data), undefined, () => undefined))).toBe('BUNDLE_ENTRY_CORRUPT');
    expect(await codeOf(() => pumpEntry(entryOf(data), { ...spec(data), size: 999 }, undefined, () => undefined))).toBe('BUNDLE_ENTRY_CORRUPT');
  });
});
