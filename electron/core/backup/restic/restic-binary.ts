import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../../contract';

/**
 * Finds the restic the app ships (resources/bin/restic, built by scripts/build-restic.sh).
 * MEDAI_RESTIC overrides it (admins, tests). The system's /usr/bin/restic is a last resort,
 * taken only when it is new enough (Debian 12's 0.14 is not: see MIN_RESTIC); a restic that
 * is too old is refused with BACKUP_ENGINE_TOO_OLD rather than misreading its errors later.
 */
export function findRestic(env: NodeJS.ProcessEnv = process.env, startDir: string = __dirname): string {
  if (env.MEDAI_RESTIC) {
    if (!isExecutable(env.MEDAI_RESTIC)) throw fail('BACKUP_ENGINE_MISSING', { path: env.MEDAI_RESTIC });
    const found = resticVersion(env.MEDAI_RESTIC);
    if (!supported(found)) throw tooOld(env.MEDAI_RESTIC, found);
    return env.MEDAI_RESTIC;
  }
  const candidates: string[] = [];
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'resources', 'bin', 'restic'));
  // Walk up from this file: works from the source tree and from dist/cli/medai.cjs.
  for (let dir = startDir, i = 0; i < 6; i++, dir = path.dirname(dir)) candidates.push(path.join(dir, 'resources', 'bin', 'restic'));
  candidates.push('/usr/bin/restic');
  // The first present binary that is new enough wins; each is asked its version once, in order.
  let firstTooOld: { path: string; version: ReturnType<typeof resticVersion> } | undefined;
  for (const p of candidates.filter(isExecutable)) {
    const version = resticVersion(p);
    if (supported(version)) return p;
    firstTooOld ??= { path: p, version };
  }
  if (firstTooOld) throw tooOld(firstTooOld.path, firstTooOld.version);
  throw fail('BACKUP_ENGINE_MISSING', { path: candidates[0] ?? 'resources/bin/restic' });
}

/**
 * The oldest restic the manager works with: errors are keyed on the exit codes 10 (no
 * repository), 11 (locked) and 12 (wrong password), and setup reads `init --json`; 0.17
 * brought them. With 0.14 a locked repository reads as a missing one.
 */
export const MIN_RESTIC: readonly [number, number] = [0, 17];

/** "restic 0.18.1 compiled with go1.25.1 on linux/amd64" → [0, 18, 1]; null if unreadable. */
export function parseResticVersion(out: string): [number, number, number] | null {
  const m = /^restic (\d+)\.(\d+)\.(\d+)/m.exec(out);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

const supported = (v: [number, number, number] | null): boolean => !!v && (v[0] > MIN_RESTIC[0] || (v[0] === MIN_RESTIC[0] && v[1] >= MIN_RESTIC[1]));

function resticVersion(binary: string): [number, number, number] | null {
  const r = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return parseResticVersion(r.stdout ?? '');
}

const tooOld = (binary: string, v: [number, number, number] | null) =>
  fail('BACKUP_ENGINE_TOO_OLD', { path: binary, found: v ? v.join('.') : 'unknown', required: MIN_RESTIC.join('.') });

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
