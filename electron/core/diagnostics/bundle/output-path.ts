import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail } from '../../contract';

/** Where support bundles live by default and the only folder the console serves them from. */
export const supportDir = (dataDir: string): string => path.join(dataDir, 'support');

export const BUNDLE_NAME = /^medai-diagnostics-[A-Za-z0-9_.-]+\.tar\.gz$/;

export function defaultBundleName(now: Date, host = os.hostname()): string {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `medai-diagnostics-${host.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}.tar.gz`;
}

/**
 * The file to write: `out` as given (a folder gets the default name inside it), or the
 * data directory's support/ folder (created 0700). A missing folder is refused, not created:
 * a typo in --out must not scatter folders over the disk.
 */
export function resolveOutput(dataDir: string, out: string | undefined, now: Date): string {
  if (!out) {
    const dir = supportDir(dataDir);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw fail('DIAGNOSTICS_OUTPUT_NOT_WRITABLE', { file: dir, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
    return path.join(dir, defaultBundleName(now));
  }
  const full = path.resolve(out);
  const isDir = fs.statSync(full, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const file = isDir ? path.join(full, defaultBundleName(now)) : full;
  if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) {
    throw fail('DIAGNOSTICS_OUTPUT_NOT_WRITABLE', { file, reason: 'ENOENT' }, `folder ${path.dirname(file)} does not exist`);
  }
  if (fs.existsSync(file)) throw fail('DIAGNOSTICS_OUTPUT_NOT_WRITABLE', { file, reason: 'EEXIST' }, 'the file exists already; nothing is overwritten');
  return file;
}
