import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC, type OperationEvent } from '../../electron/core/contract';
import type { Core } from '../../electron/core/core';
import { openCore } from '../../electron/core/open-core';
import { buildIpcHandlers } from '../../electron/shell/ipc-table';
import { CHROMIUM, screenshot } from './support/browser';
import { ensureBuilt, ROOT } from './support/build';

/**
 * The Electron face without the Electron binary (it cannot be downloaded here): the same
 * build loaded from file://, with window.medai shaped exactly like electron/preload.ts and
 * wired to main's real IPC handler table over a real core. What this does not cover is
 * Electron itself (contextBridge, ipcRenderer), which the preload's own tests do.
 */
describe('renderer in the Electron face (file://, preload bridge)', () => {
  const pageUrl = pathToFileURL(path.join(ROOT, 'dist/renderer/index.html')).toString();
  let core: Core;
  let dataDir: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const PICKED = path.join(os.tmpdir(), `medai-picked-${process.pid}.medai-bundle`);

  beforeAll(async () => {
    ensureBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-electron-face-'));
    core = openCore({ dataDir });
    // The native dialog answers with a file chosen "by the user": one that is not a bundle, so the step must say so.
    const handlers = buildIpcHandlers(core, (url) => url === pageUrl || url.startsWith(`${pageUrl}#`), { pickBundleFile: async () => PICKED });

    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
      // Electron lets a file:// page load its own module scripts; plain Chromium needs this flag.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--allow-file-access-from-files'],
    });
    page = context.pages()[0] ?? (await context.newPage());

    // main's side: ipcMain.handle(channel, handler) with the calling frame's URL, events sent back to that page.
    await page.exposeBinding('__medaiInvoke', async (source, channel: string, payload: unknown) => {
      const handler = handlers[channel];
      if (!handler) return { ok: false, error: { code: 'UNKNOWN_METHOD' } };
      return handler(
        {
          senderFrame: { url: source.frame.url() },
          sender: {
            id: 1,
            send: (ch: string, event: OperationEvent) => void source.page.evaluate(([c, e]) => (window as unknown as { __medaiEvent(c: string, e: unknown): void }).__medaiEvent(c, e), [ch, event] as const),
            once: () => undefined,
          },
        },
        payload,
      );
    });
    // The preload's side, line for line as electron/preload.ts builds its bridge.
    await page.addInitScript((ipc) => {
      type Listener = (channel: string, event: { operationId: string }) => void;
      const w = window as unknown as { __medaiInvoke(c: string, p: unknown): Promise<unknown>; __medaiEvent: Listener; medai: unknown };
      const listeners = new Set<Listener>();
      w.__medaiEvent = (channel, event) => listeners.forEach((l) => l(channel, event));
      w.medai = {
        call: (method: string, params: unknown) => w.__medaiInvoke(ipc.call, { method, params }),
        attach(operationId: string, onEvent: (e: unknown) => void) {
          const listener: Listener = (channel, event) => {
            if (channel === ipc.event && event.operationId === operationId) onEvent(event);
          };
          listeners.add(listener);
          void w.__medaiInvoke(ipc.attach, operationId);
          return () => {
            listeners.delete(listener);
            void w.__medaiInvoke(ipc.detach, operationId);
          };
        },
        async pickBundleFile() {
          const answer = (await w.__medaiInvoke(ipc.pickBundleFile, undefined)) as { ok: boolean; result?: string | null };
          return answer.ok ? (answer.result ?? null) : null;
        },
      };
    }, IPC);
  });

  afterAll(async () => {
    await context?.close();
    core?.deps.db.close();
    for (const dir of [profile, dataDir, PICKED]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens on the Dashboard without a login and shows the engine docker reports', async () => {
    await page.goto(pageUrl);
    await page.getByTestId('engine-version').waitFor();
    const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
    await expect(page.getByTestId('engine-version').innerText()).resolves.toBe(version);
    expect(page.url()).toBe(`${pageUrl}#/dashboard`);
    await expect(page.getByTestId('login-page').count()).resolves.toBe(0);
    await expect(page.getByTestId('logout').count()).resolves.toBe(0);
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('Overview'); // en-US desktop
    await screenshot(page, 'electron-dashboard-en.png');
  });

  it('runs and follows an operation over the bridge', async () => {
    await page.getByTestId('nav-support').click();
    await page.getByTestId('selftest-steps').fill('3');
    await page.getByTestId('selftest-step-ms').fill('100');
    await page.getByTestId('selftest-run').click();
    await page.getByTestId('progress-succeeded').waitFor();
    await expect(page.getByTestId('progress-step-count').innerText()).resolves.toBe('Step 3 of 3');
    const lines = (await page.getByTestId('progress-log').innerText()).split('\n').filter(Boolean);
    expect(lines).toEqual(['self-test step 1 of 3', 'self-test step 2 of 3', 'self-test step 3 of 3']);
  });

  it('saves the language through settings.update for every face', async () => {
    await page.getByTestId('language-zh-CN').click();
    await page.getByText('技术支持与诊断').waitFor();
    await expect(core.dispatch('settings.get', {})).resolves.toEqual({ ok: true, result: { language: 'zh-CN' } });
  });

  it('chooses the bundle with the native file dialog and reads the chosen file', async () => {
    fs.writeFileSync(PICKED, 'not a bundle');
    await page.getByTestId('nav-install').click();
    await page.getByTestId('bundle-browse').click();
    // The dialog answers over IPC after the click: wait for the field to take the path.
    await expect.poll(() => page.getByTestId('bundle-path').inputValue(), { timeout: 10_000 }).toBe(PICKED);
    await page.getByTestId('bundle-nothing-changed').waitFor();
    await expect(page.getByTestId('api-error-code').first().innerText()).resolves.toMatch(/^BUNDLE_/);
  });

  it('opens the local manual as a file: URL next to dist/', async () => {
    const popup = context.waitForEvent('page');
    await page.getByTestId('help-menu').hover();
    await page.getByTestId('help-en').click();
    const opened = await popup;
    expect(opened.url()).toBe(pathToFileURL(path.join(ROOT, 'docs/en/README.md')).toString());
    await opened.close();
  });
});
