import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { fail } from '../../contract';
import { execCollect } from '../snapshot/container-exec';

export const SCRATCH_LABEL = 'medai.backup.scratch';

/**
 * A throwaway copy of a stack service for restore drills (and verifying before a swap):
 * same image and environment as the live container, no published ports, its own anonymous
 * volume, labelled so leftovers are found and removed. The live stack is never touched.
 */
export async function startScratchLike(
  docker: Docker,
  liveId: string,
  name: string,
  opts: { env?: string[]; entrypoint?: string[]; beforeStart?: (c: Docker.Container) => Promise<void> } = {},
): Promise<Docker.Container> {
  const live = await docker.getContainer(liveId).inspect();
  const mounts = (live.Mounts ?? []).map((m) => m.Destination);
  const c = await docker.createContainer({
    name: `${name}-${randomBytes(3).toString('hex')}`,
    Image: live.Config.Image,
    Env: opts.env ?? live.Config.Env,
    Labels: { [SCRATCH_LABEL]: '1', 'medai.backup.scratch-of': live.Name.replace(/^\//, '') },
    ...(opts.entrypoint ? { Entrypoint: opts.entrypoint } : {}),
    Volumes: Object.fromEntries(mounts.map((m) => [m, {}])),
    HostConfig: { NetworkMode: 'none' },
  });
  if (opts.beforeStart) await opts.beforeStart(c);
  await c.start();
  return c;
}

export async function removeScratch(c: Docker.Container): Promise<void> {
  await c.remove({ force: true, v: true }).catch(() => undefined);
}

/** Waits until a command inside the container succeeds (the service accepts work). */
export async function waitFor(docker: Docker, id: string, cmd: string[], user = '', timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    const r = await execCollect(docker, id, cmd, { user }).catch((e: Error) => ({ code: 1, stdout: '', stderr: e.message }));
    if (r.code === 0 && !/LOADING|error/i.test(r.stdout)) return;
    last = `${r.stdout}${r.stderr}`;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw fail('BACKUP_RESTORE_FAILED', { component: cmd[0] ?? 'service', reason: 'the service did not become ready' }, last.slice(-1000));
}
