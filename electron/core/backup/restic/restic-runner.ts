import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Readable } from 'node:stream';

/** One restic invocation, as the wrapper describes it. Secrets travel only in `env` (file paths). */
export interface ResticInvocation {
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Bytes fed to restic's stdin (`backup --stdin`); restic sees EOF when it ends. */
  stdin?: Readable;
  /** Each stdout line as it arrives (restic --json prints one JSON object per line). */
  onStdoutLine?: (line: string) => void;
  /** Raw stdout chunks (for `dump`, which streams file contents instead of JSON). */
  onStdoutData?: (chunk: Buffer) => void;
  /** stderr text as it arrives (a probe stops restic at its first retry). */
  onStderrData?: (text: string) => void;
  signal?: AbortSignal;
}

export interface ResticExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whole stdout, unless onStdoutData consumed it. */
  stdout: string;
  /** Kept to the last 64 KiB: restic's errors are at the end. */
  stderr: string;
}

/** A running restic: tests and the snapshot pipeline may stop it before it commits. */
export interface ResticProcess {
  done: Promise<ResticExit>;
  /** restic's stdin, when the caller writes it itself (streamed dumps). */
  stdin: NodeJS.WritableStream | null;
  /** restic's stdout as a stream, when asked for (`dump` feeding pg_restore, with backpressure). */
  stdout?: Readable | null;
  kill(signal?: NodeJS.Signals): void;
}

/** How the wrapper starts restic; injected so unit tests can check argument building. */
export interface ResticRunner {
  start(binary: string, inv: ResticInvocation & { pipeStdin?: boolean; streamStdout?: boolean }): ResticProcess;
}

const STDERR_KEEP = 64 * 1024;

/**
 * A restic whose manager died (SIGKILL, power cut of the app) must die with it: fed through
 * stdin it would see EOF and commit the truncated dump as a snapshot, and until it finished it
 * would hold the repository lock against the next job. On Linux the kernel's parent-death
 * signal does that; util-linux's setpriv sets it and execs restic (same pid, so kill() still
 * reaches restic). Where setpriv is missing restic runs as is.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => process.platform === 'linux' && fs.existsSync(p));

/** The command line that starts restic, tied to this process's life where the OS allows it. */
export function resticCommand(binary: string, args: string[], setpriv: string | null = SETPRIV ?? null): { file: string; args: string[] } {
  return setpriv ? { file: setpriv, args: ['--pdeathsig', 'KILL', '--', binary, ...args] } : { file: binary, args };
}

/** The real runner: a child process with a clean environment (no inherited secrets). */
export const spawnResticRunner: ResticRunner = {
  start(binary, inv) {
    const cmd = resticCommand(binary, inv.args);
    const child = spawn(cmd.file, cmd.args, {
      env: inv.env,
      stdio: [inv.stdin || inv.pipeStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      signal: inv.signal,
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    if (!inv.streamStdout) child.stdout!.on('data', (chunk: Buffer) => {
      if (inv.onStdoutData) return inv.onStdoutData(chunk);
      const s = chunk.toString('utf8');
      stdout += s;
      if (!inv.onStdoutLine) return;
      partial += s;
      let nl = partial.indexOf('\n');
      while (nl >= 0) {
        const line = partial.slice(0, nl).trim();
        partial = partial.slice(nl + 1);
        if (line) inv.onStdoutLine(line);
        nl = partial.indexOf('\n');
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      inv.onStderrData?.(chunk.toString('utf8'));
    });
    if (inv.stdin && child.stdin) {
      // restic closing its end early (it failed) must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      inv.stdin.pipe(child.stdin);
    } else child.stdin?.on('error', () => undefined);
    const done = new Promise<ResticExit>((resolve) => {
      child.on('error', (e) => resolve({ code: null, signal: null, stdout, stderr: `${stderr}\n${e.message}` }));
      child.on('close', (code, signal) => {
        if (partial.trim() && inv.onStdoutLine) inv.onStdoutLine(partial.trim());
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { done, stdin: inv.pipeStdin ? child.stdin : null, stdout: inv.streamStdout ? child.stdout : null, kill: (sig = 'SIGTERM') => void child.kill(sig) };
  },
};
