import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

// The foundation's acceptance path: sign in to the real console, see the real engine,
// switch languages both ways, and keep the choice.
describe('dashboard on the real engine', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;
  const engineVersion = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();

  beforeAll(async () => {
    ensureBuilt();
    server = await startConsole();
    browser = await openBrowser('zh-CN');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in with the token and shows the engine version docker reports', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await expect(page.getByTestId('login-page').innerText()).resolves.toContain('登录管理控制台');
    await signIn(page, server.url, server.token);
    await page.waitForURL(/#\/dashboard$/);
    expect(engineVersion).toMatch(/^\d+\.\d+/);
    await expect(page.getByTestId('engine-version').innerText()).resolves.toBe(engineVersion);
    await expect(page.getByTestId('engine-socket').innerText()).resolves.toBe('/var/run/docker.sock');
    await expect(page.getByTestId('engine-containers').innerText()).resolves.toMatch(/^\d+ \/ \d+$/);
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('系统总览');
    await expect(page.getByTestId('engine-card').innerText()).resolves.toContain('引擎版本');
    await screenshot(page, 'dashboard-zh-CN.png');
  });

  it('switches to English and back to Chinese, and keeps the choice across a reload', async () => {
    const { page } = browser;
    await page.getByTestId('language-en').click();
    await page.getByText('Engine version').waitFor();
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('Overview');
    await expect(page.getByTestId('nav-support').innerText()).resolves.toBe('Support');
    await expect(page.getByTestId('engine-card').innerText()).resolves.not.toContain('引擎版本');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await screenshot(page, 'dashboard-en.png');

    // Saved through settings.update: a reload (browser locale still zh-CN) comes back in English.
    await page.reload();
    await page.getByText('Engine version').waitFor();
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('Overview');

    await page.getByTestId('language-zh-CN').click();
    await page.getByText('引擎版本').waitFor();
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('系统总览');
    await expect(page.getByTestId('nav-support').innerText()).resolves.toBe('技术支持');
    await expect(page.getByTestId('engine-card').innerText()).resolves.not.toContain('Engine version');
    await expect(page.getByTestId('engine-version').innerText()).resolves.toBe(engineVersion);
  });

  it('ran without script errors or CSP violations', () => {
    expect(browser.errors).toEqual([]);
  });

  it('opens the local manual in the chosen language from the Help menu', async () => {
    const { page, context } = browser;
    const popup = context.waitForEvent('page');
    await page.getByTestId('help-menu').hover();
    await page.getByTestId('help-zh-CN').click();
    const opened = await popup;
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toBe(`${server.url}/docs/zh-CN/README.md`);
    await opened.close();
  });

  it('signs out to the login page, and the session no longer opens the API', async () => {
    const { page } = browser;
    await page.getByTestId('logout').click();
    await page.getByTestId('login-page').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/call/engine.status', { method: 'POST', body: '{}' })).status);
    expect(status).toBe(401);
  });
});
