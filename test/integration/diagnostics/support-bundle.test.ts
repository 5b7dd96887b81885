import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/program';
import { loadOrCreateConsoleToken } from '../../../electron/console/console-token';
import { TargetSecrets } from '../../../electron/core/backup/targets/target-secrets';
import { systemClock } from '../../../electron/core/clock';
import type { DiagnosticsBundleResult, DiagnosticsManifestEntry } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { writeMetricsKey } from '../../../electron/core/service/metrics-key-store';
import { openState } from '../../../electron/core/state/open-state';
import { REPO_ROOT } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';
import { ensureRestic } from '../backup/backup-fixtures';
import { ensureAppImages, freePort, recordAppBundle, runOperation } from '../stack/app-stack';
import { cleanupProjects, ensureTestImages, realEngine, testProject } from '../stack/stack-fixtures';

const access = realEngine();
const tmp = makeTempDir('diag');
const stack = testProject('diag');
let core: Core;
/** Every secret value the manager holds in this data dir; none may appear in a bundle. */
const secrets: Record<string, string> = {};

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Untars with the stock tool, as support would, and returns the bundle's root folder. */
function extract(file: string): string {
  const into = fs.mkdtempSync(path.join(tmp.dir, 'x-'));
  execFileSync('tar', ['-xzf', file, '-C', into]);
  const [root] = fs.readdirSync(into);
  return path.join(into, root!);
}

/** Writes a line to the container's own stdout, so it lands in its engine log. */
const logInContainer = (container: string, shell: string) => execFileSync('docker', ['exec', container, 'sh', '-c', `{ ${shell}; } > /proc/1/fd/1`]);

beforeAll(async () => {
  // The restic the app ships (a fresh clone builds it here; Debian's 0.14 cannot init a target).
  ensureRestic();
  ensureTestImages();
  ensureAppImages();
  const db = openState(tmp.dir);
  core = createCore({ dataDir: tmp.dir, db, docker: access.docker, dockerEndpoint: { ...access.endpoint, timeoutSeconds: 30 }, clock: systemClock });
  await recordAppBundle(db, access.docker, '1.0.0', '1');
  const installed = await runOperation(core, 'stack.install', {
    stack,
    bundleVersion: '1.0.0',
    config: { bindAddress: '127.0.0.1', httpPort: await freePort(), gpu: false, adminContact: 'it@hospital.example' },
    overrideHostCheck: 'diagnostics integration test host: no GPU',
    healthTimeoutS: 120,
  });
  expect(installed.last.type, JSON.stringify(installed.last)).toBe('done');
  secrets.POSTGRES_PASSWORD = /POSTGRES_PASSWORD=(.+)/.exec(fs.readFileSync(path.join(tmp.dir, 'stacks', stack, 'secrets.env'), 'utf8'))![1]!;
  secrets.consoleToken = loadOrCreateConsoleToken(tmp.dir).value;
  const target = await core.dispatch('backup.targets.add', { id: 'diag-local', location: { kind: 'local', path: path.join(tmp.dir, 'repo') } });
  expect(target.ok, JSON.stringify(target)).toBe(true);
  secrets.repositoryPassword = TargetSecrets.forTarget(tmp.dir, 'diag-local').readPassword()!;
  secrets.metricsKey = 'mk_diag_4f1c2b9e7d6a5f3e2c1b0a99';
  writeMetricsKey(tmp.dir, { container: 'medai-service', id: 'key_diag', name: 'medai-manager-metrics', createdAt: new Date().toISOString(), key: secrets.metricsKey });
  // Logs that echo secrets, on purpose: the database's own password, a URL and a header
  // carrying it, and the manager's other secrets (only the verbatim pass can catch those).
  const db1 = `${stack}-postgres-1`;
  logInContainer(db1, 'echo "leak: $POSTGRES_PASSWORD"; echo "url postgresql://postgres:$POSTGRES_PASSWORD@postgres:5432/x"; echo "Authorization: Bearer $POSTGRES_PASSWORD"');
  logInContainer(db1, `echo "token ${secrets.consoleToken} restic ${secrets.repositoryPassword} key ${secrets.metricsKey}"`);
  expect(execFileSync('docker', ['logs', '--tail', '10', db1], { encoding: 'utf8' })).toContain(secrets.POSTGRES_PASSWORD);
  // A failed operation whose request carried the password: the journal is redacted too.
  await runOperation(core, 'stack.install', { stack: 'diag-nothing', bundleVersion: '9.9.9', config: { bindAddress: '127.0.0.1', httpPort: 1, gpu: false, adminContact: `x ${secrets.POSTGRES_PASSWORD}` } });
}, 600_000);

afterAll(async () => {
  await cleanupProjects(access, [stack]);
  core?.deps.db.close();
  tmp.cleanup();
});

describe('diagnostics bundle on the real engine with a real installed stack', () => {
  let result: DiagnosticsBundleResult;
  let root: string;

  it('writes one 0600 .tar.gz under support/ with progress for each part', async () => {
    const { last, events } = await runOperation(core, 'diagnostics.bundle', { stack, logLines: 500 });
    expect(last.type, JSON.stringify(last)).toBe('done');
    result = (last as { result: DiagnosticsBundleResult }).result;
    expect(path.dirname(result.file)).toBe(path.join(tmp.dir, 'support'));
    expect(result.fileName).toMatch(/^medai-diagnostics-.+\.tar\.gz$/);
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(result.file).size).toBe(result.bytes);
    expect(createHash('sha256').update(fs.readFileSync(result.file)).digest('hex')).toBe(result.sha256);
    const steps = events.flatMap((e) => (e.type === 'progress' && e.step ? [e.step.id] : []));
    expect(steps).toEqual(['manager', 'host', 'engine', 'stack-state', 'stack-logs', 'stack-files', 'operations', 'bundles', 'backup', 'service', 'redact', 'write']);
    expect(result.missing).toEqual([]);
    // No leftover temporary file next to it.
    expect(fs.readdirSync(path.dirname(result.file))).toEqual([result.fileName]);
    root = extract(result.file);
  });

  it('holds every file the manifest lists, with its size and sha256', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8')) as { files: DiagnosticsManifestEntry[]; redacted: string[]; knownSecretValuesChecked: number };
    const listed = manifest.files.map((f) => f.path).sort();
    expect(walk(root).map((f) => path.relative(root, f)).sort()).toEqual([...listed, 'manifest.json'].sort());
    for (const f of manifest.files) {
      const data = fs.readFileSync(path.join(root, f.path));
      expect(data.length, f.path).toBe(f.bytes);
      expect(createHash('sha256').update(data).digest('hex'), f.path).toBe(f.sha256);
    }
    for (const p of ['manager.json', 'host/latest-check.json', 'engine/info.json', 'engine/version.json', 'stack/status.json', 'stack/compose.yaml', 'stack/env', 'stack/install.json', 'operations/journal.json', 'bundles/imported.json', 'backup/targets.json', 'backup/runs.json', 'service/metrics-keys.json', 'stack/logs/postgres.log', 'stack/logs/app.log']) {
      expect(listed, p).toContain(p);
    }
    expect(manifest.knownSecretValuesChecked).toBeGreaterThanOrEqual(4);
    expect(manifest.redacted).toEqual(expect.arrayContaining(['key:POSTGRES_PASSWORD', 'known-secret-value', 'url-password', 'authorization-header']));
  });

  it('carries the facts support needs: versions, stack state, container logs, journal, targets', () => {
    const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
    expect(JSON.parse(read('manager.json'))).toMatchObject({ managerVersion: expect.stringMatching(/^\d+\.\d+\.\d+/), platform: 'linux' });
    expect(JSON.parse(read('engine/version.json'))).toHaveProperty('ApiVersion');
    const status = JSON.parse(read('stack/status.json')) as { version: string; services: { service: string; state: string }[] };
    expect(status.version).toBe('1.0.0');
    expect(status.services.map((s) => [s.service, s.state])).toEqual([
      ['app', 'running'],
      ['postgres', 'running'],
    ]);
    expect(read('stack/logs/postgres.log')).toContain('database system is ready to accept connections');
    expect(read('stack/logs/postgres.log')).toContain('leak: «redacted»');
    expect(read('stack/logs/postgres.log')).toContain('url postgresql://postgres:«redacted»@postgres:5432/x');
    expect(read('stack/logs/postgres.log')).toContain('Authorization: Bearer «redacted»');
    expect(read('stack/env')).toContain('POSTGRES_PASSWORD=«redacted»');
    expect(read('stack/env')).toContain('MEDAI_BIND_ADDRESS=127.0.0.1');
    expect(read('stack/compose.yaml')).toContain('image: medai-stacktest/app:1');
    const journal = JSON.parse(read('operations/journal.json')) as { kind: string; events: unknown[] }[];
    expect(journal.map((o) => o.kind)).toEqual(expect.arrayContaining(['stack.install']));
    // The real install with its step events, and the refused one whose request carried the password.
    expect(Math.max(...journal.filter((o) => o.kind === 'stack.install').map((o) => o.events.length))).toBeGreaterThan(3);
    expect(read('operations/journal.json')).toContain('"adminContact": "x «redacted»"');
    expect((JSON.parse(read('backup/targets.json')) as { id: string }[]).map((t) => t.id)).toEqual(['diag-local']);
    expect(read('service/metrics-keys.json')).toContain('key_diag');
  });

  it('contains none of the secret values anywhere in the extracted bytes, nor in the tarball', () => {
    const values = Object.values(secrets);
    expect(values.length).toBe(4);
    for (const file of walk(root)) {
      const bytes = fs.readFileSync(file);
      for (const [name, v] of Object.entries(secrets)) expect(bytes.includes(Buffer.from(v)), `${name} in ${path.relative(root, file)}`).toBe(false);
    }
    const raw = execFileSync('sh', ['-c', `gzip -dc '${result.file}'`]);
    for (const [name, v] of Object.entries(secrets)) expect(raw.includes(Buffer.from(v)), `${name} in the tar stream`).toBe(false);
  });

  it('medai support bundle writes it where --out says and prints where it is', async () => {
    const outDir = fs.mkdtempSync(path.join(tmp.dir, 'out-'));
    const file = path.join(outDir, 'site-visit.tar.gz');
    let out = '';
    const code = await runCli(['--data-dir', tmp.dir, '--lang', 'en', 'support', 'bundle', '--stack', stack, '--out', file, '--log-lines', '3'], {
      stdout: (t) => (out += `${t}\n`),
      stderr: (t) => (out += `${t}\n`),
      env: process.env,
      appRoot: REPO_ROOT,
    });
    expect(code, out).toBe(0);
    expect(out).toContain(`Diagnostics bundle: ${file}`);
    expect(out).toContain('Redacted (names only):');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const lines = fs.readFileSync(path.join(extract(file), 'stack/logs/postgres.log'), 'utf8').trim().split('\n');
    // The last 3 lines: the ones the test echoed last.
    expect(lines.length).toBe(3);
    expect(lines[2]).toMatch(/token «redacted» restic «redacted» key «redacted»$/);

    // --json: progress and the result as JSON lines; a folder as --out gets the default name.
    let json = '';
    const jsonCode = await runCli(['--data-dir', tmp.dir, '--json', 'support', 'bundle', '--stack', stack, '--out', outDir], { stdout: (t) => (json += `${t}\n`), stderr: (t) => (json += `${t}\n`), env: process.env, appRoot: REPO_ROOT });
    expect(jsonCode, json).toBe(0);
    const events = json.trim().split('\n').map((l) => JSON.parse(l) as { type: string; result?: DiagnosticsBundleResult });
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(12);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    expect(path.dirname(done.result!.file)).toBe(outDir);
    expect(done.result!.fileName).toMatch(/^medai-diagnostics-.+\.tar\.gz$/);
    expect(fs.statSync(done.result!.file).mode & 0o777).toBe(0o600);
  });

  it('refuses a folder that does not exist and an existing file, writing nothing', async () => {
    const missing = await runOperation(core, 'diagnostics.bundle', { stack, out: path.join(tmp.dir, 'no-such-dir', 'b.tar.gz') });
    expect(missing.last.type).toBe('failed');
    expect((missing.last as { error: { code: string } }).error.code).toBe('DIAGNOSTICS_OUTPUT_NOT_WRITABLE');
    expect(fs.existsSync(path.join(tmp.dir, 'no-such-dir'))).toBe(false);
    const exists = await runOperation(core, 'diagnostics.bundle', { stack, out: result.file });
    expect((exists.last as { error: { code: string } }).error.code).toBe('DIAGNOSTICS_OUTPUT_NOT_WRITABLE');
    expect(createHash('sha256').update(fs.readFileSync(result.file)).digest('hex')).toBe(result.sha256);
  });

  it('reports a full disk as DIAGNOSTICS_DISK_FULL and leaves no partial file', async () => {
    const mnt = fs.mkdtempSync(path.join(tmp.dir, 'full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    try {
      // Fill it to the last block: creating the bundle's file still works, writing it does not.
      execFileSync('sh', ['-c', `dd if=/dev/zero of='${mnt}/filler' bs=4k 2>/dev/null || true`]);
      const full = await runOperation(core, 'diagnostics.bundle', { stack, out: path.join(mnt, 'b.tar.gz') });
      expect(full.last.type).toBe('failed');
      expect((full.last as { error: { code: string } }).error.code).toBe('DIAGNOSTICS_DISK_FULL');
      expect(fs.readdirSync(mnt)).toEqual(['filler']);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
