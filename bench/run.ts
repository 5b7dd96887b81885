// Runs the registered benchmarks and prints medians and ratios against the baseline
// measured in the same run. `npm run bench -- <name>...` runs a subset.
import fs from 'node:fs';
import path from 'node:path';
import { median, REPO_ROOT, type Benchmark } from './bench-kit';
import { bundleImportBench } from './bundle-import.bench';
import { hostCheckBench } from './host-check.bench';
import { statusBench } from './status.bench';
import { backupPgBench, backupPgNotesBench } from './backup-pg.bench';
import { stackUpgradeBench, stackUpgradeRealBench } from './stack-upgrade.bench';
import { serviceEmbeddingsBench } from './service-embeddings.bench';
import { serviceSearchBench } from './service-search.bench';

// Capabilities register their benchmarks here (one line each).
const BENCHMARKS: Benchmark[] = [statusBench, bundleImportBench, hostCheckBench, stackUpgradeBench, stackUpgradeRealBench, serviceEmbeddingsBench, serviceSearchBench, backupPgBench, backupPgNotesBench];

const fmt = (s: number) => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`);

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const chosen = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
  if (wanted.length && chosen.length !== wanted.length) {
    console.error(`unknown benchmark; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exit(3);
  }
  const outDir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  for (const b of chosen) {
    console.log(`\n## ${b.name}: ${b.description}`);
    const result = await b.run();
    const base = result.baseline ? result.series.find((s) => s.label === result.baseline) : undefined;
    for (const s of result.series) {
      const m = median(s.samples);
      const ratio = base && s !== base ? `  ratio vs ${base.label}: ${(median(base.samples) / m).toFixed(2)}× speed` : '';
      console.log(`  ${s.label.padEnd(40)} median ${fmt(m).padStart(9)}  (n=${s.samples.length}, min ${fmt(Math.min(...s.samples))}, max ${fmt(Math.max(...s.samples))})${ratio}`);
    }
    for (const [k, v] of Object.entries(result.notes ?? {})) console.log(`  ${k}: ${v}`);
    fs.writeFileSync(path.join(outDir, `${b.name}.json`), JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
