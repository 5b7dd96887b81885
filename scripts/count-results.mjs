// Sums vitest's JSON reports into the one line CI reads: "N passed, N failed".
// A report that is missing (its run crashed) counts as a failure, never as zero tests.
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    console.log(`missing report: ${file}`);
    missing++;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that failed without a failing test (it did not load, or its beforeAll threw and
  // its tests were skipped) counts as failed: each test that did not pass, at least one.
  for (const t of r.testResults) {
    if (t.status !== 'failed' || t.assertionResults.some((a) => a.status === 'failed')) continue;
    const notRun = t.assertionResults.filter((a) => a.status !== 'passed').length;
    failed += Math.max(1, notRun);
    skipped -= t.assertionResults.filter((a) => a.status === 'pending' || a.status === 'skipped' || a.status === 'todo').length;
  }
}
failed += missing;
if (skipped) console.log(`${skipped} skipped`);
// The last line, exactly as CI reads it.
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
