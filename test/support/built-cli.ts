import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'cli', 'medai.cjs');

/** The tests drive the CLI exactly as shipped: the esbuild bundle in dist/. */
export function ensureBuiltCli(): void {
  if (!fs.existsSync(CLI_PATH)) {
    const r = spawnSync('node', ['scripts/build-node.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBuiltCli(args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []): CliRun {
  const [cmd, ...rest] = [...prefix, 'node', CLI_PATH, ...args];
  const r = spawnSync(cmd!, rest, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface ConsoleProcess {
  url: string;
  port: number;
  token?: string;
  tokenFile: string;
  child: ChildProcessWithoutNullStreams;
  stop(): Promise<void>;
}

/** Starts `medai console --json` and waits for the line that names its URL. */
export async function startConsoleProcess(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ConsoleProcess> {
  const child = spawn('node', [CLI_PATH, '--data-dir', dataDir, '--json', 'console', '--port', '0', ...extraArgs], {
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = readline.createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start: ${stderr}`)), 20_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`console exited ${code}: ${stderr}`)));
  });
  const info = JSON.parse(first) as { url: string; token?: string; tokenFile: string };
  return {
    ...info,
    port: Number(new URL(info.url).port),
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
