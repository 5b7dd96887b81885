import { execFile } from 'node:child_process';

/** What running a host tool gave: its output, or why it could not run at all. */
export interface CommandOutcome {
  /** null when the process never ran or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** ENOENT (not installed), EACCES (not executable), TIMEOUT, or another spawn error code. */
  spawnError: string | null;
}

export type CommandRunner = (file: string, args: readonly string[], timeoutMs: number) => Promise<CommandOutcome>;

/**
 * Runs a host tool without a shell and never rejects: a missing nvidia-smi or chronyc is a
 * fact the checks report on, not an exception. Output is capped so a runaway tool cannot
 * exhaust memory.
 */
export const runCommand: CommandRunner = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr, spawnError: null });
      const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
      if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr, spawnError: null });
      if (e.killed || e.signal === 'SIGTERM') return resolve({ code: null, stdout, stderr, spawnError: 'TIMEOUT' });
      resolve({ code: null, stdout: stdout ?? '', stderr: stderr ?? '', spawnError: String(e.code ?? e.message) });
    });
  });
