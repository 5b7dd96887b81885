import { fail, type CoreError } from '../../contract';
import type { ResticExit } from './restic-runner';

/**
 * restic 0.17+ exit codes (docs: "Exit status codes"): 10 no repository, 11 lock failed,
 * 12 wrong password, 130 interrupted. Transport and space errors only show in stderr, so
 * those are recognised by their text; anything else keeps restic's words as detail.
 */
const EXIT_NO_REPO = 10;
const EXIT_LOCKED = 11;
const EXIT_WRONG_PASSWORD = 12;

const UNREACHABLE = [
  /connection refused/i,
  /no such host/i,
  /i\/o timeout/i,
  /network is unreachable/i,
  /no route to host/i,
  /connection reset/i,
  /ssh command exited/i,
  /unable to start the sftp session/i,
  /context deadline exceeded/i,
  /dial tcp/i,
];
const AUTH = [/permission denied \(publickey/i, /signature we calculated does not match/i, /access denied/i, /invalidaccesskeyid/i, /signaturedoesnotmatch/i, /the access key id you provided/i, /host key verification failed/i];
/** True when restic's words say the target refused the credentials. */
export const looksLikeAuthFailure = (stderr: string): boolean => AUTH.some((r) => r.test(stderr));

const FULL = [/no space left on device/i, /disk quota exceeded/i, /quotaexceeded/i, /entitytoolarge/i];

/** The last lines of stderr: what a support engineer needs, without the progress noise. */
export const stderrTail = (stderr: string, lines = 12): string =>
  stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines)
    .join('\n');

/** restic could not take its repository lock (another job holds it, or a dead one left it). */
export const isLockedExit = (exit: ResticExit): boolean => exit.code === EXIT_LOCKED || /repository is already locked/i.test(exit.stderr);

/** Turns a failed restic run into the error a person can act on. `redact` strips secrets. */
export function resticError(action: string, target: string, exit: ResticExit, redact: (s: string) => string): CoreError {
  const detail = redact(stderrTail(exit.stderr) || `exit ${exit.code ?? exit.signal}`);
  const err = exit.stderr;
  if (exit.code === EXIT_WRONG_PASSWORD || /wrong password or no key found/i.test(err)) return fail('BACKUP_WRONG_PASSWORD', { target }, detail);
  // Exit 10 first: restic names a missing repository only after it reached the target.
  if (exit.code === EXIT_NO_REPO) return fail('BACKUP_REPO_NOT_FOUND', { target }, detail);
  if (FULL.some((r) => r.test(err))) return fail('BACKUP_TARGET_FULL', { target }, detail);
  if (AUTH.some((r) => r.test(err))) return fail('BACKUP_TARGET_AUTH_FAILED', { target }, detail);
  if (UNREACHABLE.some((r) => r.test(err))) return fail('BACKUP_TARGET_UNREACHABLE', { target }, detail);
  if (exit.code === EXIT_NO_REPO || /repository does not exist|unable to open config file|Is there a repository at the following location/i.test(err)) {
    // A local path that vanished (unmounted USB disk) reads as "no repository"; say so plainly.
    return fail('BACKUP_REPO_NOT_FOUND', { target }, detail);
  }
  if (isLockedExit(exit)) return fail('BACKUP_REPO_LOCKED', { target }, detail);
  return fail('BACKUP_ENGINE_FAILED', { action }, detail);
}
