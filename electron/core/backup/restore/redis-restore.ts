import type Docker from 'dockerode';
import tar from 'tar-stream';
import { fail, type ComponentManifest, type RestoreReport } from '../../contract';
import type { ResticRepo } from '../restic/restic-repo';
import { redisCli } from '../snapshot/redis-backup';
import { removeScratch, startScratchLike, waitFor } from './scratch-container';

type Check = RestoreReport['components'][number]['checks'][number];

const tarOf = async (name: string, data: Buffer): Promise<Buffer> => {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o600 }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/**
 * Puts the RDB where Redis loads it at start. With AOF on (the stack's setting), Redis 7
 * ignores dump.rdb and starts from its AOF folder, so the RDB becomes the AOF base file
 * with a one-line manifest, which is the multi-part AOF layout Redis itself writes.
 */
const placeScript = (tag: string, aof: boolean, dir: string, file: string) => `set -e; cd /data
mkdir -p pre-restore-${tag}
[ ! -e ${dir} ] || mv ${dir} pre-restore-${tag}/
[ ! -e dump.rdb ] || mv dump.rdb pre-restore-${tag}/
if [ ${aof ? 1 : 0} = 1 ]; then
  mkdir ${dir}; mv medai-restore.rdb ${dir}/${file}.1.base.rdb; : > ${dir}/${file}.1.incr.aof
  printf 'file ${file}.1.base.rdb seq 1 type b\\nfile ${file}.1.incr.aof seq 1 type i\\n' > ${dir}/${file}.manifest
else mv medai-restore.rdb dump.rdb; fi`;

const rollbackScript = (tag: string, dir: string) => `cd /data && [ -d pre-restore-${tag} ] && rm -rf ${dir} dump.rdb && mv pre-restore-${tag}/* . 2>/dev/null; rmdir pre-restore-${tag} 2>/dev/null; true`;

async function runHelper(docker: Docker, image: string, volume: string, script: string, rdb?: Buffer): Promise<void> {
  const helper = await docker.createContainer({
    Image: image,
    Entrypoint: ['sh', '-c', script],
    Labels: { 'medai.backup.scratch': '1' },
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }], NetworkMode: 'none' },
  });
  try {
    if (rdb) await helper.putArchive(await tarOf('medai-restore.rdb', rdb), { path: '/data' });
    await helper.start();
    const r = (await helper.wait()) as { StatusCode: number };
    if (r.StatusCode !== 0) throw fail('BACKUP_RESTORE_FAILED', { component: 'redis', reason: `placing the RDB failed (exit ${r.StatusCode})` });
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Redis: verified first in a scratch copy (same image, its own volume), then, in place,
 * the live container is stopped, its files set aside, the RDB placed, and started again;
 * a key count that does not match puts the set-aside files back.
 */
export async function restoreRedis(docker: Docker, liveId: string, repo: ResticRepo, component: ComponentManifest, opts: { swap: boolean; tag: string; log: (s: string) => void }): Promise<Check[]> {
  const item = component.items[0];
  if (!item) return [];
  const rdb = await repo.readFile(item.snapshotId, item.file);
  const expected = item.tables?.keys?.rows ?? 0;
  const aof = (await redisCli(docker, liveId, 'CONFIG', 'GET', 'appendonly')).split('\n')[1] === 'yes';
  const dir = (await redisCli(docker, liveId, 'CONFIG', 'GET', 'appenddirname').catch(() => 'x\nappendonlydir')).split('\n')[1] || 'appendonlydir';
  const file = (await redisCli(docker, liveId, 'CONFIG', 'GET', 'appendfilename')).split('\n')[1] || 'appendonly.aof';
  const live = await docker.getContainer(liveId).inspect();
  const entry = [...(live.Config.Entrypoint as string[] | null ?? []), ...((live.Config.Cmd as string[] | null) ?? [])];

  // 1. Verify in a scratch copy.
  opts.log('redis: verifying the snapshot in a scratch copy');
  const scratch = await startScratchLike(docker, liveId, 'medai-restore-redis', {
    entrypoint: ['sh', '-c', `${placeScript(opts.tag, aof, dir, file)}\nexec "$@"`, 'sh', ...entry],
    beforeStart: async (c) => {
      await c.putArchive(await tarOf('medai-restore.rdb', rdb), { path: '/data' });
    },
  });
  let scratchKeys: number;
  try {
    await waitFor(docker, scratch.id, ['sh', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli --no-auth-warning PING | grep -q PONG']);
    scratchKeys = Number(await redisCli(docker, scratch.id, 'DBSIZE'));
  } finally {
    await removeScratch(scratch);
  }
  const checks: Check[] = [{ item: 'redis keys', expected: String(expected), actual: String(scratchKeys), ok: scratchKeys === expected }];
  if (scratchKeys !== expected) throw fail('BACKUP_RESTORE_VERIFY_FAILED', { component: 'redis', reason: `keys ${expected} ≠ ${scratchKeys}` });
  if (!opts.swap) return checks;

  // 2. In place: set the live files aside, place the RDB, start, check; roll back on mismatch.
  const volume = (live.Mounts ?? []).find((m) => m.Destination === '/data')?.Name;
  if (!volume) throw fail('BACKUP_RESTORE_FAILED', { component: 'redis', reason: 'the live container has no /data volume' });
  opts.log('redis: swapping the verified data in');
  await docker.getContainer(liveId).stop({ t: 10 }).catch(() => undefined);
  try {
    await runHelper(docker, live.Config.Image, volume, placeScript(opts.tag, aof, dir, file), rdb);
    await docker.getContainer(liveId).start();
    await waitFor(docker, liveId, ['sh', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli --no-auth-warning PING | grep -q PONG']);
    const keys = Number(await redisCli(docker, liveId, 'DBSIZE'));
    if (keys !== expected) throw fail('BACKUP_RESTORE_VERIFY_FAILED', { component: 'redis', reason: `keys ${expected} ≠ ${keys}` });
    await runHelperSafe(docker, live.Config.Image, volume, `rm -rf /data/pre-restore-${opts.tag}`);
  } catch (e) {
    await docker.getContainer(liveId).stop({ t: 10 }).catch(() => undefined);
    await runHelperSafe(docker, live.Config.Image, volume, rollbackScript(opts.tag, dir));
    await docker.getContainer(liveId).start().catch(() => undefined);
    throw e;
  }
  return checks;
}

const runHelperSafe = (docker: Docker, image: string, volume: string, script: string) => runHelper(docker, image, volume, script).catch(() => undefined);
