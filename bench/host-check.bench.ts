import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { interleave, median, REPO_ROOT, timeCommand, type Benchmark } from './bench-kit';

const cli = path.join(REPO_ROOT, 'dist', 'cli', 'medai.cjs');

/** Wall time of `medai check --json`; exit 1 and 2 (warn, fail) are verdicts, not errors. */
function timeCheck(dataDir: string, inProcessMs: number[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', [cli, '--data-dir', dataDir, '--json', 'check'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status === null || r.status > 2) throw new Error(`medai check exited ${r.status}: ${r.stderr}`);
  inProcessMs.push((JSON.parse(r.stdout) as { durationMs: number }).durationMs);
  return seconds;
}

/**
 * The whole preflight (all 32 checks, real engine, real /proc and disks) as a hospital
 * admin runs it: a fresh `medai check` process each time. The baseline is the raw tools an
 * admin would run by hand for the same facts (one shell, no evaluation); `docker info`
 * alone is shown as the floor of any engine query.
 */
const RAW_TOOLS = [
  'docker info >/dev/null',
  'docker version >/dev/null',
  'docker network inspect bridge >/dev/null',
  'docker ps >/dev/null',
  'df -B1 /var/lib/docker /tmp >/dev/null',
  'df -i /var/lib/docker /tmp >/dev/null',
  'nproc >/dev/null',
  'cat /proc/meminfo /etc/os-release /proc/net/route >/dev/null',
  'uname -a >/dev/null',
  'cat /etc/docker/daemon.json >/dev/null 2>&1 || true',
  '(nvidia-smi -q -x >/dev/null 2>&1 || true)',
  '(chronyc -n tracking >/dev/null 2>&1 || timedatectl show >/dev/null 2>&1 || true)',
].join('; ');

export const hostCheckBench: Benchmark = {
  name: 'host-check',
  description: 'medai check --json (whole preflight, fresh process) vs the raw tools for the same facts (real engine)',
  async run() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-bench-host-'));
    const inProcessMs: number[] = [];
    try {
      const series = await interleave(9, {
        'medai check --json (whole process)': () => timeCheck(dataDir, inProcessMs),
        'raw tools by hand (bash, same facts)': () => timeCommand('bash', ['-c', RAW_TOOLS]),
        'docker info': () => timeCommand('docker', ['info']),
      });
      return {
        baseline: 'raw tools by hand (bash, same facts)',
        series,
        notes: {
          'checks per run': 32,
          'median in-process run (facts + checks, report durationMs)': `${median(inProcessMs)} ms`,
          'target (issue 3)': 'whole check < 3 s',
        },
      };
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
