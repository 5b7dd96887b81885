import type Docker from 'dockerode';
import { createHash, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { BundleManifest, fail, type BundleBuildResult, type BundleImage, type BundleModel, type ImageCompression } from '../contract';
import type { Clock } from '../clock';
import type { OperationContext } from '../operations/operation-hub';
import { readPrivateKey } from './keys';
import { signManifest } from './signature';
import { readStackDefinition } from './stack-definition';
import { STEP } from './steps';
import { MANIFEST_ENTRY, SIGNATURE_ENTRY } from './tar-layout';

export interface BuildRequest {
  stackDir: string;
  modelsDir?: string | undefined;
  bundleVersion: string;
  privateKeyPath: string;
  outPath: string;
  compression: ImageCompression;
  pull?: boolean;
}

/** The image from the local engine, pulled first when it is missing and pulling is allowed. */
async function localImage(docker: Docker, ref: string, pull: boolean | undefined, log: (line: string) => void): Promise<{ Id: string; Size: number }> {
  const inspect = async () => (await docker.getImage(ref).inspect()) as { Id: string; Size: number };
  try {
    return await inspect();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404 || pull === false) throw fail('BUNDLE_BUILD_IMAGE_MISSING', { ref }, (e as Error).message);
  }
  log(`pulling ${ref}`);
  try {
    const stream = (await docker.pull(ref)) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    return await inspect();
  } catch (e) {
    throw fail('BUNDLE_BUILD_IMAGE_MISSING', { ref }, `not in the local engine, and pulling failed: ${(e as Error).message}`);
  }
}

/** Counts and hashes what passes through, without a second read of the file. */
function digestOf(onChunk?: (n: number) => void) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      onChunk?.(chunk.length);
      cb(null, chunk);
    },
  });
  return { stream, result: () => ({ sha256: hash.digest('hex'), size }) };
}

async function writeEntry(pack: tar.Pack, name: string, size: number, source: Readable | Buffer): Promise<void> {
  const entryDone = new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ name, size, mode: 0o644, mtime: new Date(0) }, (err) => (err ? reject(err) : resolve()));
    if (Buffer.isBuffer(source)) return void entry.end(source);
    void (async () => {
      for await (const chunk of source as AsyncIterable<Buffer>) if (!entry.write(chunk)) await once(entry as unknown as NodeJS.EventEmitter, 'drain');
      (entry as unknown as NodeJS.WritableStream).end();
    })().catch(reject);
  });
  await entryDone;
}

/**
 * Makes a bundle from images in the local engine: docker save of each compose image
 * (compressed, hashed on the way to a work file), the model files, the manifest with the
 * compose file pinned to image IDs, and the Ed25519 signature; then one tar in the fixed
 * order. The output appears under its name only when complete.
 */
export async function buildBundle(deps: { docker: Docker; clock: Clock }, req: BuildRequest, ctx: OperationContext): Promise<BundleBuildResult> {
  const stack = readStackDefinition(req.stackDir);
  const privateKey = readPrivateKey(req.privateKeyPath);
  const publicKey = createPublicKey(privateKey);
  if (fs.existsSync(req.outPath)) throw fail('BUNDLE_OUTPUT_EXISTS', { path: req.outPath });
  const outDir = path.dirname(path.resolve(req.outPath));
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(outDir, '.medai-bundle-build-'));
  const partial = `${req.outPath}.partial`;
  const count = stack.images.length + stack.models.length + 1;
  try {
    const images: BundleImage[] = [];
    for (const [index, { service, ref }] of stack.images.entries()) {
      ctx.progress({ step: { id: `image:${service}`, label: STEP.saveImage(ref), index, count }, log: ref });
      const info = await localImage(deps.docker, ref, req.pull, (log) => ctx.progress({ log }));
      const file = `images/${service}.tar${req.compression === 'gzip' ? '.gz' : ''}`;
      const digest = digestOf(undefined);
      const saved = (await deps.docker.getImage(ref).get()) as unknown as Readable;
      const target = fs.createWriteStream(path.join(work, `${service}.img`));
      if (req.compression === 'gzip') await pipeline(saved, zlib.createGzip({ level: 6 }), digest.stream, target);
      else await pipeline(saved, digest.stream, target);
      images.push({ service, ref, id: info.Id, file, compression: req.compression, ...digest.result(), unpackedSize: info.Size });
      // Pin the compose file to what was bundled: the installer checks tag → ID before it starts anything.
      stack.compose.setIn(['services', service, 'x-medai-image-id'], info.Id);
    }

    const models: BundleModel[] = [];
    const modelsDir = req.modelsDir ?? stack.dir;
    for (const m of stack.models) {
      const src = path.resolve(modelsDir, m.path);
      if (!fs.existsSync(src)) throw fail('BUNDLE_BUILD_INPUT_INVALID', { file: src }, `model ${m.name} not found`);
      const digest = digestOf(undefined);
      await pipeline(fs.createReadStream(src), digest.stream, fs.createWriteStream('/dev/null'));
      models.push({ name: m.name, file: `models/${m.name}`, ...digest.result() });
    }

    const manifest = BundleManifest.parse({
      schemaVersion: 1,
      bundleVersion: req.bundleVersion,
      stackVersion: stack.stackVersion,
      minUpgradeFrom: stack.minUpgradeFrom,
      createdAt: deps.clock.now().toISOString(),
      releaseNotes: stack.releaseNotes,
      compose: { file: 'compose.yaml', content: stack.compose.toString() },
      envSchema: stack.envSchema,
      images,
      models,
    });
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
    const signature = signManifest(manifestBytes, privateKey, publicKey);

    ctx.progress({ step: { id: 'write', label: STEP.writeBundle, index: count - 1, count } });
    const pack = tar.pack();
    const written = pipeline(pack as unknown as Readable, fs.createWriteStream(partial, { mode: 0o644 }));
    await writeEntry(pack, MANIFEST_ENTRY, manifestBytes.length, manifestBytes);
    const sigBytes = Buffer.from(JSON.stringify(signature));
    await writeEntry(pack, SIGNATURE_ENTRY, sigBytes.length, sigBytes);
    for (const image of images) await writeEntry(pack, image.file, image.size, fs.createReadStream(path.join(work, `${image.service}.img`)));
    for (const [i, m] of models.entries()) await writeEntry(pack, m.file, m.size, fs.createReadStream(path.resolve(modelsDir, stack.models[i]!.path)));
    pack.finalize();
    await written;
    fs.renameSync(partial, req.outPath);
    return {
      path: path.resolve(req.outPath),
      size: fs.statSync(req.outPath).size,
      manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
      keyId: signature.keyId,
      images,
      models,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
}
