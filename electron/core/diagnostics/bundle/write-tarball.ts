import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { fail } from '../../contract';

export interface TarFile {
  path: string;
  data: Buffer;
}

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EROFS', 'EEXIST']);

function toFailure(e: unknown, file: string) {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT') return fail('DIAGNOSTICS_DISK_FULL', { file }, (e as Error).message);
  return fail('DIAGNOSTICS_OUTPUT_NOT_WRITABLE', { file, reason: NOT_WRITABLE.has(code) ? code : (e as Error).message }, (e as Error).message);
}

/** The gzip tar in memory: a diagnostics bundle is a few MiB at most (logs are tailed). */
async function packTarGz(root: string, files: TarFile[], mtime: Date): Promise<Buffer> {
  const pack = tar.pack();
  const gz = buffer(pack.pipe(zlib.createGzip()));
  for (const f of files) pack.entry({ name: `${root}/${f.path}`, size: f.data.length, mode: 0o600, mtime }, f.data);
  pack.finalize();
  return gz;
}

/**
 * Writes the files as one gzip tar under `root/`, every entry and the file itself 0600.
 * It goes to a hidden temporary file next to `file` (synced) and is renamed into place only
 * when complete: a full disk or a crash never leaves a truncated bundle with the final name.
 */
export async function writeTarGz(file: string, root: string, files: TarFile[], mtime: Date): Promise<{ bytes: number; sha256: string }> {
  const data = await packTarGz(root, files, mtime);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.part`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw toFailure(e, file);
  }
  return { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}
