import type Docker from 'dockerode';
import { PassThrough, type Readable } from 'node:stream';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  user?: string;
  env?: string[];
}

/** Runs a command in a container and collects its output (small outputs: queries, probes). */
export async function execCollect(docker: Docker, container: string, cmd: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const s = await execStream(docker, container, cmd, opts);
  const chunks: Buffer[] = [];
  s.stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await s.exitCode;
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: s.stderr() };
}

export interface ExecStream {
  stdout: Readable;
  /** stdin of the command when `withStdin` (pg_restore reading a dump). */
  stdin: NodeJS.WritableStream | null;
  stderr(): string;
  /** Resolves after the output ended, with the command's exit code. */
  exitCode: Promise<number>;
  /** Drops the connection: the command gets EPIPE / SIGPIPE and stops. */
  abort(): void;
}

/**
 * Runs a command in a container with its stdout as a stream, so a dump flows straight
 * into restic without touching the disk. The exit code is read after the stream ends:
 * a failing producer must be told apart from one that simply finished.
 */
export async function execStream(docker: Docker, container: string, cmd: string[], opts: ExecOptions & { withStdin?: boolean } = {}): Promise<ExecStream> {
  const exec = await docker.getContainer(container).exec({
    Cmd: cmd,
    User: opts.user ?? '',
    Env: opts.env ?? [],
    AttachStdin: !!opts.withStdin,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: !!opts.withStdin });
  const stdout = new PassThrough({ highWaterMark: 1 << 20 });
  let stderr = '';
  const errSink = new PassThrough();
  errSink.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-32_768)));
  docker.modem.demuxStream(stream, stdout, errSink);
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', resolve);
  });
  const exitCode = ended.then(async () => {
    stdout.end();
    // The engine can report Running for a moment after the stream closed.
    for (let i = 0; i < 50; i++) {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? -1;
      await new Promise((r) => setTimeout(r, 100));
    }
    return -1;
  });
  return { stdout, stdin: opts.withStdin ? (stream as unknown as NodeJS.WritableStream) : null, stderr: () => stderr, exitCode, abort: () => stream.destroy() };
}
