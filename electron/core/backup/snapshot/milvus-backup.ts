import type Docker from 'dockerode';
import { fail, toApiError, type ComponentManifest } from '../../contract';
import { collectionFacts, loadAll, milvusAddress, releaseAll, waitLoaded, withMilvus, type CollectionFact } from '../milvus/milvus-client';
import { startInOrder, stopGracefully } from '../milvus/stop-together';
import { dataVolume, removeHelper, startVolumeHelper } from '../milvus/volume-helper';
import type { ComponentEnv } from './component';
import { execCollect, execStream } from './container-exec';
import { findServiceContainer } from './stack-locator';
import { streamIntoRepo } from './stream-into-repo';

/** Folders of the tar: one per volume, so a restore puts each back where it came from. */
export const MILVUS_TAR = '/milvus/volumes.tar';
/**
 * The launcher's copy of the Milvus binary (re-extracted from the image at each start),
 * its logs and its pid folder: software and run state, not data (~250 MB of the volume).
 */
export const MILVUS_TAR_EXCLUDES = ['milvus/bin', 'milvus/logs', 'milvus/run'];

/** Collections, rows and load state while Milvus still runs; null when the manager cannot reach it. */
async function factsBeforeStop(env: ComponentEnv, milvusId: string): Promise<Record<string, CollectionFact> | null> {
  const address = await milvusAddress(env.docker, milvusId);
  if (!address) return null;
  try {
    return await withMilvus(address, (c) => collectionFacts(c, true));
  } catch (e) {
    env.progress({ log: `milvus: no flush (${String((e as Error).message ?? e).slice(0, 200)}); the write-ahead log in the volume is copied instead` });
    return null;
  }
}

async function copyVolumes(env: ComponentEnv, image: string, volumes: { dir: string; volume: string }[]) {
  const helper = await startVolumeHelper(
    env.docker,
    image,
    volumes.map((v) => ({ volume: v.volume, target: `/backup/${v.dir}`, readOnly: true })),
    'backup-milvus',
  );
  try {
    const prune = MILVUS_TAR_EXCLUDES.map((e) => `-path /backup/${e} -prune -o`).join(' ');
    const size = await execCollect(env.docker, helper.id, ['sh', '-c', `find /backup ${prune} -type f -printf '%s\\n' | awk '{s+=$1} END {print s+0}'`]);
    const expectedBytes = Number(size.stdout.trim()) || undefined;
    const tar = await execStream(env.docker, helper.id, ['tar', '-C', '/backup', '--numeric-owner', ...MILVUS_TAR_EXCLUDES.map((e) => `--exclude=${e}`), '-cf', '-', ...volumes.map((v) => v.dir)]);
    const common = { ...env.common('milvus'), expectedBytes, onProgress: (p: { bytesDone?: number; bytesTotal?: number; percent?: number }) => env.progress(p) };
    const pending = streamIntoRepo(env.repo, MILVUS_TAR.slice(1), tar.stdout, tar.exitCode, common, { component: 'milvus', stderr: tar.stderr, abort: tar.abort });
    // Attached after restic's pump (never before: the first listener starts the flow). Bytes
    // read from the volumes, reported as they stream (restic's own status lines come
    // at most twice a second and not at all for a copy that finishes sooner).
    let read = 0;
    let shown = 0;
    const report = () => env.progress({ bytesDone: read, ...(expectedBytes ? { bytesTotal: expectedBytes, percent: Math.min(100, Math.round((read / expectedBytes) * 1000) / 10) } : {}) });
    tar.stdout.on('data', (c: Buffer) => {
      read += c.length;
      if (Date.now() - shown > 500) {
        shown = Date.now();
        report();
      }
    });
    tar.stdout.on('end', report);
    const r = await pending;
    env.added(r.dataAdded);
    return r;
  } finally {
    await removeHelper(helper);
  }
}

export async function milvusMembers(docker: Docker, binding: ComponentEnv['binding']) {
  const service = binding.services.milvus;
  if (!service) throw fail('BACKUP_COMPONENT_FAILED', { component: 'milvus', reason: 'the stack binding names no Milvus service' });
  const milvus = await findServiceContainer(docker, binding.project, service);
  const etcd = await findServiceContainer(docker, binding.project, binding.services.etcd);
  const [mi, ei] = await Promise.all([docker.getContainer(milvus).inspect(), docker.getContainer(etcd).inspect()]);
  return { milvus: { id: milvus, name: service, info: mi, volume: dataVolume(mi, 'milvus') }, etcd: { id: etcd, name: binding.services.etcd, info: ei, volume: dataVolume(ei, 'etcd') } };
}

/**
 * Milvus with its etcd, consistent: Milvus keeps metadata in etcd and data (segments,
 * write-ahead log) in its volume, and a copy of one taken while the other moves does not
 * match. So the collections are flushed, Milvus and etcd are stopped together, both volumes
 * stream into restic as one tar, and both start again — always, even when the copy failed.
 * The stack's service keeps running: vector search and ingest answer 503 meanwhile, the
 * rest of its API works. The outage (stop to searchable again) goes into the manifest.
 */
export async function backupMilvus(env: ComponentEnv): Promise<Omit<ComponentManifest, 'durationMs'>> {
  const { docker } = env;
  const m = await milvusMembers(docker, env.binding);
  env.progress({ log: 'milvus: flushing collections' });
  const facts = await factsBeforeStop(env, m.milvus.id);
  const loaded = Object.entries(facts ?? {})
    .filter(([, f]) => f.loaded)
    .map(([n]) => n);
  const down = Date.now();
  env.progress({ log: 'milvus: stopping milvus and etcd together (vector search is unavailable until they are back)' });
  let copied: Awaited<ReturnType<typeof copyVolumes>> | undefined;
  let copyError: unknown;
  try {
    const before = await milvusAddress(docker, m.milvus.id);
    if (loaded.length && before) await withMilvus(before, (c) => releaseAll(c, loaded)).catch(() => undefined);
    await stopGracefully(docker, m.milvus.id);
    await stopGracefully(docker, m.etcd.id);
    env.progress({ log: `milvus: both stopped in ${Date.now() - down} ms; copying the volumes` });
    copied = await copyVolumes(env, m.milvus.info.Config.Image, [
      { dir: 'etcd', volume: m.etcd.volume.name },
      { dir: 'milvus', volume: m.milvus.volume.name },
    ]);
  } catch (e) {
    copyError = e;
  }
  const copiedMs = Date.now() - down;
  env.progress({ log: 'milvus: starting etcd and milvus again' });
  try {
    await startInOrder(docker, [m.etcd, m.milvus], 'milvus');
  } catch (e) {
    // Both failed: the services being down is what needs a person now; the copy's error rides along.
    if (copyError) throw fail('BACKUP_STACK_RESTART_FAILED', { component: 'milvus', services: `${m.etcd.name}, ${m.milvus.name}` }, JSON.stringify(toApiError(copyError)).slice(0, 1000));
    throw e;
  }
  const healthyMs = Date.now() - down;
  const address = await milvusAddress(docker, m.milvus.id);
  const notBack =
    loaded.length && address
      ? await withMilvus(address, async (c) => {
          await loadAll(c, loaded);
          return waitLoaded(c, loaded, 180_000);
        }).catch(() => loaded)
      : [];
  const outageMs = Date.now() - down;
  env.progress({
    log: `milvus: back after ${outageMs} ms (stopped and copied in ${copiedMs} ms, healthy at ${healthyMs} ms, collections loaded at ${outageMs} ms)${notBack.length ? `; not loaded yet: ${notBack.join(', ')}` : ''}`,
  });
  if (copyError) throw copyError;
  const r = copied!;
  const tables = facts ? Object.fromEntries(Object.entries(facts).map(([n, f]) => [n, { rows: f.rows, checksum: '' }])) : undefined;
  return {
    name: 'milvus',
    outageMs,
    items: [{ key: 'volumes', snapshotId: r.snapshotId, file: MILVUS_TAR, bytes: r.bytes, sha256: r.sha256, ...(tables ? { tables } : {}) }],
  };
}
