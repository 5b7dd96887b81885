import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
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

/**
 * Writes the files as one gzip tar under `root/`, every entry and the file itself 0600.
 * It goes to a hidden temporary file next to `file` and is renamed into place only when
 * complete: a full disk or a crash never leaves a truncated bundle with the final name.
 */
export async function writeTarGz(file: string, root: string, files: TarFile[], mtime: Date): Promise<{ bytes: number; sha256: string }> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.part`);
  let out: fs.WriteStream;
  try {
    // Opened before anything is packed, so an unwritable place fails at once.
    const fd = fs.openSync(tmp, 'wx', 0o600);
    out = fs.createWriteStream('', { fd });
  } catch (e) {
    throw toFailure(e, file);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const pack = tar.pack();
  const gzip = zlib.createGzip();
  gzip.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  try {
    const done = pipeline(pack, gzip, out);
    for (const f of files) {
      await new Promise<void>((resolve, reject) => {
        pack.entry({ name: `${root}/${f.path}`, size: f.data.length, mode: 0o600, mtime }, f.data, (err) => (err ? reject(err) : resolve()));
      });
    }
    pack.finalize();
    await done;
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (e) {
    pack.destroy();
    fs.rmSync(tmp, { force: true });
    throw toFailure(e, file);
  }
  return { bytes, sha256: hash.digest('hex') };
}
