import { LoadState, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { CoreError, fail, type ComponentManifest, type RestoreReport, type StackBinding } from '../../contract';
import { milvusAddress, probeCollection, waitLoaded, withMilvus } from '../milvus/milvus-client';
import { startInOrder, stopGracefully, waitHealthy } from '../milvus/stop-together';
import { HELPER_LABEL, removeHelper, startVolumeHelper } from '../milvus/volume-helper';
import type { ResticRepo } from '../restic/restic-repo';
import { execCollect, execStream } from '../snapshot/container-exec';
import { milvusMembers } from '../snapshot/milvus-backup';

type Check = RestoreReport['components'][number]['checks'][number];
type Item = ComponentManifest['items'][number];
type Members = Awaited<ReturnType<typeof milvusMembers>>;
const DIRS = ['etcd', 'milvus'] as const;
const RESTORE_TAG_LABEL = 'medai.backup.restore-tag';

/** Streams the tar from the repository into a helper holding the fresh volumes. */
async function fillVolumes(docker: Docker, image: string, fresh: Record<(typeof DIRS)[number], string>, repo: ResticRepo, item: Item): Promise<void> {
  const helper = await startVolumeHelper(docker, image, DIRS.map((d) => ({ volume: fresh[d], target: `/restore/${d}` })), 'restore-milvus');
  try {
    const untar = await execStream(docker, helper.id, ['tar', '-C', '/restore', '--numeric-owner', '-xpf', '-'], { withStdin: true });
    const dump = repo.dumpStream(item.snapshotId, item.file);
    dump.stream.pipe(untar.stdin as NodeJS.WritableStream);
    untar.stdout.resume();
    const [code] = await Promise.all([untar.exitCode, dump.done]);
    if (code !== 0) throw fail('BACKUP_RESTORE_FAILED', { component: 'milvus', reason: `unpacking the volumes failed (exit ${code})` }, untar.stderr().slice(-1000));
  } finally {
    await removeHelper(helper);
  }
}

async function loading(client: MilvusClient, names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) if ((await client.getLoadState({ collection_name: name }).catch(() => undefined))?.state === LoadState.LoadStateLoading) out.push(name);
  return out;
}

/** Loads every collection the manifest lists and searches it; row counts must match. */
async function checkCollections(docker: Docker, milvusId: string, expected: Item['tables'], where: string): Promise<Check[]> {
  return checkCollectionsRaw(docker, milvusId, expected, where).catch((e: unknown) => {
    if (e instanceof CoreError) throw e;
    throw fail('BACKUP_RESTORE_FAILED', { component: 'milvus', reason: `the ${where} Milvus did not answer` }, String((e as Error).message ?? e).slice(0, 1000));
  });
}

async function checkCollectionsRaw(docker: Docker, milvusId: string, expected: Item['tables'], where: string): Promise<Check[]> {
  const address = await milvusAddress(docker, milvusId);
  if (!address) return [{ item: `milvus (${where}) address`, expected: 'an IP', actual: '(none)', ok: false }];
  return withMilvus(address, async (client) => {
    const checks: Check[] = [];
    // Milvus reloads what was loaded when it stopped; a load request racing that reload can time out.
    await waitLoaded(client, await loading(client, Object.keys(expected ?? {})), 180_000);
    const shown = await client.showCollections();
    const present = new Set(shown.data.map((c) => c.name));
    for (const [name, facts] of Object.entries(expected ?? {}).sort()) {
      if (!present.has(name)) {
        checks.push({ item: `${name} exists`, expected: 'yes', actual: 'no', ok: false });
        continue;
      }
      const p = await probeCollection(client, name).catch((e: unknown) => ({ rows: -1, loads: false, answers: false, detail: String((e as Error).message ?? e).slice(0, 200) }));
      checks.push({ item: `${name} rows`, expected: String(facts.rows), actual: String(p.rows), ok: p.rows === facts.rows });
      checks.push({ item: `${name} loads`, expected: 'yes', actual: p.loads ? 'yes' : p.detail, ok: p.loads });
      checks.push({ item: `${name} answers a search`, expected: 'yes', actual: p.answers ? 'yes' : p.detail, ok: p.answers });
    }
    // A backup taken while the manager could not reach Milvus lists no collections: health is what is left to check.
    if (!expected) checks.push({ item: `milvus (${where}) collections`, expected: '(not recorded)', actual: String(present.size), ok: true });
    return checks;
  });
}

/**
 * Verifies the restored volumes in a scratch etcd + Milvus (same images and commands as
 * the live ones) on a private network with no way out; the live pair is not touched.
 */
async function verifyInScratch(docker: Docker, m: Members, fresh: Record<(typeof DIRS)[number], string>, item: Item, tag: string, log: (s: string) => void): Promise<Check[]> {
  const netName = `medai-restore-milvus-${tag}`;
  const net = await docker.createNetwork({ Name: netName, Internal: true, Labels: { [HELPER_LABEL]: '1' } });
  const made: Docker.Container[] = [];
  const like = async (member: Members['etcd'], volume: string, aliases: string[]) => {
    const i = member.info;
    const c = await docker.createContainer({
      name: `medai-restore-${member.name}-${tag}`,
      Image: i.Config.Image,
      Env: i.Config.Env,
      ...(i.Config.Entrypoint ? { Entrypoint: i.Config.Entrypoint as string[] } : {}),
      Cmd: i.Config.Cmd,
      User: i.Config.User,
      Labels: { [HELPER_LABEL]: '1', 'medai.backup.scratch-of': i.Name.replace(/^\//, ''), [RESTORE_TAG_LABEL]: tag },
      HostConfig: { NetworkMode: netName, Mounts: [{ Type: 'volume', Source: volume, Target: member.volume.destination }] },
      NetworkingConfig: { EndpointsConfig: { [netName]: { Aliases: aliases } } },
    });
    made.push(c);
    await c.start();
    return c;
  };
  try {
    // Milvus finds etcd by the name it has in the stack (etcd:2379): the scratch etcd answers to the same names.
    const etcdAliases = [...new Set([m.etcd.name, ...Object.values(m.etcd.info.NetworkSettings.Networks ?? {}).flatMap((n) => n.Aliases ?? [])])].filter((a) => !/^[0-9a-f]{12}$/.test(a));
    log('milvus: verifying the snapshot in a scratch etcd + milvus');
    const etcd = await like(m.etcd, fresh.etcd, etcdAliases);
    if (!(await waitHealthy(docker, etcd.id, 120_000))) throw fail('BACKUP_RESTORE_FAILED', { component: 'milvus', reason: 'the restored etcd did not become healthy' });
    const milvus = await like(m.milvus, fresh.milvus, [m.milvus.name]);
    if (!(await waitHealthy(docker, milvus.id, 180_000))) throw fail('BACKUP_RESTORE_FAILED', { component: 'milvus', reason: 'the restored milvus did not become healthy' });
    return await checkCollections(docker, milvus.id, item.tables, 'scratch');
  } finally {
    // Stopped before removal: the volumes must be quiet before they are copied into place.
    for (const c of made.reverse()) await stopGracefully(docker, c.id, 20).catch(() => undefined);
    for (const c of made) await c.remove({ force: true }).catch(() => undefined);
    await net.remove().catch(() => undefined);
  }
}

const moveAside = (tag: string) =>
  DIRS.map((d) => `cd /live/${d} && mkdir -p .pre-restore-${tag} && find . -mindepth 1 -maxdepth 1 ! -name .pre-restore-${tag} -exec mv {} .pre-restore-${tag}/ \\; && cp -a /fresh/${d}/. /live/${d}/`).join(' && ');
const putBack = (tag: string) =>
  DIRS.map((d) => `cd /live/${d} && [ -d .pre-restore-${tag} ] && find . -mindepth 1 -maxdepth 1 ! -name .pre-restore-${tag} -exec rm -rf {} + ; [ -d .pre-restore-${tag} ] && find .pre-restore-${tag} -mindepth 1 -maxdepth 1 -exec mv {} . \\; ; rmdir .pre-restore-${tag} 2>/dev/null; true`).join('; ');
const dropAside = (tag: string) => DIRS.map((d) => `rm -rf /live/${d}/.pre-restore-${tag}`).join('; ');

async function inVolumes(docker: Docker, image: string, m: Members, fresh: Record<(typeof DIRS)[number], string> | null, script: string): Promise<void> {
  const mounts = [
    { volume: m.etcd.volume.name, target: '/live/etcd' },
    { volume: m.milvus.volume.name, target: '/live/milvus' },
    ...(fresh ? DIRS.map((d) => ({ volume: fresh[d], target: `/fresh/${d}`, readOnly: true })) : []),
  ];
  const helper = await startVolumeHelper(docker, image, mounts, 'restore-milvus-swap');
  try {
    const r = await execCollect(docker, helper.id, ['sh', '-c', `set -e; ${script}`]);
    if (r.code !== 0) throw fail('BACKUP_RESTORE_FAILED', { component: 'milvus', reason: `swapping the volumes failed (exit ${r.code})` }, r.stderr.slice(-1000));
  } finally {
    await removeHelper(helper);
  }
}

/**
 * Milvus with its etcd, side by side: the tar goes into two fresh volumes, a scratch pair
 * started on them must load every collection and answer a search, and only then (in place)
 * is the live pair stopped, its files set aside inside its own volumes, the verified files
 * copied in, and the pair started and checked again. Any failure puts the set-aside files
 * back and starts the pair as it was. A drill stops after the scratch check.
 */
export async function restoreMilvus(
  docker: Docker,
  binding: StackBinding,
  repo: ResticRepo,
  component: ComponentManifest,
  opts: { swap: boolean; tag: string; log: (s: string) => void },
): Promise<Check[]> {
  const item = component.items[0];
  if (!item) return [];
  const m = await milvusMembers(docker, binding);
  const image = m.milvus.info.Config.Image;
  const suffix = `restore-${opts.tag}-${randomBytes(2).toString('hex')}`;
  const fresh = { etcd: `${m.etcd.volume.name}-${suffix}`, milvus: `${m.milvus.volume.name}-${suffix}` };
  for (const d of DIRS) await docker.createVolume({ Name: fresh[d], Labels: { [HELPER_LABEL]: '1' } });
  try {
    opts.log('milvus: unpacking the snapshot into fresh volumes');
    await fillVolumes(docker, image, fresh, repo, item);
    const checks = await verifyInScratch(docker, m, fresh, item, opts.tag, opts.log);
    const bad = checks.filter((c) => !c.ok);
    if (bad.length) throw fail('BACKUP_RESTORE_VERIFY_FAILED', { component: 'milvus', reason: bad.map((c) => `${c.item}: ${c.expected} ≠ ${c.actual}`).join('; ').slice(0, 400) });
    if (!opts.swap) return checks;

    opts.log('milvus: stopping milvus and etcd to swap the verified volumes in');
    try {
      await stopGracefully(docker, m.milvus.id);
      await stopGracefully(docker, m.etcd.id);
      await inVolumes(docker, image, m, fresh, moveAside(opts.tag));
      await startInOrder(docker, [m.etcd, m.milvus], 'milvus');
      const live = await checkCollections(docker, m.milvus.id, item.tables, 'live');
      const liveBad = live.filter((c) => !c.ok);
      if (liveBad.length) throw fail('BACKUP_RESTORE_VERIFY_FAILED', { component: 'milvus', reason: liveBad.map((c) => `${c.item}: ${c.expected} ≠ ${c.actual}`).join('; ').slice(0, 400) });
      await inVolumes(docker, image, m, null, dropAside(opts.tag)).catch(() => undefined);
      return [...checks, ...live.map((c) => ({ ...c, item: `${c.item} (in place)` }))];
    } catch (e) {
      opts.log('milvus: putting the previous data back');
      await stopGracefully(docker, m.milvus.id).catch(() => undefined);
      await stopGracefully(docker, m.etcd.id).catch(() => undefined);
      await inVolumes(docker, image, m, null, putBack(opts.tag)).catch(() => undefined);
      await startInOrder(docker, [m.etcd, m.milvus], 'milvus').catch(() => undefined);
      throw e;
    }
  } finally {
    // Whatever this restore started is swept by its tag, also if a step above was interrupted.
    for (const c of await docker.listContainers({ all: true, filters: { label: [`${RESTORE_TAG_LABEL}=${opts.tag}`] } }).catch(() => [])) {
      await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    await docker.getNetwork(`medai-restore-milvus-${opts.tag}`).remove().catch(() => undefined);
    for (const d of DIRS) await docker.getVolume(fresh[d]).remove().catch(() => undefined);
  }
}
