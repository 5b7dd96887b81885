import os from 'node:os';
import type { Readable } from 'node:stream';
import type { ProgressUpdate } from '../../contract';
import { fail } from '../../contract';
import { processAlive } from '../../operations/process-alive';
import { isLockedExit, looksLikeAuthFailure, resticError, stderrTail } from './restic-errors';
import { parseJsonLine, statusToProgress } from './restic-progress';
import type { ResticExit, ResticInvocation, ResticProcess, ResticRunner } from './restic-runner';

/**
 * Where a repository is and how to open it. Secrets never appear in `repository` or
 * `options`: the password is a 0600 file, object-store keys go in `env` only.
 */
export interface RepoAccess {
  /** The target's name, used in messages (never a URL with credentials). */
  label: string;
  /** restic's repository string: /path, sftp:user@host:/path, s3:http://host:9000/bucket/prefix. */
  repository: string;
  passwordFile: string;
  /** Extra environment (AWS_ACCESS_KEY_ID, ...); secret values, redacted from output. */
  env: Record<string, string>;
  /** restic -o options (sftp.command, ...). */
  options: string[];
  cacheDir: string;
}

/** One restic snapshot as `snapshots --json` lists it. */
export interface ResticSnapshot {
  id: string;
  short_id: string;
  time: string;
  hostname: string;
  paths: string[];
  tags?: string[];
  summary?: { total_bytes_processed?: number; data_added?: number; data_added_packed?: number; backup_start?: string; backup_end?: string };
}

export interface BackupSummary {
  snapshotId: string;
  dataAdded: number;
  dataAddedPacked: number;
  totalBytesProcessed: number;
  durationSeconds: number;
}

type OnProgress = (p: Pick<ProgressUpdate, 'percent' | 'bytesDone' | 'bytesTotal'>) => void;

export interface BackupCommon {
  tags: string[];
  host: string;
  /** Faked snapshot time (retention tests, imports); default: now. */
  time?: Date;
  onProgress?: OnProgress;
  /** Expected size for percent when restic cannot know it (stdin). */
  expectedBytes?: number;
  signal?: AbortSignal;
}

/** restic parses each -o value as a CSV field: quote it when it holds quotes or commas. */
const csvField = (v: string): string => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const resticTime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

export interface LockHost {
  hostname: string;
  processAlive(pid: number): boolean;
}

const thisHost: LockHost = { hostname: os.hostname(), processAlive };

/** A typed restic: every command runs with --json where restic offers it, and fails with a coded error. */
export class ResticRepo {
  constructor(
    readonly access: RepoAccess,
    private readonly runner: ResticRunner,
    private readonly binary: string,
    private readonly redact: (s: string) => string,
    /** This machine as restic's lock files name it, and whether one of its pids still runs. */
    private readonly host: LockHost = thisHost,
  ) {}

  private env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      // UTC so --time and the listed times mean the same instant on every host.
      TZ: 'UTC',
      RESTIC_REPOSITORY: this.access.repository,
      RESTIC_PASSWORD_FILE: this.access.passwordFile,
      RESTIC_CACHE_DIR: this.access.cacheDir,
      RESTIC_PROGRESS_FPS: '2',
      ...this.access.env,
    };
  }

  private invocation(args: string[], extra: Partial<ResticInvocation> = {}): ResticInvocation {
    const opts = this.access.options.flatMap((o) => ['-o', csvField(o)]);
    return { args: [...opts, ...args], env: this.env(), ...extra };
  }

  /** Starts restic and leaves the caller in charge (streamed backups). */
  spawn(args: string[], extra: Partial<ResticInvocation> & { pipeStdin?: boolean; streamStdout?: boolean } = {}): ResticProcess {
    return this.runner.start(this.binary, this.invocation(args, extra));
  }

  private async exec(action: string, args: string[], extra: Partial<ResticInvocation> = {}): Promise<ResticExit> {
    const exit = await this.runClearingStaleLocks(args, extra);
    if (exit.code !== 0) throw this.error(action, exit);
    return exit;
  }

  /**
   * A restic killed mid-job (the manager's SIGKILL takes restic along) leaves its lock file
   * behind, and restic refuses an exclusive lock (check, prune, forget) next to it: clear the
   * locks whose holder is gone and run the job once more. A live holder keeps its lock and
   * the job fails with BACKUP_REPO_LOCKED naming it.
   */
  private async runClearingStaleLocks(args: string[], extra: Partial<ResticInvocation>): Promise<ResticExit> {
    const exit = await this.spawn(args, extra).done;
    if (!isLockedExit(exit)) return exit;
    await this.clearStaleLocks();
    return this.spawn(args, extra).done;
  }

  /**
   * Removes the locks whose holder is gone. restic's own rule first (`unlock`: this host and
   * the pid gone, or not refreshed for 30 minutes). restic counts a zombie as alive, and a
   * restic killed with its manager stays a zombie where PID 1 does not reap (a container
   * without an init): so when every lock left belongs to this host and a pid that is dead or
   * a zombie, they are all removed. A lock of a live process or of another host stays.
   */
  async clearStaleLocks(): Promise<void> {
    const unlocked = await this.spawn(['unlock']).done;
    if (unlocked.code !== 0) throw this.error('unlock', unlocked);
    const listed = await this.spawn(['list', 'locks', '--no-lock']).done;
    const ids = listed.code === 0 ? listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [];
    if (ids.length === 0) return;
    const holders = await Promise.all(ids.map((id) => this.spawn(['cat', 'lock', id, '--no-lock']).done));
    const allDead = holders.every((h) => {
      const lock = h.code === 0 ? (parseJsonLine(h.stdout.trim()) as { hostname?: string; pid?: number } | undefined) : undefined;
      return lock?.hostname === this.host.hostname && typeof lock.pid === 'number' && !this.host.processAlive(lock.pid);
    });
    if (allDead) await this.spawn(['unlock', '--remove-all']).done;
  }

  error(action: string, exit: ResticExit) {
    return resticError(action, this.access.label, exit, this.redact);
  }

  async init(): Promise<{ id: string }> {
    const exit = await this.exec('init', ['init', '--json']);
    const out = exit.stdout
      .split('\n')
      .map(parseJsonLine)
      .find((o) => (o as { message_type?: string } | undefined)?.message_type === 'initialized') as { id?: string } | undefined;
    return { id: out?.id ?? '' };
  }

  /**
   * Opens the repository (password, transport) without changing anything. restic retries
   * failing backend requests for minutes; a probe wants the first answer, so it stops
   * restic at its first retry and reads the reason from what it printed.
   */
  async probe(timeoutMs = 20_000, opts: { clearStaleLocks?: boolean } = {}): Promise<ResticExit> {
    let proc: ResticProcess | undefined = undefined;
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      proc?.kill('SIGTERM');
    };
    // Listing the locks opens the repository as `cat config` does, at the same cost; locks left
    // by a job killed with its manager (a check or prune would block a backup) are then cleared.
    proc = this.spawn(opts.clearStaleLocks ? ['list', 'locks', '--no-lock'] : ['cat', 'config', '--no-lock'], { onStderrData: (t) => (/retrying after/.test(t) ? stop() : undefined) });
    const timer = setTimeout(stop, timeoutMs);
    const exit = await proc.done;
    clearTimeout(timer);
    if (exit.code === 0 && opts.clearStaleLocks && exit.stdout.trim()) await this.clearStaleLocks();
    if (exit.code === 0 || !stopped) return exit;
    // Stopped at a retry: an empty bucket or folder is "no repository yet", like exit 10.
    if (!looksLikeAuthFailure(exit.stderr) && /bucket does not exist|NoSuchBucket|NoSuchKey|file does not exist|not found/i.test(exit.stderr)) return { ...exit, code: 10 };
    return { ...exit, code: 1 };
  }

  async snapshots(tags: string[] = [], signal?: AbortSignal): Promise<ResticSnapshot[]> {
    const tagArgs = tags.length ? ['--tag', tags.join(',')] : [];
    const exit = await this.exec('snapshots', ['snapshots', '--json', '--no-lock', ...tagArgs], signal ? { signal } : {});
    return (JSON.parse(exit.stdout.trim() || '[]') as ResticSnapshot[]) ?? [];
  }

  private backupArgs(c: BackupCommon): string[] {
    return ['backup', '--json', '--host', c.host, ...c.tags.flatMap((t) => ['--tag', t]), ...(c.time ? ['--time', resticTime(c.time)] : [])];
  }

  private collect(c: BackupCommon): { onStdoutLine: (l: string) => void; summary: () => BackupSummary | null } {
    let summary: BackupSummary | null = null;
    return {
      onStdoutLine: (line) => {
        const o = parseJsonLine(line) as Record<string, unknown> | undefined;
        if (!o) return;
        if (o.message_type === 'summary') {
          summary = {
            snapshotId: String(o.snapshot_id ?? ''),
            dataAdded: Number(o.data_added ?? 0),
            dataAddedPacked: Number(o.data_added_packed ?? o.data_added ?? 0),
            totalBytesProcessed: Number(o.total_bytes_processed ?? 0),
            durationSeconds: Number(o.total_duration ?? 0),
          };
        }
        const p = statusToProgress(o, c.expectedBytes);
        if (p) c.onProgress?.(p);
      },
      summary: () => summary,
    };
  }

  /**
   * Streams bytes into a snapshot holding one file. The caller owns the returned process:
   * it writes stdin and, when the producer failed, kills restic before EOF so no
   * truncated snapshot is ever committed.
   */
  startStdinBackup(filename: string, c: BackupCommon): { proc: ResticProcess; finish: () => Promise<BackupSummary> } {
    const sink = this.collect(c);
    const proc = this.spawn([...this.backupArgs(c), '--stdin', '--stdin-filename', filename], { pipeStdin: true, onStdoutLine: sink.onStdoutLine, signal: c.signal });
    return {
      proc,
      finish: async () => {
        const exit = await proc.done;
        const s = sink.summary();
        if (exit.code !== 0 || !s) throw this.error('backup', exit);
        return s;
      },
    };
  }

  async backupStream(filename: string, input: Readable, c: BackupCommon): Promise<BackupSummary> {
    const sink = this.collect(c);
    const exit = await this.spawn([...this.backupArgs(c), '--stdin', '--stdin-filename', filename], { stdin: input, onStdoutLine: sink.onStdoutLine, signal: c.signal }).done;
    const s = sink.summary();
    if (exit.code !== 0 || !s) throw this.error('backup', exit);
    return s;
  }

  async backupPaths(paths: string[], c: BackupCommon & { cwd?: string }): Promise<BackupSummary> {
    const sink = this.collect(c);
    const exit = await this.spawn([...this.backupArgs(c), '--', ...paths], { onStdoutLine: sink.onStdoutLine, signal: c.signal }).done;
    const s = sink.summary();
    if (exit.code !== 0 || !s) throw this.error('backup', exit);
    return s;
  }

  async restore(snapshotId: string, targetDir: string, opts: { include?: string[]; onProgress?: OnProgress; signal?: AbortSignal } = {}): Promise<void> {
    const include = (opts.include ?? []).flatMap((i) => ['--include', i]);
    await this.exec('restore', ['restore', '--json', `${snapshotId}`, '--target', targetDir, ...include], {
      onStdoutLine: (line) => {
        const p = statusToProgress(parseJsonLine(line));
        if (p) opts.onProgress?.(p);
      },
      signal: opts.signal,
    });
  }

  /** Streams one file of a snapshot to `onData` (restores pipe it straight into pg_restore). */
  async dump(snapshotId: string, file: string, onData: (chunk: Buffer) => void, signal?: AbortSignal): Promise<void> {
    await this.exec('dump', ['dump', '--no-lock', snapshotId, file], { onStdoutData: onData, signal });
  }

  /** One file of a snapshot as a stream with backpressure; `done` rejects with a coded error. */
  dumpStream(snapshotId: string, file: string, signal?: AbortSignal): { stream: Readable; done: Promise<void>; kill: () => void } {
    const proc = this.spawn(['dump', '--no-lock', snapshotId, file], { streamStdout: true, signal });
    const done = proc.done.then((exit) => {
      if (exit.code !== 0) throw this.error('dump', exit);
    });
    return { stream: proc.stdout!, done, kill: () => proc.kill('SIGKILL') };
  }

  /** Reads one small file of a snapshot (the manifest) into memory. */
  async readFile(snapshotId: string, file: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.dump(snapshotId, file, (c) => chunks.push(c));
    return Buffer.concat(chunks);
  }

  async forget(snapshotIds: string[], prune: boolean): Promise<void> {
    if (snapshotIds.length === 0 && !prune) return;
    if (snapshotIds.length) await this.exec('forget', ['forget', ...snapshotIds]);
    if (prune) await this.exec('prune', ['prune']);
  }

  /** Full-data verification reads `readDataPercent` of the pack files (100 = every byte). */
  async check(readDataPercent: number): Promise<{ ok: true; output: string }> {
    const args = ['check'];
    if (readDataPercent >= 100) args.push('--read-data');
    else if (readDataPercent > 0) args.push(`--read-data-subset=${readDataPercent}%`);
    const exit = await this.runClearingStaleLocks(args, {});
    if (exit.code !== 0) {
      const e = this.error('check', exit);
      // A check that ran and found damage is corruption, not an engine failure.
      if (e.error.code === 'BACKUP_ENGINE_FAILED') throw resticCorrupt(this.access.label, this.redact(`${exit.stdout}\n${exit.stderr}`));
      throw e;
    }
    return { ok: true, output: exit.stdout };
  }

  /** `medai backup unlock`: the same rule as before a job, never a live holder's lock. */
  async unlock(): Promise<void> {
    await this.clearStaleLocks();
  }

  async version(): Promise<string> {
    const exit = await this.exec('version', ['version']);
    return exit.stdout.trim();
  }
}

const resticCorrupt = (target: string, out: string) => fail('BACKUP_REPO_CORRUPT', { target }, stderrTail(out, 20));
