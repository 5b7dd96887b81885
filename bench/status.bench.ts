import path from 'node:path';
import { interleave, REPO_ROOT, timeCommand, type Benchmark } from './bench-kit';

const cli = path.join(REPO_ROOT, 'dist', 'cli', 'medai.cjs');

/** `medai status` (a Node process, SQLite open, two Engine API calls) against plain `docker info`. */
export const statusBench: Benchmark = {
  name: 'status',
  description: 'medai status --json vs docker info (whole process, real engine)',
  async run() {
    const series = await interleave(15, {
      'medai status --json': () => timeCommand('node', [cli, '--data-dir', '/tmp/medai-bench-status', 'status', '--json']),
      'docker info': () => timeCommand('docker', ['info']),
    });
    return { baseline: 'docker info', series };
  },
};
