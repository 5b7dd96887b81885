import Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../../electron/core/clock';
import type { OperationEvent } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { generateSigningKey } from '../../../electron/core/bundle/keys';
import type { StatFs } from '../../../electron/core/bundle/disk-space';
import { dockerEndpointFromEnv } from '../../../electron/core/engine/docker-endpoint';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';

/** Every image these tests create is tagged under this repo prefix, so cleanup never touches anyone else's. */
export const TEST_REPO = 'medai-bundle-test';
export const endpoint = dockerEndpointFromEnv();
export const docker = new Docker({ socketPath: endpoint.socketPath });

export function sh(cmd: string, args: string[], input?: Buffer): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The engine's full image list (ID and tags): what "nothing changed" is asserted against. */
export async function engineImages(): Promise<string[]> {
  const list = await docker.listImages({ all: true });
  return list.map((i) => `${i.Id} ${(i.RepoTags ?? []).sort().join(',')}`).sort();
}

/**
 * What "the engine did not change" is checked on. In CI the integration and browser files
 * run one at a time, so it is the whole image list. On a shared workstation other tests
 * (including another run of this very file) load and remove images at the same moment, so
 * there it is every image whose tag carries this run's `marker` or whose ID is in `ids`.
 */
export async function imagesInScope(marker: string, ids: readonly string[] = []): Promise<string[]> {
  const all = await engineImages();
  return process.env.CI ? all : all.filter((l) => l.includes(marker) || ids.some((id) => l.startsWith(id)));
}

export const idOf = (ref: string): string | null => {
  const r = spawnSync('docker', ['image', 'inspect', '-f', '{{.Id}}', ref], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

/**
 * A tiny image with its own random layer (busybox + `kib` KiB of random bytes), so its ID
 * is new to the engine and a load really creates it.
 */
export function makeTinyImage(ref: string, kib = 64): string {
  const t = makeTempDir('bundle-img');
  try {
    fs.mkdirSync(path.join(t.dir, 'bin'));
    fs.copyFileSync('/bin/busybox', path.join(t.dir, 'bin', 'busybox'));
    fs.chmodSync(path.join(t.dir, 'bin', 'busybox'), 0o755);
    fs.symlinkSync('busybox', path.join(t.dir, 'bin', 'sh'));
    fs.writeFileSync(path.join(t.dir, 'payload.bin'), randomBytes(kib * 1024));
    const tarball = path.join(t.dir, '..', `${path.basename(t.dir)}.tar`);
    sh('tar', ['-C', t.dir, '-cf', tarball, '.']);
    sh('docker', ['import', '-c', 'CMD ["/bin/sh"]', tarball, ref]);
    fs.rmSync(tarball, { force: true });
    return idOf(ref)!;
  } finally {
    t.cleanup();
  }
}

/** Removes images by ID (all their tags) if present; only ever called with IDs a test created. */
export function removeImages(ids: Iterable<string | null | undefined>): void {
  for (const id of ids) if (id) spawnSync('docker', ['rmi', '-f', id], { encoding: 'utf8' });
}

export interface StackFixture {
  dir: string;
  modelsDir: string;
}

/** A stack definition folder like bundles/medical-ai-stack, over the given images and model files. */
export function writeStackDir(root: string, images: { service: string; ref: string }[], models: { name: string; bytes: Buffer }[] = [], versions = { stackVersion: '1.0.0', minUpgradeFrom: '0.9.0' }): StackFixture {
  const dir = path.join(root, 'stack');
  const modelsDir = path.join(root, 'models-src');
  fs.mkdirSync(path.join(dir, 'release-notes'), { recursive: true });
  fs.mkdirSync(modelsDir, { recursive: true });
  const services = images.map((i) => `  ${i.service}:\n    image: ${i.ref}\n    restart: unless-stopped\n`).join('');
  fs.writeFileSync(path.join(dir, 'compose.yaml'), `# test stack\nname: medai\nservices:\n${services}`);
  fs.writeFileSync(
    path.join(dir, 'stack.json'),
    JSON.stringify({ ...versions, models: models.map((m) => ({ name: m.name, path: m.name })) }),
  );
  fs.writeFileSync(
    path.join(dir, 'env.schema.json'),
    JSON.stringify([{ name: 'SECRET_KEY', description: { 'zh-CN': '密钥', en: 'secret key' }, secret: true, generate: 'hex32' }]),
  );
  fs.writeFileSync(path.join(dir, 'release-notes', 'zh-CN.md'), '# 测试版本\n修复若干问题。');
  fs.writeFileSync(path.join(dir, 'release-notes', 'en.md'), '# Test release\nFixes a few things.');
  for (const m of models) {
    fs.mkdirSync(path.dirname(path.join(modelsDir, m.name)), { recursive: true });
    fs.writeFileSync(path.join(modelsDir, m.name), m.bytes);
  }
  return { dir, modelsDir };
}

export interface TestCore {
  core: Core;
  dataDir: string;
  trustDir: string;
  keyPath: string;
  keyId: string;
  close(): void;
}

/** A core on a fresh data dir, the real engine, and a trust folder holding one fresh test key. */
export function openTestCore(statfs?: StatFs): TestCore {
  const t = makeTempDir('bundle-core');
  const trustDir = path.join(t.dir, 'trust');
  const keys = generateSigningKey(path.join(t.dir, 'keys'), 'test-signer');
  fs.mkdirSync(trustDir);
  fs.copyFileSync(keys.publicKeyPath, path.join(trustDir, 'test-signer.pub'));
  const dataDir = path.join(t.dir, 'data');
  const db = openState(dataDir);
  const core = createCore({ dataDir, db, docker, dockerEndpoint: endpoint, clock: systemClock, bundle: { trustDir, ...(statfs ? { statfs } : {}) } });
  return { core, dataDir, trustDir, keyPath: keys.privateKeyPath, keyId: keys.keyId, close: () => (db.close(), t.cleanup()) };
}

export { runOperation } from '../../support/run-operation';

export function resultOf<T>(last: OperationEvent): T {
  if (last.type === 'failed') throw new Error(`operation failed: ${last.error.code} ${last.error.message.en} ${last.error.detail ?? ''}`);
  if (last.type !== 'done') throw new Error('operation did not finish');
  return last.result as T;
}

/** Byte offset of an entry's data in a bundle, found by walking the ustar headers. */
export function entryDataOffset(bundlePath: string, name: string): { offset: number; size: number } {
  const fd = fs.openSync(bundlePath, 'r');
  try {
    const header = Buffer.alloc(512);
    for (let pos = 0; ; ) {
      if (fs.readSync(fd, header, 0, 512, pos) !== 512) throw new Error(`${name} not found`);
      const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      if (!entryName) throw new Error(`${name} not found`);
      const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
      if (entryName === name) return { offset: pos + 512, size };
      pos += 512 + Math.ceil(size / 512) * 512;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Copies a bundle and flips one byte in the middle of the named entry. */
export function flipByte(src: string, dst: string, entry: string, where: 'middle' | 'last' = 'middle'): void {
  fs.copyFileSync(src, dst);
  const { offset, size } = entryDataOffset(dst, entry);
  const at = offset + (where === 'middle' ? Math.floor(size / 2) : size - 1);
  const fd = fs.openSync(dst, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, at);
  b[0] = b[0]! ^ 0xff;
  fs.writeSync(fd, b, 0, 1, at);
  fs.closeSync(fd);
}

/** Rewrites a bundle's manifest and/or signature (everything else byte for byte), via tar-stream. */
export async function rewriteBundle(
  src: string,
  dst: string,
  change: { manifest?: (m: Record<string, unknown>, raw: Buffer) => Buffer; signature?: (manifestBytes: Buffer, sig: Buffer) => Buffer },
): Promise<void> {
  const tar = (await import('tar-stream')).default;
  const entries: { name: string; data: Buffer }[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        entries.push({ name: h.name, data: Buffer.concat(chunks) });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  fs.createReadStream(src).pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  const m = entries.find((e) => e.name === 'manifest.json')!;
  if (change.manifest) m.data = change.manifest(JSON.parse(m.data.toString('utf8')) as Record<string, unknown>, m.data);
  const s = entries.find((e) => e.name === 'manifest.sig')!;
  if (change.signature) s.data = change.signature(m.data, s.data);
  const pack = tar.pack();
  const out = fs.createWriteStream(dst);
  const written = new Promise<void>((resolve, reject) => (out.on('close', resolve), out.on('error', reject)));
  (pack as unknown as NodeJS.ReadableStream).pipe(out);
  for (const e of entries) pack.entry({ name: e.name, size: e.data.length, mode: 0o644, mtime: new Date(0) }, e.data);
  pack.finalize();
  await written;
}

/** The engine's image events for one image ID between two times (load, tag, untag, delete). */
export async function imageEvents(id: string, since: number, until: number): Promise<string[]> {
  const stream = (await docker.getEvents({ since, until, filters: { type: ['image'] } })) as unknown as NodeJS.ReadableStream;
  let body = '';
  for await (const chunk of stream) body += chunk.toString();
  return body
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id?: string; Action?: string; Actor?: { ID?: string } })
    .filter((e) => e.id === id || e.Actor?.ID === id)
    .map((e) => e.Action ?? '');
}
