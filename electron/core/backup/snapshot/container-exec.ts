import type Docker from 'dockerode';
import { Transform, type Readable, type TransformCallback } from 'node:stream';

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
  const drained = new Promise((resolve) => s.stdout.once('end', resolve).once('error', resolve));
  const [code] = await Promise.all([s.exitCode, drained]);
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
  let stderr = '';
  const stdout = new DockerDemux((c) => (stderr = (stderr + c.toString('utf8')).slice(-32_768)));
  // pipe, not docker-modem's demuxStream: that one copies the buffer at every frame and
  // ignores backpressure, so a dump faster than restic piled up in memory (docs: profile).
  stream.pipe(stdout);
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', resolve);
  });
  const exitCode = ended.then(async () => {
    if (!stdout.writableEnded) stdout.end();
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

/**
 * Docker's multiplexed attach stream (8-byte header: stream type, length; then the bytes)
 * split into stdout, passed on as slices of the incoming chunks without copying, and
 * stderr, handed to `onStderr`. As a Transform it holds the engine back while the reader
 * is slower (restic compressing), instead of buffering the whole dump.
 */
export class DockerDemux extends Transform {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private left = 0;
  private kind = 0;

  constructor(private readonly onStderr: (chunk: Buffer) => void) {
    super({ readableHighWaterMark: 1 << 20, writableHighWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.left === 0) {
        const n = Math.min(8 - this.headerFill, chunk.length - off);
        chunk.copy(this.header, this.headerFill, off, off + n);
        this.headerFill += n;
        off += n;
        if (this.headerFill < 8) break;
        this.headerFill = 0;
        this.kind = this.header[0]!;
        this.left = this.header.readUInt32BE(4);
        if (this.kind > 2) return done(new Error(`not a multiplexed docker stream (stream type ${this.kind})`));
        continue;
      }
      const n = Math.min(this.left, chunk.length - off);
      const part = chunk.subarray(off, off + n);
      if (this.kind === 1) this.push(part);
      else if (this.kind === 2) this.onStderr(part);
      this.left -= n;
      off += n;
    }
    done();
  }
}
