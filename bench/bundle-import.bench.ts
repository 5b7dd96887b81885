import Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { systemClock } from '../electron/core/clock';
import { generateSigningKey } from '../electron/core/bundle/keys';
import type { OperationEvent } from '../electron/core/contract';
import { createCore } from '../electron/core/core';
import { dockerEndpointFromEnv } from '../electron/core/engine/docker-endpoint';
import { openState } from '../electron/core/state/open-state';
import { interleave, timeCommand, type Benchmark } from './bench-kit';

// Importing a bundle (signature, then sha256 of every byte while it streams into the
// engine's image load) against plain `docker load` of the same tarballs, and against the
// two-pass way (`sha256sum`, then `docker load`). Two images of 256 MiB of random bytes
// each (incompressible, so the tarballs are stored uncompressed), ≥ 500 MB in all.
const REPO = 'medai-bundle-bench';
const IMAGE_MIB = Number(process.env.MEDAI_BENCH_IMAGE_MIB ?? 256);
const ROUNDS = Number(process.env.MEDAI_BENCH_ROUNDS ?? 5);

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function makeRandomImage(dir: string, ref: string): string {
  const root = path.join(dir, 'rootfs');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(root, 'bin', 'busybox'));
  const fd = fs.openSync(path.join(root, 'payload.bin'), 'w');
  for (let i = 0; i < IMAGE_MIB; i++) fs.writeSync(fd, randomBytes(1024 * 1024));
  fs.closeSync(fd);
  sh('sh', ['-c', `tar -C '${root}' -c . | docker import - '${ref}'`]);
  fs.rmSync(root, { recursive: true, force: true });
  return sh('docker', ['image', 'inspect', '-f', '{{.Id}}', ref]);
}

/** Copies each image entry of the bundle out as its own file: byte for byte what the import streams. */
async function extractImages(bundle: string, outDir: string): Promise<string[]> {
  const files: string[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      if (!h.name.startsWith('images/')) {
        stream.resume();
        stream.on('end', next);
        return;
      }
      const file = path.join(outDir, path.basename(h.name));
      files.push(file);
      const out = fs.createWriteStream(file);
      (stream as unknown as NodeJS.ReadableStream).pipe(out);
      out.on('close', next);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  fs.createReadStream(bundle).pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return files;
}

export const bundleImportBench: Benchmark = {
  name: 'bundle-import',
  description: `medai bundle import (verify while loading) vs docker load vs sha256sum + docker load, ${2 * IMAGE_MIB} MiB of images`,
  async run() {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-bench-bundle-'));
    const refs = [`${REPO}/a:1`, `${REPO}/b:1`];
    const ids: string[] = [];
    const endpoint = dockerEndpointFromEnv();
    const db = openState(path.join(work, 'data'));
    try {
      for (const ref of refs) ids.push(makeRandomImage(work, ref));
      const keys = generateSigningKey(path.join(work, 'keys'), 'bench');
      fs.mkdirSync(path.join(work, 'trust'));
      fs.copyFileSync(keys.publicKeyPath, path.join(work, 'trust', 'bench.pub'));
      const stack = path.join(work, 'stack');
      fs.mkdirSync(path.join(stack, 'release-notes'), { recursive: true });
      fs.writeFileSync(path.join(stack, 'compose.yaml'), `services:\n  a:\n    image: ${refs[0]}\n  b:\n    image: ${refs[1]}\n`);
      fs.writeFileSync(path.join(stack, 'stack.json'), JSON.stringify({ stackVersion: '1.0.0', minUpgradeFrom: '1.0.0', models: [] }));
      fs.writeFileSync(path.join(stack, 'env.schema.json'), JSON.stringify([{ name: 'X', description: { 'zh-CN': '无', en: 'none' }, secret: false, default: '1' }]));
      fs.writeFileSync(path.join(stack, 'release-notes', 'zh-CN.md'), '基准');
      fs.writeFileSync(path.join(stack, 'release-notes', 'en.md'), 'bench');

      const core = createCore({
        dataDir: path.join(work, 'data'),
        db,
        docker: new Docker({ socketPath: endpoint.socketPath }),
        dockerEndpoint: endpoint,
        clock: systemClock,
        bundle: { trustDir: path.join(work, 'trust') },
      });
      const operate = async (method: 'bundle.build' | 'bundle.import', params: unknown): Promise<OperationEvent> => {
        const r = await core.dispatch(method, params);
        if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.detail ?? ''}`);
        const last = await core.operations.waitFor((r.result as { operationId: string }).operationId);
        if (last.type === 'failed') throw new Error(`${method}: ${last.error.code} ${last.error.detail ?? ''}`);
        return last;
      };
      const bundle = path.join(work, 'bench.medai-bundle');
      await operate('bundle.build', { stackDir: stack, bundleVersion: '1.0.0', privateKeyPath: keys.privateKeyPath, outPath: bundle, compression: 'none' });
      const tarballs = await extractImages(bundle, work);
      const removeLoaded = () => spawnSync('docker', ['rmi', '-f', ...ids], { stdio: 'ignore' });

      // Every candidate starts from an engine without the images, so each one really loads.
      const timed = async (fn: () => Promise<void> | void): Promise<number> => {
        removeLoaded();
        const t0 = process.hrtime.bigint();
        await fn();
        return Number(process.hrtime.bigint() - t0) / 1e9;
      };
      const series = await interleave(ROUNDS, {
        'medai bundle import (verify + load, one pass)': () => timed(async () => void (await operate('bundle.import', { path: bundle, force: true }))),
        'docker load (no verification)': () => timed(() => void tarballs.forEach((f) => timeCommand('docker', ['load', '-q', '-i', f]))),
        'sha256sum, then docker load': () => timed(() => void [timeCommand('sha256sum', tarballs), ...tarballs.map((f) => timeCommand('docker', ['load', '-q', '-i', f]))]),
      });
      return {
        baseline: 'docker load (no verification)',
        series,
        notes: {
          'bundle size (MB)': (fs.statSync(bundle).size / 1e6).toFixed(0),
          'image tarballs (MB)': (tarballs.reduce((a, f) => a + fs.statSync(f).size, 0) / 1e6).toFixed(0),
          'docker engine': sh('docker', ['version', '--format', '{{.Server.Version}}']),
        },
      };
    } finally {
      spawnSync('docker', ['rmi', '-f', ...ids], { stdio: 'ignore' });
      db.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};
