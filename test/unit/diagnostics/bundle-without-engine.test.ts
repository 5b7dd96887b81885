import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import type { DiagnosticsBundleResult } from '../../../electron/core/contract';
import { createCore } from '../../../electron/core/core';
import { openState } from '../../../electron/core/state/open-state';
import { runOperation } from '../../support/run-operation';
import { makeTempDir } from '../../support/temp-dir';

/**
 * The machine support is called to is often the broken one: with no Docker engine at all
 * the bundle is still written, and says what it could not collect and why.
 */
describe('diagnostics bundle without a Docker engine', () => {
  const tmp = makeTempDir('diag-noengine');
  const socketPath = path.join(tmp.dir, 'no-docker.sock');
  const core = createCore({ dataDir: tmp.dir, db: openState(tmp.dir), docker: new Docker({ socketPath }), dockerEndpoint: { socketPath, timeoutSeconds: 2 }, clock: systemClock });
  afterAll(() => {
    core.deps.db.close();
    tmp.cleanup();
  });

  it('writes the bundle with the engine parts listed as missing, with their error codes', async () => {
    const { last } = await runOperation(core, 'diagnostics.bundle', {});
    expect(last.type, JSON.stringify(last)).toBe('done');
    const r = (last as { result: DiagnosticsBundleResult }).result;
    expect(r.missing).toEqual(['engine: ENGINE_SOCKET_MISSING', 'stack-state: ENGINE_SOCKET_MISSING', 'stack-logs: ENGINE_SOCKET_MISSING']);
    expect(fs.statSync(r.file).mode & 0o777).toBe(0o600);
    const root = r.fileName.replace(/\.tar\.gz$/, '');
    const listing = execFileSync('tar', ['-tzf', r.file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(expect.arrayContaining([`${root}/manifest.json`, `${root}/manager.json`, `${root}/operations/journal.json`, `${root}/missing.json`]));
    expect(listing.some((l) => l.includes('/engine/'))).toBe(false);
    const missing = JSON.parse(execFileSync('tar', ['-xzOf', r.file, `${root}/missing.json`], { encoding: 'utf8' })) as { part: string; code: string }[];
    expect(missing.map((m) => m.part)).toEqual(['engine', 'stack-state', 'stack-logs']);
  });

  it('refuses an --out whose folder is missing before collecting anything', async () => {
    const { last, events } = await runOperation(core, 'diagnostics.bundle', { out: path.join(tmp.dir, 'nope', 'x.tar.gz') });
    expect(last.type).toBe('failed');
    expect((last as { error: { code: string; message: { en: string } } }).error.code).toBe('DIAGNOSTICS_OUTPUT_NOT_WRITABLE');
    expect(events.filter((e) => e.type === 'progress')).toEqual([]);
  });
});
