import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { fail } from '../contract';

/**
 * Runs `node /app/dist/cli.js <args>` inside the service container: keys and migrations
 * belong to the service's own database code, so the manager drives that code rather than
 * writing the service's tables itself. Output is one JSON line.
 */
export async function runServiceCli(docker: Docker, container: string, args: string[]): Promise<unknown> {
  const c = docker.getContainer(container);
  try {
    const info = await c.inspect();
    if (!info.State.Running) throw fail('SERVICE_CONTAINER_NOT_FOUND', { container });
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) throw fail('SERVICE_CONTAINER_NOT_FOUND', { container });
    throw e;
  }
  const exec = await c.exec({ Cmd: ['node', '/app/dist/cli.js', ...args], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (b: Buffer) => chunks.push(b));
  err.on('data', (b: Buffer) => errChunks.push(b));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  const text = Buffer.concat(chunks).toString('utf8').trim().split('\n').pop() ?? '';
  const command = args.slice(0, 2).join(' ');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail('SERVICE_CLI_FAILED', { command, reason: (Buffer.concat(errChunks).toString('utf8').trim() || text || `exit ${ExitCode}`).slice(0, 500) });
  }
  if (ExitCode !== 0) {
    const e = (json as { error?: { code?: string; message?: string } }).error;
    throw fail('SERVICE_CLI_FAILED', { command, reason: `${e?.code ?? 'exit ' + ExitCode}: ${e?.message ?? text}`.slice(0, 500) });
  }
  return json;
}
