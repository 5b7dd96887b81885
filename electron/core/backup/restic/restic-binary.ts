import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../../contract';

/**
 * Finds the restic the app ships (resources/bin/restic, built by scripts/build-restic.sh).
 * MEDAI_RESTIC overrides it (admins, tests). Debian's /usr/bin/restic is a last resort
 * only: 0.14 restores single-threaded and lacks the exit codes errors are keyed on.
 */
export function findRestic(env: NodeJS.ProcessEnv = process.env, startDir: string = __dirname): string {
  if (env.MEDAI_RESTIC) {
    if (!isExecutable(env.MEDAI_RESTIC)) throw fail('BACKUP_ENGINE_MISSING', { path: env.MEDAI_RESTIC });
    return env.MEDAI_RESTIC;
  }
  const candidates: string[] = [];
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'resources', 'bin', 'restic'));
  // Walk up from this file: works from the source tree and from dist/cli/medai.cjs.
  for (let dir = startDir, i = 0; i < 6; i++, dir = path.dirname(dir)) candidates.push(path.join(dir, 'resources', 'bin', 'restic'));
  candidates.push('/usr/bin/restic');
  const found = candidates.find(isExecutable);
  if (!found) throw fail('BACKUP_ENGINE_MISSING', { path: candidates[0] ?? 'resources/bin/restic' });
  return found;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
