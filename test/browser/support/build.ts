import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const OUTPUTS = ['dist/renderer/index.html', 'dist/cli/medai.cjs'].map((p) => path.join(ROOT, p));
const SOURCES = ['renderer', 'electron', 'docs', 'scripts/build-node.mjs', 'package.json'].map((p) => path.join(ROOT, p));

const newestMtime = (p: string): number => {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), st.mtimeMs);
};

/**
 * Builds the renderer and the CLI when an output is missing or older than any source, so
 * the browser tests always drive what the sources say. One `npm run build`, no watching.
 */
export function ensureBuilt(): void {
  const built = Math.min(...OUTPUTS.map((o) => (fs.existsSync(o) ? fs.statSync(o).mtimeMs : 0)));
  const sources = Math.max(...SOURCES.map(newestMtime));
  if (built > 0 && built >= sources) return;
  // Under a lock: several engineers' test runs share one dist/ and must not build over each other.
  execFileSync('flock', ['/tmp/medai-build.lock', 'npm', 'run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
