import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';
import { flipByte, idOf, makeTinyImage, openTestCore, imagesInScope, removeImages, resultOf, rewriteBundle, runOperation, TEST_REPO, writeStackDir, type TestCore } from '../integration/bundle/bundle-fixtures';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

// The Install wizard's bundle step in the web console, on the real engine: a good bundle
// goes through read → verify → import with per-image progress; a tampered one and an
// edited one are refused in plain words, saying nothing was changed, and change nothing.
describe('Install wizard: offline bundle step', () => {
  const tmp = makeTempDir('bundle-browser');
  const suffix = randomBytes(4).toString('hex');
  const refs = [`${TEST_REPO}/web-a:${suffix}`, `${TEST_REPO}/web-b:${suffix}`];
  const good = path.join(tmp.dir, 'good.medai-bundle');
  const tampered = path.join(tmp.dir, 'tampered.medai-bundle');
  const edited = path.join(tmp.dir, 'edited.medai-bundle');
  let ids: string[] = [];
  let t: TestCore;
  let server: StartedConsole;
  let browser: OpenBrowser;

  beforeAll(async () => {
    ensureBuilt();
    t = openTestCore();
    ids = refs.map((r) => makeTinyImage(r, 2048));
    const stack = writeStackDir(tmp.dir, [
      { service: 'web-a', ref: refs[0]! },
      { service: 'web-b', ref: refs[1]! },
    ], [{ name: 'encoder/model.onnx', bytes: randomBytes(128 * 1024) }]);
    resultOf((await runOperation(t.core, 'bundle.build', { stackDir: stack.dir, modelsDir: stack.modelsDir, bundleVersion: '1.0.0', privateKeyPath: t.keyPath, outPath: good, compression: 'gzip' })).last);
    flipByte(good, tampered, 'images/web-b.tar.gz');
    await rewriteBundle(good, edited, { manifest: (m) => Buffer.from(JSON.stringify({ ...m, bundleVersion: '9.9.9' }, null, 2)) });
    removeImages(ids);
    server = await startConsole({ MEDAI_TRUSTED_KEYS_DIR: t.trustDir });
    browser = await openBrowser('zh-CN');
    await signIn(browser.page, server.url, server.token);
    await browser.page.getByTestId('nav-install').click();
    await browser.page.getByTestId('bundle-step').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    removeImages(ids);
    t?.close();
    tmp.cleanup();
  });

  const read = async (file: string) => {
    const { page } = browser;
    await page.getByTestId('bundle-path').fill(file);
    await page.getByTestId('bundle-inspect').click();
  };

  it('a manifest edited after signing is refused when read, in plain words, saying nothing was changed', async () => {
    const { page } = browser;
    const before = await imagesInScope(suffix, ids);
    await read(edited);
    await page.getByTestId('api-error').waitFor();
    await expect(page.getByTestId('api-error-code').innerText()).resolves.toBe('BUNDLE_SIGNATURE_INVALID');
    await expect(page.getByTestId('api-error-message').innerText()).resolves.toContain('清单在签名后被修改过');
    await expect(page.getByTestId('bundle-nothing-changed').innerText()).resolves.toContain('未做任何更改');
    expect(await page.getByTestId('bundle-manifest').count()).toBe(0);
    expect(await imagesInScope(suffix, ids)).toEqual(before);
  });

  it('a flipped byte in an image: the manifest reads fine, verification fails and nothing changes', async () => {
    const { page } = browser;
    const before = await imagesInScope(suffix, ids);
    await read(tampered);
    await page.getByTestId('bundle-manifest').waitFor();
    await page.getByTestId('bundle-verify').click();
    await page.locator('[data-testid="bundle-step"][data-phase="verifyFailed"]').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('api-error-code').innerText()).resolves.toBe('BUNDLE_ENTRY_CORRUPT');
    await expect(page.getByTestId('api-error-message').innerText()).resolves.toContain('images/web-b.tar.gz');
    await expect(page.getByTestId('bundle-verify-nothing-changed').innerText()).resolves.toContain('未做任何更改');
    expect(await page.getByTestId('bundle-import').count()).toBe(0);
    expect(await imagesInScope(suffix, ids)).toEqual(before);
    await screenshot(page, 'bundle-tampered-zh-CN.png');
  });

  it('uploads a bundle from this computer (streamed to the server) and reads its manifest', async () => {
    const { page } = browser;
    await page.getByTestId('bundle-upload-input').setInputFiles(good);
    await page.getByTestId('bundle-manifest').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('bundle-version').innerText()).resolves.toBe('1.0.0');
    await expect(page.getByTestId('bundle-path').inputValue()).resolves.toMatch(/\/uploads\/upload-[0-9a-f]+\.medai-bundle$/);
  });

  it('a good bundle: manifest in Chinese, verify with progress, import with per-image progress, images present with the manifest IDs', async () => {
    const { page } = browser;
    await read(good);
    await page.getByTestId('bundle-manifest').waitFor();
    await expect(page.getByTestId('bundle-version').innerText()).resolves.toBe('1.0.0');
    await expect(page.getByTestId('bundle-relation').innerText()).resolves.toBe('全新安装');
    await expect(page.getByTestId('bundle-signer').innerText()).resolves.toBe('test-signer');
    await expect(page.getByTestId('bundle-release-notes').innerText()).resolves.toContain('测试版本');
    await expect(page.getByTestId('bundle-images').innerText()).resolves.toContain(refs[1]!);
    await page.getByTestId('bundle-verify').click();
    await page.getByTestId('bundle-verified').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('progress-bytes').innerText()).resolves.toMatch(/\//);
    await page.getByTestId('bundle-import').click();
    await page.getByTestId('bundle-imported').waitFor({ timeout: 60_000 });
    for (const service of ['web-a', 'web-b']) await expect(page.getByTestId(`bundle-image-${service}`).getAttribute('data-state')).resolves.toBe('done');
    await expect(page.getByTestId('bundle-imported').innerText()).resolves.toContain('载入 2 个镜像');
    expect(refs.map(idOf)).toEqual(ids);
    await page.getByTestId('install-next').waitFor();
    await screenshot(page, 'bundle-imported-zh-CN.png');
    expect(browser.errors).toEqual([]);
  });

  it('the Upgrade page starts with the same bundle step and reads the bundle there too', async () => {
    const { page } = browser;
    await page.getByTestId('nav-upgrade').click();
    const step = page.getByTestId('upgrade-bundle-step').getByTestId('bundle-step');
    await step.waitFor();
    await step.getByTestId('bundle-path').fill(good);
    await step.getByTestId('bundle-inspect').click();
    await step.getByTestId('bundle-manifest').waitFor();
    await expect(step.getByTestId('bundle-version').innerText()).resolves.toBe('1.0.0');
    expect(browser.errors).toEqual([]);
  });
});
