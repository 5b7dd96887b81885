import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fail, type BundleUploadResult } from '../contract';
import { requireFreeSpace, type StatFs } from './disk-space';
import { BUNDLE_EXTENSION } from './tar-layout';

/**
 * Receives a bundle uploaded through the web console into <data dir>/uploads (0700,
 * file 0600). The size is declared up front so a full disk is refused before the first
 * byte, and a cut-off upload is removed instead of being left as a short bundle.
 * Earlier uploads are removed: one bundle at a time is all an install needs.
 */
export async function receiveUpload(dataDir: string, body: Readable, declaredSize: number, statfs: StatFs): Promise<BundleUploadResult> {
  if (!Number.isSafeInteger(declaredSize) || declaredSize <= 0) throw fail('INVALID_REQUEST', {}, 'the upload needs a Content-Length');
  const dir = path.join(dataDir, 'uploads');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const old of fs.readdirSync(dir)) fs.rmSync(path.join(dir, old), { force: true });
  requireFreeSpace(statfs, dir, declaredSize);
  const file = path.join(dir, `upload-${randomBytes(6).toString('hex')}${BUNDLE_EXTENSION}`);
  const partial = `${file}.partial`;
  let received = 0;
  body.on('data', (c: Buffer) => (received += c.length));
  try {
    await pipeline(body, fs.createWriteStream(partial, { mode: 0o600 }));
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw fail('BUNDLE_TRUNCATED', { expected: declaredSize, actual: received }, `upload interrupted: ${(e as Error).message}`);
  }
  if (received !== declaredSize) {
    fs.rmSync(partial, { force: true });
    throw fail('BUNDLE_TRUNCATED', { expected: declaredSize, actual: received }, 'upload ended early');
  }
  fs.renameSync(partial, file);
  return { path: file, size: received };
}
