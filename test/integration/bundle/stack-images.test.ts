import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { BundleBuildResult, BundleImportResult } from '../../../electron/core/contract';
import { REPO_ROOT } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';
import { idOf, openTestCore, removeImages, resultOf, runOperation, sh, TEST_REPO, type TestCore } from './bundle-fixtures';

// The offline test images (test/images: Debian packages on the debootstrap base) bundled
// exactly as production does: the product's stack definition, gzip, signed, verified and
// imported. Redis and etcd are the subset (the smallest two): each gets a label of its own
// so its image ID is new to the engine and the import really loads it.
describe('stack images from test/images through a bundle', () => {
  const tmp = makeTempDir('bundle-stack');
  const tag = randomBytes(4).toString('hex');
  const services = [
    { service: 'redis', base: 'medai-test/redis:7', ref: `${TEST_REPO}/redis:7-${tag}` },
    { service: 'etcd', base: 'medai-test/etcd:3.4', ref: `${TEST_REPO}/etcd:3.4-${tag}` },
  ];
  let t: TestCore;
  const ids = new Map<string, string>();
  const bundlePath = path.join(tmp.dir, 'stack.medai-bundle');
  const stackDir = path.join(tmp.dir, 'stack');

  beforeAll(() => {
    sh('bash', [path.join(REPO_ROOT, 'test/images/build.sh'), 'redis', 'etcd']);
    for (const s of services) {
      fs.writeFileSync(path.join(tmp.dir, 'Dockerfile'), `FROM ${s.base}\nLABEL medai.bundle-test=${tag}\n`);
      sh('docker', ['build', '-q', '-t', s.ref, tmp.dir]);
      ids.set(s.service, idOf(s.ref)!);
    }
    // The product's own stack definition, narrowed to the two services under test.
    fs.cpSync(path.join(REPO_ROOT, 'bundles/medical-ai-stack'), stackDir, { recursive: true });
    const compose = fs.readFileSync(path.join(stackDir, 'compose.yaml'), 'utf8');
    const doc = parseDocument(compose);
    for (const name of ['medical-ai-service', 'postgres', 'milvus']) doc.deleteIn(['services', name]);
    for (const s of services) doc.setIn(['services', s.service, 'image'], s.ref);
    fs.writeFileSync(path.join(stackDir, 'compose.yaml'), doc.toString());
    fs.writeFileSync(path.join(stackDir, 'stack.json'), JSON.stringify({ stackVersion: '0.1.0', minUpgradeFrom: '0.1.0', models: [] }));
    t = openTestCore();
  });
  afterAll(() => {
    removeImages(ids.values());
    t?.close();
    tmp.cleanup();
  });

  it('builds, verifies and imports; the images come back with the manifest IDs', async () => {
    const built = resultOf<BundleBuildResult>(
      (await runOperation(t.core, 'bundle.build', { stackDir, bundleVersion: '0.1.0', privateKeyPath: t.keyPath, outPath: bundlePath, compression: 'gzip' })).last,
    );
    expect(built.images.map((i) => [i.service, i.id])).toEqual(services.map((s) => [s.service, ids.get(s.service)]));
    // gzip really shrinks a Debian userland.
    for (const i of built.images) expect(i.size).toBeLessThan(i.unpackedSize);

    resultOf((await runOperation(t.core, 'bundle.verify', { path: bundlePath })).last);
    removeImages(ids.values());
    for (const s of services) expect(idOf(s.ref)).toBeNull();

    const imported = resultOf<BundleImportResult>((await runOperation(t.core, 'bundle.import', { path: bundlePath })).last);
    expect(imported.loaded.map((l) => l.id)).toEqual(services.map((s) => ids.get(s.service)));
    for (const s of services) expect(idOf(s.ref)).toBe(ids.get(s.service));
    // The stack runs from what was imported: redis answers its own healthcheck command.
    const name = `medai-bundle-test-redis-${tag}`;
    try {
      sh('docker', ['run', '-d', '--name', name, '-e', 'REDIS_PASSWORD=test-only-password', services[0]!.ref]);
      let pong = '';
      for (let i = 0; i < 30 && pong !== 'PONG'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        try {
          pong = sh('docker', ['exec', '-e', 'REDISCLI_AUTH=test-only-password', name, 'redis-cli', 'ping']);
        } catch {
          pong = '';
        }
      }
      expect(pong).toBe('PONG');
    } finally {
      sh('docker', ['rm', '-f', name]);
    }
  });
});
