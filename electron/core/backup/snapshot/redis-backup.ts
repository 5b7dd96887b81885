import type Docker from 'dockerode';
import { fail } from '../../contract';
import type { ComponentBackup } from './component';
import { execCollect, execStream } from './container-exec';
import { findServiceContainer } from './stack-locator';
import { streamIntoRepo } from './stream-into-repo';

/** redis-cli inside the container, authenticated from the container's own REDIS_PASSWORD. */
export async function redisCli(docker: Docker, container: string, ...args: string[]): Promise<string> {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = await execCollect(docker, container, ['sh', '-c', `REDISCLI_AUTH="$REDIS_PASSWORD" exec redis-cli --no-auth-warning ${quoted}`]);
  if (r.code !== 0 || /^(ERR|NOAUTH|WRONGPASS)/m.test(r.stdout)) throw fail('BACKUP_COMPONENT_FAILED', { component: 'redis', reason: 'redis-cli failed' }, `${r.stdout}${r.stderr}`.slice(-1000));
  return r.stdout.trim();
}

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();

/**
 * Redis: a fresh RDB from BGSAVE (a point-in-time fork, no pause for clients), then the
 * file itself streamed into restic. DBSIZE goes into the manifest as its row count.
 */
export const backupRedis: ComponentBackup = async (env) => {
  const container = await findServiceContainer(env.docker, env.binding.project, env.binding.services.redis);
  const before = Number(await redisCli(env.docker, container, 'LASTSAVE'));
  const keys = Number(await redisCli(env.docker, container, 'DBSIZE'));
  await redisCli(env.docker, container, 'BGSAVE');
  for (let i = 0; ; i++) {
    const info = await redisCli(env.docker, container, 'INFO', 'persistence');
    const done = field(info, 'rdb_bgsave_in_progress') === '0' && Number(await redisCli(env.docker, container, 'LASTSAVE')) >= before;
    if (done && field(info, 'rdb_last_bgsave_status') !== 'ok') throw fail('BACKUP_COMPONENT_FAILED', { component: 'redis', reason: 'BGSAVE failed' }, info);
    if (done && Number(await redisCli(env.docker, container, 'LASTSAVE')) > before) break;
    if (done && i > 20) break; // LASTSAVE has one-second resolution: a save within the same second.
    if (i > 3000) throw fail('BACKUP_COMPONENT_FAILED', { component: 'redis', reason: 'BGSAVE did not finish' });
    await new Promise((r) => setTimeout(r, 100));
  }
  const dir = (await redisCli(env.docker, container, 'CONFIG', 'GET', 'dir')).split('\n')[1] ?? '/data';
  const file = (await redisCli(env.docker, container, 'CONFIG', 'GET', 'dbfilename')).split('\n')[1] ?? 'dump.rdb';
  const cat = await execStream(env.docker, container, ['cat', `${dir}/${file}`]);
  const r = await streamIntoRepo(env.repo, 'redis/dump.rdb', cat.stdout, cat.exitCode, env.common('redis'), { component: 'redis', stderr: cat.stderr, abort: cat.abort });
  env.added(r.dataAdded);
  return { name: 'redis', items: [{ key: 'dump.rdb', snapshotId: r.snapshotId, file: '/redis/dump.rdb', bytes: r.bytes, sha256: r.sha256, tables: { keys: { rows: keys, checksum: '' } } }] };
};
