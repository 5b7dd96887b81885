import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { HostCheckItem, HostCheckReport } from '../../../electron/core/contract';
import { REPO_ROOT } from '../../support/built-cli';

/**
 * The host tests drive the CLI as shipped (an esbuild bundle), built into a folder of their
 * own so a rebuild here never races another capability's tests reading dist/cli/medai.cjs.
 */
export const HOST_CLI = path.join(REPO_ROOT, 'dist', 'test-host', 'cli', 'medai.cjs');
export const FAKE_SMI = path.join(REPO_ROOT, 'test', 'fixtures', 'nvidia-smi', 'fake-nvidia-smi.sh');
export const smiFixture = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'nvidia-smi', name);

export function buildHostCli(): void {
  buildSync({
    entryPoints: [path.join(REPO_ROOT, 'electron', 'cli', 'medai.ts')],
    outfile: HOST_CLI,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['electron', 'better-sqlite3', 'dockerode', 'ssh2', 'cpu-features', 'onnxruntime-node', 'systeminformation'],
  });
}

export interface HostRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: HostCheckReport;
  check(id: string): HostCheckItem;
}

/** Runs `medai check --json …` and parses the report (prefix: e.g. setpriv to drop privileges). */
export function runCheck(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []): HostRun {
  const [cmd, ...rest] = [...prefix, 'node', HOST_CLI, '--data-dir', dataDir, '--json', 'check', ...args];
  const r = spawnSync(cmd!, rest, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  let report: HostCheckReport;
  try {
    report = JSON.parse(r.stdout) as HostCheckReport;
  } catch {
    throw new Error(`medai check printed no report (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    report,
    check: (id) => {
      const c = report.checks.find((x) => x.id === id);
      if (!c) throw new Error(`no ${id} in the report`);
      return c;
    },
  };
}

export const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' }).trim();
export const dockerFmt = (what: 'info' | 'version', format: string): string => sh('docker', [what, '--format', format]);
