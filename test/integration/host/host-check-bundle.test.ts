import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../../electron/core/bundle/keys';
import { systemClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/core';
import { connectDocker, dockerEndpointFromEnv } from '../../../electron/core/engine/docker-endpoint';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';
import { buildHostCli, HOST_CLI, runCheck, sh } from './host-cli';

const tmp = makeTempDir('host-bundle');
const REF = `medai-host-test/tiny-service:1.0.${process.pid}`;
const trustDir = path.join(tmp.dir, 'trust');
const bundlePath = path.join(tmp.dir, 'stack-1.0.0.medai-bundle');

/** A real signed bundle (the bundle capability's own build), over a tiny image of our own. */
beforeAll(async () => {
  buildHostCli();
  const root = path.join(tmp.dir, 'img');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(root, 'bin', 'busybox'));
  fs.symlinkSync('busybox', path.join(root, 'bin', 'sh'));
  sh('tar', ['-C', root, '-cf', path.join(tmp.dir, 'img.tar'), '.']);
  sh('docker', ['import', '-c', 'CMD ["/bin/sh"]', path.join(tmp.dir, 'img.tar'), REF]);

  const stack = path.join(tmp.dir, 'stack');
  fs.mkdirSync(path.join(stack, 'release-notes'), { recursive: true });
  fs.writeFileSync(
    path.join(stack, 'compose.yaml'),
    `name: medai\nservices:\n  medical-ai-service:\n    image: ${REF}\n    ports:\n      - "\${MEDAI_BIND_ADDRESS:?set at install}:\${MEDAI_HTTP_PORT:-18000}:8000"\n`,
  );
  fs.writeFileSync(path.join(stack, 'stack.json'), JSON.stringify({ stackVersion: '1.0.0', minUpgradeFrom: '1.0.0', models: [] }));
  fs.writeFileSync(path.join(stack, 'env.schema.json'), JSON.stringify([{ name: 'SECRET_KEY', description: { 'zh-CN': '密钥', en: 'secret key' }, secret: true, generate: 'hex32' }]));
  fs.writeFileSync(path.join(stack, 'release-notes', 'zh-CN.md'), '# 测试\n');
  fs.writeFileSync(path.join(stack, 'release-notes', 'en.md'), '# Test\n');

  const keys = generateSigningKey(path.join(tmp.dir, 'keys'), 'host-test');
  fs.mkdirSync(trustDir);
  fs.copyFileSync(keys.publicKeyPath, path.join(trustDir, 'host-test.pub'));
  const endpoint = dockerEndpointFromEnv();
  const db = openState(path.join(tmp.dir, 'builder'));
  const core = createCore({ dataDir: path.join(tmp.dir, 'builder'), db, docker: connectDocker(endpoint), dockerEndpoint: endpoint, clock: systemClock, bundle: { trustDir } });
  try {
    const started = await core.dispatch('bundle.build', { stackDir: stack, bundleVersion: '1.0.0', privateKeyPath: keys.privateKeyPath, outPath: bundlePath, compression: 'none' });
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    const last = await core.operations.waitFor((started.result as { operationId: string }).operationId);
    if (last.type !== 'done') throw new Error(`bundle build failed: ${JSON.stringify(last)}`);
  } finally {
    db.close();
  }
}, 300_000);

afterAll(() => {
  spawnSync('docker', ['rmi', '-f', REF]);
  tmp.cleanup();
});

describe('medai check --bundle FILE (before the bundle is imported)', () => {
  it('sizes the checks by the signed manifest: its images, their unpacked size, its published port', () => {
    const r = runCheck(path.join(tmp.dir, 'data'), ['--bundle', bundlePath, '--only', 'airgap.images,docker.ports,disk.docker-root-space'], { MEDAI_TRUSTED_KEYS_DIR: trustDir });
    const req = r.report.requirements;
    expect(req).toMatchObject({ source: 'bundle-file', bundleVersion: '1.0.0', ports: [18000], serviceImage: REF });
    const size = Number(sh('docker', ['image', 'inspect', '-f', '{{.Size}}', REF]));
    expect(req.images).toEqual([{ ref: REF, bytes: size }]);
    expect(req.imagesBytes).toBe(size);
    expect(r.check('airgap.images')).toMatchObject({ result: 'pass', measured: 1, measuredText: '1 / 1 present (bundle 1.0.0, file)' });
    expect(r.check('docker.ports').threshold?.en).toBe('ports 18000 not used by anything else');
  });

  it('refuses a bundle signed by an unknown key with the bundle error, before measuring anything', () => {
    fs.mkdirSync(path.join(tmp.dir, 'empty-trust'), { recursive: true });
    const r = spawnSync('node', [HOST_CLI, '--data-dir', path.join(tmp.dir, 'data'), '--lang', 'en', 'check', '--bundle', bundlePath], {
      encoding: 'utf8',
      env: { ...process.env, MEDAI_TRUSTED_KEYS_DIR: path.join(tmp.dir, 'empty-trust') },
    });
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('[BUNDLE_UNKNOWN_SIGNER]');
    expect(r.stdout).not.toContain('== ');
  });

  it('a missing bundle file is a clear error', () => {
    const r = spawnSync('node', [HOST_CLI, '--data-dir', path.join(tmp.dir, 'data'), '--lang', 'en', 'check', '--bundle', path.join(tmp.dir, 'nope.medai-bundle')], { encoding: 'utf8' });
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('[BUNDLE_NOT_FOUND]');
  });

  it('after the bundle is imported, a plain check reads its requirements from the manager state', async () => {
    const dataDir = path.join(tmp.dir, 'imported');
    const endpoint = dockerEndpointFromEnv();
    const db = openState(dataDir);
    const core = createCore({ dataDir, db, docker: connectDocker(endpoint), dockerEndpoint: endpoint, clock: systemClock, bundle: { trustDir } });
    try {
      const started = await core.dispatch('bundle.import', { path: bundlePath });
      if (!started.ok) throw new Error(JSON.stringify(started.error));
      const last = await core.operations.waitFor((started.result as { operationId: string }).operationId);
      expect(last.type, JSON.stringify(last)).toBe('done');
    } finally {
      db.close();
    }
    const r = runCheck(dataDir, ['--only', 'airgap.images']);
    expect(r.report.requirements).toMatchObject({ source: 'imported-bundle', bundleVersion: '1.0.0', ports: [18000], serviceImage: REF });
    expect(r.check('airgap.images')).toMatchObject({ result: 'pass', measuredText: '1 / 1 present (bundle 1.0.0)' });
  });
});
