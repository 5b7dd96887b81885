import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli, runBuiltCli } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';
import { flipByte, idOf, makeTinyImage, removeImages, TEST_REPO, writeStackDir } from './bundle-fixtures';

// `medai bundle …` exactly as shipped (the esbuild output), on the real engine.
describe('medai bundle CLI', () => {
  const tmp = makeTempDir('bundle-cli');
  const ref = `${TEST_REPO}/cli:${randomBytes(4).toString('hex')}`;
  const dataDir = path.join(tmp.dir, 'data');
  const keysDir = path.join(tmp.dir, 'keys');
  const trustDir = path.join(tmp.dir, 'trust');
  const bundle = path.join(tmp.dir, 'cli.medai-bundle');
  const trustEnv = { MEDAI_TRUSTED_KEYS_DIR: trustDir };
  let id: string;

  beforeAll(() => {
    ensureBuiltCli();
    id = makeTinyImage(ref, 128);
  });
  afterAll(() => {
    removeImages([id]);
    tmp.cleanup();
  });

  it('keygen writes the key pair (private 0600) and prints the key id', () => {
    const r = runBuiltCli(['--json', 'bundle', 'keygen', '--out-dir', keysDir, '--name', 'cli-signer']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { privateKeyPath: string; publicKeyPath: string; keyId: string };
    expect(fs.statSync(out.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(out.keyId).toMatch(/^[0-9a-f]{64}$/);
    fs.mkdirSync(trustDir);
    fs.copyFileSync(out.publicKeyPath, path.join(trustDir, 'cli-signer.pub'));
    expect(runBuiltCli(['bundle', 'keygen', '--out-dir', keysDir, '--name', 'cli-signer']).code).toBe(5);
  });

  it('build streams progress as NDJSON with --json and writes the bundle', () => {
    const stack = writeStackDir(tmp.dir, [{ service: 'cli', ref }]);
    const r = runBuiltCli(['--data-dir', dataDir, '--json', 'bundle', 'build', '--stack', stack.dir, '--version', '1.0.0', '--key', path.join(keysDir, 'cli-signer.key'), '--out', bundle, '--compression', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; result?: { images: { id: string }[] } });
    expect(events.at(-1)?.type).toBe('done');
    expect(events.at(-1)?.result?.images[0]?.id).toBe(id);
    expect(fs.existsSync(bundle)).toBe(true);
  });

  it('build pulls an image the engine lacks; offline that fails with the image named (and --no-pull does not try)', () => {
    const stack = writeStackDir(path.join(tmp.dir, 'missing'), [{ service: 'gone', ref: `${TEST_REPO}/never-built:1` }]);
    const args = ['--data-dir', dataDir, '--lang', 'en', 'bundle', 'build', '--stack', stack.dir, '--version', '1.0.0', '--key', path.join(keysDir, 'cli-signer.key'), '--out', path.join(tmp.dir, 'missing.medai-bundle')];
    const pulled = runBuiltCli(args);
    expect(pulled.code).toBe(5);
    expect(pulled.stderr).toContain(`[BUNDLE_BUILD_IMAGE_MISSING]: The image ${TEST_REPO}/never-built:1 is not in the local Docker engine`);
    expect(pulled.stderr).toContain('pulling failed');
    const offline = runBuiltCli([...args, '--no-pull']);
    expect(offline.code).toBe(5);
    expect(offline.stderr).not.toContain('pulling failed');
    expect(fs.existsSync(path.join(tmp.dir, 'missing.medai-bundle'))).toBe(false);
  });

  it('inspect shows version, signer, images and the release notes in the chosen language', () => {
    const zh = runBuiltCli(['--data-dir', dataDir, '--lang', 'zh-CN', 'bundle', 'inspect', bundle], trustEnv);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toContain('签名者: cli-signer');
    expect(zh.stdout).toContain(ref);
    expect(zh.stdout).toContain('测试版本');
    expect(zh.stdout).toContain('关系: 全新安装');
    const en = JSON.parse(runBuiltCli(['--data-dir', dataDir, '--json', 'bundle', 'inspect', bundle], trustEnv).stdout) as { manifest: { bundleVersion: string } };
    expect(en.manifest.bundleVersion).toBe('1.0.0');
  });

  it('the shipped trust folder is used by default: a bundle signed by a test key is refused as unknown', () => {
    const r = runBuiltCli(['--data-dir', dataDir, '--lang', 'en', 'bundle', 'verify', bundle], { MEDAI_TRUSTED_KEYS_DIR: '' });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('[BUNDLE_UNKNOWN_SIGNER]');
    expect(r.stderr).toContain('Nothing was changed');
  });

  it('verify passes; a tampered copy fails with the entry named and a non-zero exit', () => {
    const ok = runBuiltCli(['--data-dir', dataDir, '--lang', 'en', 'bundle', 'verify', bundle], trustEnv);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Verified: 1\.0\.0, 1 entries/);
    const bad = path.join(tmp.dir, 'bad.medai-bundle');
    flipByte(bundle, bad, 'images/cli.tar');
    const r = runBuiltCli(['--data-dir', dataDir, '--lang', 'en', 'bundle', 'import', bad], trustEnv);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('[BUNDLE_ENTRY_CORRUPT]');
    expect(r.stderr).toContain('images/cli.tar');
  });

  it('import loads the image with the manifest ID and list shows the bundle', () => {
    removeImages([id]);
    const r = runBuiltCli(['--data-dir', dataDir, '--lang', 'en', 'bundle', 'import', bundle], trustEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Loaded: ${ref}`);
    expect(idOf(ref)).toBe(id);
    const list = JSON.parse(runBuiltCli(['--data-dir', dataDir, '--json', 'bundle', 'list']).stdout) as { bundleVersion: string }[];
    expect(list.map((b) => b.bundleVersion)).toEqual(['1.0.0']);
  });
});
