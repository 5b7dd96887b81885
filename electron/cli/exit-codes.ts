import type { ErrorCode } from '../core/contract';

/** Exit codes of `medai`, documented in README.md and docs/ (stable: scripts depend on them). */
export const EXIT = {
  ok: 0,
  /** The command ran; what it checked needs attention (warnings). */
  warn: 1,
  /** The command ran; what it checked failed. */
  fail: 2,
  /** Bad command line or parameters. */
  usage: 3,
  /** The Docker engine cannot be reached (missing, stopped, no permission, hung). */
  engineUnreachable: 4,
  /** Any other error, reported with its code and remedy. */
  error: 5,
  interrupted: 130,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  if (code.startsWith('ENGINE_') && code !== 'ENGINE_ERROR') return EXIT.engineUnreachable;
  if (code === 'INVALID_REQUEST' || code === 'UNKNOWN_METHOD') return EXIT.usage;
  return EXIT.error;
}
