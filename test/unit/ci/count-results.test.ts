import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';

// The line CI reads is produced by this script from vitest's JSON reports: it must never
// report a run whose setup failed as green.
const tmp = makeTempDir('count');
afterAll(() => tmp.cleanup());

type Status = 'passed' | 'failed' | 'skipped' | 'pending';
const report = (name: string, files: { status: 'passed' | 'failed'; tests: Status[] }[]) => {
  const all = files.flatMap((f) => f.tests);
  const file = path.join(tmp.dir, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      numPassedTests: all.filter((s) => s === 'passed').length,
      numFailedTests: all.filter((s) => s === 'failed').length,
      numPendingTests: all.filter((s) => s === 'skipped' || s === 'pending').length,
      numTodoTests: 0,
      testResults: files.map((f, i) => ({ name: `f${i}.test.ts`, status: f.status, assertionResults: f.tests.map((status) => ({ status })) })),
    }),
  );
  return file;
};
const count = (...files: string[]) => {
  const r = spawnSync('node', [path.join(REPO_ROOT, 'scripts', 'count-results.mjs'), ...files], { encoding: 'utf8' });
  const lines = r.stdout.trim().split('\n');
  return { code: r.status, last: lines[lines.length - 1], lines };
};

describe('scripts/count-results.mjs', () => {
  it('sums the reports and ends with the plain line CI reads', () => {
    const r = count(report('a', [{ status: 'passed', tests: ['passed', 'passed'] }]), report('b', [{ status: 'failed', tests: ['passed', 'failed'] }]));
    expect(r.last).toBe('3 passed, 1 failed');
    expect(r.code).toBe(1);
  });

  it('counts a file whose beforeAll threw (its tests skipped) as failed, never as green', () => {
    const r = count(report('c', [{ status: 'passed', tests: ['passed'] }, { status: 'failed', tests: ['skipped', 'skipped', 'skipped'] }]));
    expect(r.last).toBe('1 passed, 3 failed');
    expect(r.code).toBe(1);
  });

  it('counts a file that did not load, and a missing report, as failures', () => {
    const r = count(report('d', [{ status: 'failed', tests: [] }]), path.join(tmp.dir, 'never-written.json'));
    expect(r.last).toBe('0 passed, 2 failed');
    expect(r.code).toBe(1);
  });

  it('reports skipped tests of a green run on their own line, before the last one', () => {
    const r = count(report('e', [{ status: 'passed', tests: ['passed', 'skipped'] }]));
    expect(r.lines).toEqual(['1 skipped', '1 passed, 0 failed']);
    expect(r.code).toBe(0);
  });
});
