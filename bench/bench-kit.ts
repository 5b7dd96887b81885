import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One measured thing: its samples in seconds. The first series of a result is "ours". */
export interface Series {
  label: string;
  samples: number[];
}

export interface BenchResult {
  /** What ours is compared with; ratios are baseline median / ours median (>1: ours is faster). */
  baseline?: string;
  series: Series[];
  /** Extra figures worth reporting (sizes, counts, RSS...). */
  notes?: Record<string, string | number>;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Wall time of one run of a command, in seconds; a failing command fails the benchmark. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString()}`);
  return seconds;
}

/** Runs the candidates interleaved (A B A B ...) so drift on a noisy machine hits both alike. */
export async function interleave(rounds: number, candidates: Record<string, () => number | Promise<number>>): Promise<Series[]> {
  const series = Object.keys(candidates).map((label) => ({ label, samples: [] as number[] }));
  for (let i = 0; i < rounds; i++) {
    for (const s of series) s.samples.push(await candidates[s.label]!());
  }
  return series;
}
