import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../contract';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One import at a time per data directory, across processes (the console and the CLI):
 * two imports undoing each other's images would break the "nothing changed" promise.
 * The lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
export function acquireImportLock(dataDir: string, pid = process.pid): () => void {
  const dir = path.join(dataDir, 'bundles');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, '.import.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(pid), { flag: 'wx', mode: 0o600 });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) throw fail('BUNDLE_IMPORT_BUSY', { pid: owner });
      fs.rmSync(file, { force: true });
    }
  }
  throw fail('BUNDLE_IMPORT_BUSY', { pid: '?' }, `could not take ${file}`);
}
