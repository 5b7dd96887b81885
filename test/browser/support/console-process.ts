import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './build';

export interface StartedConsole {
  url: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Kills the console as a crash or power loss would (SIGKILL), keeping its data directory. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real web console (`medai console --port 0 --json`), as an operator would, and
 * reads the one JSON line it prints: {url, tokenFile, token}. A fresh data directory unless
 * one is given (a restart after a crash); the token is printed only when it was created.
 */
export async function startConsole(env: NodeJS.ProcessEnv = {}, reuseDataDir?: string): Promise<StartedConsole> {
  const dataDir = reuseDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'medai-browser-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli/medai.cjs'), '--data-dir', dataDir, 'console', '--port', '0', '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`medai console printed nothing in 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`medai console exited with ${code}; stderr: ${stderr}`));
    });
  });
  const printed = JSON.parse(line) as { url: string; tokenFile: string; token?: string };
  if (!reuseDataDir && !printed.token) throw new Error(`a fresh data directory must print its new token: ${line}`);
  if (reuseDataDir && printed.token) throw new Error(`a restarted console must keep its token, not print a new one: ${line}`);
  const token = printed.token ?? fs.readFileSync(printed.tokenFile, 'utf8').trim();
  if (!/^http:\/\/127\.0\.0\.1:[1-9]\d*$/.test(printed.url)) throw new Error(`--port 0 must print the bound port: ${printed.url}`);

  return {
    url: printed.url,
    token,
    dataDir,
    child,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
