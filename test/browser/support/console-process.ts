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
  stop(): Promise<void>;
}

/**
 * Starts the real web console (`medai console --port 0 --json`) on a fresh data directory,
 * as an operator would, and reads the one JSON line it prints: {url, tokenFile, token}.
 */
export async function startConsole(env: NodeJS.ProcessEnv = {}): Promise<StartedConsole> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-browser-'));
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
  if (!printed.token) throw new Error(`a fresh data directory must print its new token: ${line}`);
  if (!/^http:\/\/127\.0\.0\.1:[1-9]\d*$/.test(printed.url)) throw new Error(`--port 0 must print the bound port: ${printed.url}`);

  return {
    url: printed.url,
    token: printed.token,
    dataDir,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
