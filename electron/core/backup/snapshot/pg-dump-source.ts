import type Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { DockerDemux, execStream } from './container-exec';

export const DUMP_SIDECAR_LABEL = 'medai.backup.dump-sidecar';

/** A running pg_dump whose archive arrives on `stdout`; shaped like ExecStream for streamIntoRepo. */
export interface DumpSource {
  stdout: Readable;
  exitCode: Promise<number>;
  stderr(): string;
  abort(): void;
  /** `pipe`: a short-lived pg_dump container writing into a named pipe on this host; `exec`: docker exec. */
  via: 'pipe' | 'exec';
  /** Bytes read so far (a pipe run that failed before its first byte is retried over exec); 0 for exec. */
  bytes(): number;
}

/**
 * pg_dump over `docker exec` is bounded by the engine: every byte goes through the shim,
 * dockerd and the attach socket, and that costs 2–4× pg_dump itself (docs: operating, profile). So the
 * dump runs in a short-lived container from the database's own image, inside the database
 * container's network namespace (127.0.0.1, the password the container was started with),
 * writing into a named pipe in a private folder of this host that is bind-mounted into it:
 * the bytes go pg_dump → pipe → this process → restic, the engine only starts and stops it.
 * Returns null where that cannot work (no password in the container's environment); the
 * caller then dumps over exec.
 */
export async function startPipeDump(docker: Docker, container: string, pgDumpArgs: string[], scratchRoot: string): Promise<DumpSource | null> {
  const info = await docker.getContainer(container).inspect();
  const env = new Map((info.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const));
  const password = env.get('POSTGRES_PASSWORD');
  if (!password) return null;
  await removeStale(docker, info.Name.replace(/^\//, ''));
  fs.mkdirSync(scratchRoot, { recursive: true, mode: 0o700 });
  const dir = fs.mkdtempSync(path.join(scratchRoot, 'pgdump-'));
  const fifo = path.join(dir, 'dump.fifo');
  // Only the owner (and the pg_dump container's root) may open it: the dump is patient data.
  const mk = spawnSync('mkfifo', ['-m', '0600', fifo]);
  if (mk.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  let c: Docker.Container;
  try {
    c = await docker.createContainer({
      Image: info.Image,
      Entrypoint: ['pg_dump'],
      // PGPORT: the server takes its port from it too, when the db container sets one.
      Cmd: [...pgDumpArgs, '--no-sync', '-h', '127.0.0.1', '-p', env.get('PGPORT') || '5432', '-U', env.get('POSTGRES_USER') || 'postgres', '-f', '/medai-dump/dump.fifo'],
      // The password reaches pg_dump as the database container itself got it: in the environment.
      Env: [`PGPASSWORD=${password}`],
      User: '0',
      Labels: { [DUMP_SIDECAR_LABEL]: '1', 'medai.backup.dump-of': info.Name.replace(/^\//, '') },
      HostConfig: { NetworkMode: `container:${info.Id}`, Mounts: [{ Type: 'bind', Source: dir, Target: '/medai-dump' }] },
    });
    await c.start();
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  // Read as a socket, not an fs.ReadStream: that one allocates its whole highWaterMark for
  // each read of a pipe that returns 64 KiB at a time, and cost more CPU than pg_dump.
  const stdout = new PassThrough({ highWaterMark: 1 << 20 });
  let opened = false;
  let bytes = 0;
  const readDone = new Promise<void>((resolve) => {
    // open() of a named pipe waits for the writer (in libuv's thread pool, not this thread).
    fs.open(fifo, fs.constants.O_RDONLY, (err, fd) => {
      opened = true;
      if (err) {
        stdout.destroy(err);
        return resolve();
      }
      const sock = new net.Socket({ fd, readable: true, writable: false });
      sock.on('data', (b: Buffer) => (bytes += b.length));
      sock.once('close', () => resolve());
      sock.once('error', (e) => stdout.destroy(e));
      stdout.once('close', () => sock.destroy());
      sock.pipe(stdout);
    });
  });
  let stderr = '';
  const exitCode = (async () => {
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    // pg_dump never opened the pipe (bad password, no server): our open() still waits for
    // a writer, so be that writer for a moment and let the read end see EOF.
    if (!opened) releaseReader(fifo);
    await readDone;
    const logs = (await c.logs({ stdout: true, stderr: true, follow: false }).catch(() => Buffer.alloc(0))) as unknown as Buffer;
    const demux = new DockerDemux((b) => (stderr += b.toString('utf8')));
    demux.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    demux.end(logs);
    await c.remove({ force: true }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    return StatusCode;
  })();
  return {
    stdout,
    exitCode,
    stderr: () => stderr.slice(-32_768),
    abort: () => {
      void c.kill().catch(() => undefined);
      stdout.destroy();
    },
    via: 'pipe',
    bytes: () => bytes,
  };
}

/**
 * A manager killed mid-dump leaves its exited pg_dump container behind (pg_dump itself
 * stops at the broken pipe): removed here, for this database container and for database
 * containers that no longer exist (a stack recreated since). Running ones belong to a
 * concurrent backup and are left alone.
 */
async function removeStale(docker: Docker, of: string): Promise<void> {
  const stale = await docker.listContainers({ all: true, filters: { label: [`${DUMP_SIDECAR_LABEL}=1`], status: ['exited', 'created', 'dead'] } });
  for (const c of stale) {
    const target = c.Labels['medai.backup.dump-of'] ?? '';
    const gone = target !== of && (await docker.getContainer(target).inspect().then(() => false, () => true));
    if (target === of || gone) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
}

function releaseReader(fifo: string): void {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader waiting (it already failed or was destroyed): nothing to release.
  }
}

/** The same dump over `docker exec`: slower, but needs nothing but the engine. */
export async function startExecDump(docker: Docker, container: string, pgDumpArgs: string[]): Promise<DumpSource> {
  const s = await execStream(docker, container, ['pg_dump', ...pgDumpArgs], { user: 'postgres' });
  // Its byte count is not needed: nothing falls back from exec.
  return { stdout: s.stdout, exitCode: s.exitCode, stderr: s.stderr, abort: s.abort, via: 'exec', bytes: () => 0 };
}
