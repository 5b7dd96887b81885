import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateConsoleToken, tokensEqual } from '../../../electron/console/console-token';
import { createRequestGuard } from '../../../electron/console/request-guard';
import { makeTempDir } from '../../support/temp-dir';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('console request guard', () => {
  const guard = createRequestGuard(8686);
  it('answers only its own loopback names (no DNS rebinding)', () => {
    expect(guard.hostAllowed('127.0.0.1:8686')).toBe(true);
    expect(guard.hostAllowed('localhost:8686')).toBe(true);
    expect(guard.hostAllowed('evil.example:8686')).toBe(false);
    expect(guard.hostAllowed('127.0.0.1:9999')).toBe(false);
    expect(guard.hostAllowed(undefined)).toBe(false);
  });
  it('refuses requests made by pages of other origins (no CSRF)', () => {
    expect(guard.originAllowed(undefined)).toBe(true);
    expect(guard.originAllowed('http://127.0.0.1:8686')).toBe(true);
    expect(guard.originAllowed('https://evil.example')).toBe(false);
    expect(guard.originAllowed('http://127.0.0.1:8687')).toBe(false);
    expect(guard.originAllowed('null')).toBe(false);
  });
});

describe('console token', () => {
  it('is generated once, owner-only, and reused afterwards', () => {
    const t = makeTempDir('token');
    cleanups.push(t.cleanup);
    const first = loadOrCreateConsoleToken(t.dir);
    expect(first.created).toBe(true);
    expect(first.value.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const second = loadOrCreateConsoleToken(t.dir);
    expect(second).toMatchObject({ created: false, value: first.value });
    expect(tokensEqual(first.value, second.value)).toBe(true);
    expect(tokensEqual(first.value, `${first.value}x`)).toBe(false);
  });
});
