import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_UPLOAD_PATH } from '../../../electron/core/contract';
import { ensureBuiltCli, startConsoleProcess, type ConsoleProcess } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';
import { makeTinyImage, openTestCore, removeImages, resultOf, runOperation, TEST_REPO, writeStackDir, type TestCore } from './bundle-fixtures';

/** A raw POST to the console; `send` may stop early and cut the connection, as a closed browser tab does. */
function post(url: string, headers: Record<string, string>, body: Buffer, cutAfter?: number): Promise<{ status: number; json: unknown } | 'cut'> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', (e) => (cutAfter !== undefined ? resolve('cut') : reject(e)));
    if (cutAfter === undefined) return void req.end(body);
    req.write(body.subarray(0, cutAfter), () => setTimeout(() => (req.destroy(), resolve('cut')), 200));
  });
}

// The web console's streaming upload: signed-in only, written 0600 into the data dir,
// usable by bundle.inspect at once, and a cut-off upload leaves nothing behind.
describe('web console bundle upload', () => {
  const tmp = makeTempDir('bundle-upload');
  const ref = `${TEST_REPO}/upload:${randomBytes(4).toString('hex')}`;
  const bundle = path.join(tmp.dir, 'up.medai-bundle');
  let t: TestCore;
  let id: string;
  let console_: ConsoleProcess;
  const dataDir = path.join(tmp.dir, 'console-data');

  beforeAll(async () => {
    ensureBuiltCli();
    t = openTestCore();
    id = makeTinyImage(ref, 1024);
    const stack = writeStackDir(tmp.dir, [{ service: 'up', ref }]);
    resultOf((await runOperation(t.core, 'bundle.build', { stackDir: stack.dir, bundleVersion: '1.0.0', privateKeyPath: t.keyPath, outPath: bundle, compression: 'gzip' })).last);
    console_ = await startConsoleProcess(dataDir, [], { MEDAI_TRUSTED_KEYS_DIR: t.trustDir });
  });
  afterAll(async () => {
    await console_?.stop();
    removeImages([id]);
    t?.close();
    tmp.cleanup();
  });

  const uploads = () => (fs.existsSync(path.join(dataDir, 'uploads')) ? fs.readdirSync(path.join(dataDir, 'uploads')) : []);
  const auth = () => ({ Authorization: `Bearer ${console_.token!}`, 'Content-Type': 'application/octet-stream' });

  it('refuses an upload without sign-in and writes nothing', async () => {
    const r = await post(`${console_.url}${BUNDLE_UPLOAD_PATH}`, { 'Content-Type': 'application/octet-stream' }, fs.readFileSync(bundle));
    expect(r !== 'cut' && r.status).toBe(401);
    expect(uploads()).toEqual([]);
  });

  it('streams the file into the data dir (0600) and bundle.inspect reads it', async () => {
    const bytes = fs.readFileSync(bundle);
    const r = await post(`${console_.url}${BUNDLE_UPLOAD_PATH}`, auth(), bytes);
    if (r === 'cut') throw new Error('cut');
    const env = r.json as { ok: boolean; result: { path: string; size: number } };
    expect(env.ok).toBe(true);
    expect(env.result.size).toBe(bytes.length);
    expect(fs.readFileSync(env.result.path).equals(bytes)).toBe(true);
    expect(fs.statSync(env.result.path).mode & 0o777).toBe(0o600);
    const inspect = await post(`${console_.url}/api/call/bundle.inspect`, { ...auth(), 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify({ path: env.result.path })));
    expect(inspect !== 'cut' && (inspect.json as { ok: boolean; result: { manifest: { bundleVersion: string } } }).result.manifest.bundleVersion).toBe('1.0.0');
  });

  it('a cut-off upload leaves no partial file behind', async () => {
    const bytes = fs.readFileSync(bundle);
    expect(await post(`${console_.url}${BUNDLE_UPLOAD_PATH}`, auth(), bytes, Math.floor(bytes.length / 2))).toBe('cut');
    for (let i = 0; i < 20 && uploads().some((f) => f.endsWith('.partial')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(uploads()).toEqual([]);
  });
});
