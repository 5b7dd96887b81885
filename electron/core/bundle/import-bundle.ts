import type Docker from 'dockerode';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { CoreError, fail, toApiError, type BundleImage, type BundleImportResult } from '../contract';
import type { Clock } from '../clock';
import type { OperationContext } from '../operations/operation-hub';
import { openBundle, type BundleEntry, type OpenedBundle } from './bundle-reader';
import type { BundleStore } from './bundle-store';
import { imageSpaceNeeded, requireFreeSpace, type StatFs } from './disk-space';
import { EngineImageLoad } from './engine-image-load';
import { imageIdOf, restoreImages, snapshotImages, tagImage, type ImageSnapshot } from './engine-images';
import { pumpEntry } from './entry-pump';
import { acquireImportLock } from './import-lock';
import type { TrustedKey } from './keys';
import { BundleProgress } from './progress';
import { STEP } from './steps';
import { checkVersionPolicy } from './version-policy';

export interface ImportDeps {
  docker: Docker;
  socketPath: string;
  dataDir: string;
  store: BundleStore;
  trusted: Map<string, TrustedKey>;
  statfs: StatFs;
  clock: Clock;
}

type Ref = { ref: string; id: string };

/**
 * Imports a bundle in one read of the file: signature and manifest first, then version
 * and disk checks, then each image is hashed while it streams into the engine's image
 * load. Any failure removes what this import added and restores moved tags, so the
 * installed stack is untouched.
 */
export async function importBundle(deps: ImportDeps, req: { path: string; force: boolean }, ctx: OperationContext): Promise<BundleImportResult> {
  const release = acquireImportLock(deps.dataDir);
  try {
    return await importLocked(deps, req, ctx);
  } finally {
    release();
  }
}

async function importLocked(deps: ImportDeps, req: { path: string; force: boolean }, ctx: OperationContext): Promise<BundleImportResult> {
  const bundle = await openBundle(req.path, deps.trusted);
  const { manifest } = bundle;
  const modelsDir = path.join(deps.dataDir, 'bundles', manifest.bundleVersion, 'models');
  const partials: string[] = [];
  const versionDir = path.dirname(modelsDir);
  const versionDirExisted = fs.existsSync(versionDir);
  let openFile: fs.WriteStream | undefined;
  const inFlight: Promise<void>[] = [];
  let before: ImageSnapshot | undefined;
  try {
    checkVersionPolicy(manifest, deps.store.installedVersion(), req.force);
    before = await snapshotImages(deps.docker, manifest.images);
    const snapshot = before;
    const toLoad = manifest.images.filter((i) => !snapshot.presentIds.has(i.id));
    const info = (await deps.docker.info()) as { DockerRootDir: string };
    const imagesNote = requireFreeSpace(deps.statfs, info.DockerRootDir, imageSpaceNeeded(toLoad.map((i) => i.unpackedSize)));
    fs.mkdirSync(modelsDir, { recursive: true, mode: 0o700 });
    const modelsNote = requireFreeSpace(deps.statfs, modelsDir, manifest.models.reduce((a, m) => a + m.size, 0));
    const spaceNotes = [imagesNote, modelsNote].filter((n): n is string => n !== undefined);

    const count = manifest.images.length + manifest.models.length + 2;
    const progress = new BundleProgress(ctx, bundle.fileSize);
    progress.enter('signature', STEP.signature, 0, count, `signer ${bundle.signer.name} (${bundle.signer.keyId.slice(0, 16)})`);
    progress.add(bundle.fileSize - manifest.images.reduce((a, i) => a + i.size, 0) - manifest.models.reduce((a, m) => a + m.size, 0));
    for (const note of spaceNotes) progress.emit(note);

    const loaded: Ref[] = [];
    const skipped: Ref[] = [];
    for (const [index, image] of manifest.images.entries()) {
      const present = snapshot.presentIds.has(image.id);
      progress.enter(`image:${image.service}`, present ? STEP.skipImage(image.ref) : STEP.importImage(image.ref), index + 1, count, image.ref);
      const entry = await nextEntry(bundle, image.file);
      if (present) {
        // Still read and hashed: "verified" means every byte of the bundle, not only the new ones.
        await pumpEntry(entry, image, undefined, (n) => progress.add(n));
        if ((await imageIdOf(deps.docker, image.ref)) !== image.id) await tagImage(deps.docker, image.id, image.ref);
        skipped.push({ ref: image.ref, id: image.id });
        continue;
      }
      // At most two loads at a time: one image being applied by the engine while the next streams in.
      if (inFlight.length > 1) await inFlight.shift();
      inFlight.push((await sendOne(deps, entry, image, progress)).settled);
      loaded.push({ ref: image.ref, id: image.id });
    }

    for (const [i, model] of manifest.models.entries()) {
      progress.enter(`model:${model.name}`, STEP.model(model.name), manifest.images.length + 1 + i, count, model.name);
      const entry = await nextEntry(bundle, model.file);
      const target = path.join(modelsDir, model.name);
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
      partials.push(partial);
      const out = fs.createWriteStream(partial, { mode: 0o600 });
      openFile = out;
      const tail = await pumpEntry(entry, model, { write: async (c) => (out.write(c) ? true : (await once(out, 'drain'), true)) }, (n) => progress.add(n));
      out.end(tail);
      await once(out, 'close');
      openFile = undefined;
    }
    const extra = await bundle.next();
    if (extra) throw fail('BUNDLE_NOT_A_BUNDLE', { path: req.path }, `unexpected entry ${extra.header.name} after the last one the manifest names`);
    while (inFlight.length) await inFlight.shift();
    // Models become visible only when every entry of the bundle checked out.
    for (const [i, model] of manifest.models.entries()) fs.renameSync(partials[i]!, path.join(modelsDir, model.name));
    partials.length = 0;

    progress.enter('record', STEP.record, count - 1, count);
    deps.store.record({
      manifest,
      manifestJson: bundle.manifestBytes.toString('utf8'),
      manifestSha256: bundle.manifestSha256,
      signerKeyId: bundle.signer.keyId,
      importedAt: deps.clock.now().toISOString(),
      sourcePath: path.resolve(req.path),
      modelsDir,
    });
    progress.emit();
    return { bundleVersion: manifest.bundleVersion, stackVersion: manifest.stackVersion, loaded, skipped, modelsDir, bytesRead: bundle.fileSize };
  } catch (e) {
    bundle.close();
    if (openFile && !openFile.closed) {
      // The stream opens its file asynchronously: close it before removing, or it would reappear.
      const closed = once(openFile, 'close');
      openFile.destroy();
      await closed;
    }
    for (const p of partials) fs.rmSync(p, { force: true });
    // A load still being applied must end before the undo, or its image would appear after it.
    await Promise.allSettled(inFlight);
    if (!versionDirExisted) fs.rmSync(versionDir, { recursive: true, force: true });
    const problems = before ? await restoreImages(deps.docker, manifest.images, before) : [];
    if (!problems.length) throw e;
    const err = toApiError(e);
    throw new CoreError({ ...err, detail: [err.detail, `cleanup incomplete: ${problems.join('; ')}`].filter(Boolean).join(' | ') });
  } finally {
    bundle.close();
  }
}

async function nextEntry(bundle: OpenedBundle, file: string) {
  const entry = await bundle.next();
  if (!entry) throw fail('BUNDLE_ENTRY_CORRUPT', { entry: file }, 'the archive ends before this entry');
  return entry;
}

/**
 * Streams one image into the engine and returns once its bytes are all sent and hashed;
 * the returned `settled` promise ends when the engine has registered it. The importer
 * starts reading the next image meanwhile: the engine applies the layers of one image
 * while it receives the next, which a sequence of plain `docker load`s cannot do.
 */
async function sendOne(deps: ImportDeps, entry: BundleEntry, image: BundleImage, progress: BundleProgress): Promise<{ settled: Promise<void> }> {
  const load = new EngineImageLoad(deps.socketPath);
  let tail: Buffer;
  try {
    tail = await pumpEntry(entry, image, load, (n) => progress.add(n));
  } catch (e) {
    load.abort();
    throw e;
  }
  const settled = (async () => {
    let outcome;
    try {
      outcome = await load.finish(tail);
    } catch (e) {
      throw fail('BUNDLE_IMAGE_LOAD_FAILED', { ref: image.ref }, (e as Error).message);
    }
    if (outcome.error) throw fail('BUNDLE_IMAGE_LOAD_FAILED', { ref: image.ref }, outcome.error);
    const id = await imageIdOf(deps.docker, image.ref);
    if (id !== image.id) throw fail('BUNDLE_IMAGE_ID_MISMATCH', { ref: image.ref, expected: image.id }, `engine has ${id ?? 'nothing'} for ${image.ref}; load said ${outcome.loaded.join(', ')}`);
  })();
  // Observed by the importer later; never an unhandled rejection in between.
  settled.catch(() => undefined);
  return { settled };
}
