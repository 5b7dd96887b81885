import fs from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { engine, type EngineAccess } from './engine-access';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in a running container through the Engine API (no docker CLI). Stdout
 * goes to `stdoutTo` when given (a dump file), otherwise it is collected (kept short).
 */
export async function execIn(access: EngineAccess, containerId: string, cmd: string[], opts: { user?: string; stdoutTo?: Writable } = {}): Promise<ExecResult> {
  return engine(access, async () => {
    const exec = await access.docker.getContainer(containerId).exec({ Cmd: cmd, User: opts.user ?? '', AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    err.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    const sink = opts.stdoutTo ? pipeline(out, opts.stdoutTo) : new Promise<void>((resolve) => out.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-64000))).on('end', resolve));
    access.docker.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    out.end();
    err.end();
    await sink;
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, stdout, stderr };
  });
}

/** Copies one host file into a container directory (PUT /archive), for restores. */
export async function copyFileInto(access: EngineAccess, containerId: string, hostFile: string, containerDir: string, name: string): Promise<void> {
  const pack = tar.pack();
  const size = fs.statSync(hostFile).size;
  // The engine reads the archive while we write it, so a large dump never sits in memory.
  const upload = engine(access, () => access.docker.getContainer(containerId).putArchive(pack as unknown as NodeJS.ReadableStream, { path: containerDir }));
  const entry = pack.entry({ name, size, mode: 0o644 });
  await pipeline(fs.createReadStream(hostFile), entry);
  pack.finalize();
  await upload;
}
