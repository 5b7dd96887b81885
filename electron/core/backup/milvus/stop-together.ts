import type Docker from 'dockerode';
import { fail } from '../../contract';
import { execCollect } from '../snapshot/container-exec';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The container's own healthcheck command, run directly: waiting for the engine's next
 * health interval (10-15 s in the stack) would stretch the outage for nothing.
 */
async function healthProbe(docker: Docker, id: string): Promise<string[] | null> {
  const test = (await docker.getContainer(id).inspect()).Config.Healthcheck?.Test ?? [];
  if (test[0] === 'CMD-SHELL') return ['sh', '-c', test.slice(1).join(' ')];
  if (test[0] === 'CMD') return test.slice(1);
  return null;
}

/** True once the container runs and its healthcheck passes; false at the deadline. */
export async function waitHealthy(docker: Docker, id: string, timeoutMs: number): Promise<boolean> {
  const probe = await healthProbe(docker, id);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const info = await docker.getContainer(id).inspect();
    if (info.State.Running) {
      if (!probe) return true;
      const r = await execCollect(docker, id, probe).catch(() => ({ code: 1 }));
      if (r.code === 0) return true;
    }
    await sleep(250);
  }
  return false;
}

const ignoreNotModified = (e: unknown) => {
  // 304: already stopped / already started, which is the state asked for.
  if ((e as { statusCode?: number }).statusCode !== 304) throw e;
};

/**
 * The PyPI `milvus` launcher (milvus-server) runs as PID 1 and ignores SIGTERM, so a plain
 * `docker stop` waits out its timeout and then kills Milvus without a graceful shutdown.
 * Milvus itself is told to stop (SIGTERM to the `milvus` process), then the launcher
 * (SIGINT, which it handles by exiting once its child is gone). About 0.6 s here.
 */
const STOP_MILVUS_CHILD = `for p in /proc/[0-9]*; do
  if [ "$(cat $p/comm 2>/dev/null)" = milvus ]; then kill -TERM \${p#/proc/}; i=0
    while [ $i -lt 300 ] && grep -q 'State:.*[RSD]' $p/status 2>/dev/null; do sleep 0.1; i=$((i+1)); done
  fi
done; true`;

const isMilvusLauncher = (info: Docker.ContainerInspectInfo) =>
  [...((info.Config.Entrypoint as string[] | string | null) ?? []), ...(info.Config.Cmd ?? [])].some((a) => /(^|\/)milvus-server$/.test(a));

/** Stops one container gracefully; Milvus' launcher gets the shutdown it ignores otherwise. */
export async function stopGracefully(docker: Docker, id: string, timeoutS = 30): Promise<void> {
  const c = docker.getContainer(id);
  const info = await c.inspect();
  if (!info.State.Running) return;
  if (isMilvusLauncher(info)) {
    await execCollect(docker, id, ['sh', '-c', STOP_MILVUS_CHILD]).catch(() => undefined);
    await c.kill({ signal: 'SIGINT' }).catch(() => undefined);
    for (let i = 0; i < 50 && (await c.inspect()).State.Running; i++) await sleep(100);
  }
  await c.stop({ t: timeoutS }).catch(ignoreNotModified);
}

export interface StackMember {
  id: string;
  /** The service name, for messages. */
  name: string;
}

/**
 * Starts members in order (etcd before Milvus), each healthy before the next: Milvus
 * exits when it cannot reach its metadata store. A member that does not come back is a
 * coded error naming it; the rest are still started so their restart policy keeps trying.
 */
export async function startInOrder(docker: Docker, members: StackMember[], component: string, timeoutMs = 180_000): Promise<void> {
  const failed: string[] = [];
  for (const m of members) {
    const started = await docker
      .getContainer(m.id)
      .start()
      .then(() => true)
      .catch((e: unknown) => ((e as { statusCode?: number }).statusCode === 304 ? true : false));
    if (!started || failed.length || !(await waitHealthy(docker, m.id, timeoutMs))) failed.push(m.name);
  }
  if (failed.length) throw fail('BACKUP_STACK_RESTART_FAILED', { component, services: failed.join(', ') });
}
