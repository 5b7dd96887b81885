import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTTP } from '../../electron/core/contract';
import { screenshot, signIn } from './support/browser';
import { ROOT } from './support/build';
import { useConsoleSession } from './support/session';

// The foundation's acceptance path: sign in to the real console, see the real engine,
// switch languages both ways, and keep the choice.
describe('dashboard on the real engine', () => {
  const engineVersion = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  const session = useConsoleSession();

  it('signs in with the token and shows the engine version docker reports', async () => {
    const { page } = session.browser;
    await page.goto(session.server.url);
    await expect(page.getByTestId('login-page').innerText()).resolves.toContain('登录管理控制台');
    await signIn(page, session.server.url, session.server.token);
    await page.waitForURL(/#\/dashboard$/);
    expect(engineVersion).toMatch(/^\d+\.\d+/);
    await expect(page.getByTestId('engine-version').innerText()).resolves.toBe(engineVersion);
    const socket = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : '/var/run/docker.sock';
    await expect(page.getByTestId('engine-socket').innerText()).resolves.toBe(socket);
    await expect(page.getByTestId('engine-containers').innerText()).resolves.toMatch(/^\d+ \/ \d+$/);
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('系统总览');
    await expect(page.getByTestId('engine-card').innerText()).resolves.toContain('引擎版本');
    await screenshot(page, 'dashboard-zh-CN.png');
  });

  it('switches to English and back to Chinese, and keeps the choice across a reload', async () => {
    const { page } = session.browser;
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

  it('reaches every page from the side navigation; capabilities not built yet say which one brings them', async () => {
    const { page } = session.browser;
    const routes = [...fs.readFileSync(path.join(ROOT, 'renderer/src/routes.tsx'), 'utf8').matchAll(/path: '\/([^']+)', ns: '([^']+)'/g)];
    expect(routes.length).toBeGreaterThanOrEqual(8);
    let placeholders = 0;
    for (const [, route, ns] of routes) {
      const catalogue = JSON.parse(fs.readFileSync(path.join(ROOT, `renderer/src/i18n/zh-CN/${ns}.json`), 'utf8')) as { title: string; placeholder?: string };
      await page.getByTestId(`nav-${ns}`).click();
      await page.waitForURL(new RegExp(`#/${route}$`));
      await page.getByTestId('page-title').filter({ hasText: catalogue.title }).waitFor();
      // Pages still waiting for their capability must say so honestly (others replace them over time).
      const folder = path.join(ROOT, 'renderer/src/pages', ns as string);
      const isPlaceholder = fs
        .readdirSync(folder)
        .filter((f) => f.endsWith('Page.tsx'))
        .some((f) => fs.readFileSync(path.join(folder, f), 'utf8').includes('<CapabilityPlaceholder'));
      if (isPlaceholder) {
        await expect(page.getByTestId(`placeholder-${ns}`).innerText()).resolves.toBe(`此功能尚未提供\n${catalogue.placeholder}`);
        if (placeholders++ === 0) await screenshot(page, 'placeholder-page-zh-CN.png');
      }
    }
    // Every capability page exists now; a page that goes back to a placeholder must still say which capability brings it.
    expect(placeholders).toBeLessThan(routes.length);
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('engine-version').waitFor();
  });

  it('ran without script errors or CSP violations', () => {
    expect(session.browser.errors).toEqual([]);
  });

  it('opens the local manual in the chosen language from the Help menu', async () => {
    const { page, context } = session.browser;
    const popup = context.waitForEvent('page');
    await page.getByTestId('help-menu').hover();
    await page.getByTestId('help-zh-CN').click();
    const opened = await popup;
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toBe(`${session.server.url}/docs/zh-CN/README.md`);
    await opened.close();
  });

  it('signs out to the login page, and the session no longer opens the API', async () => {
    const { page } = session.browser;
    await page.getByTestId('logout').click();
    await page.getByTestId('login-page').waitFor();
    const status = await page.evaluate(async (url) => (await fetch(url, { method: 'POST', body: '{}' })).status, `${HTTP.callPrefix}engine.status`);
    expect(status).toBe(401);
  });
});
