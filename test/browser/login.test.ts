import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP } from '../../electron/core/contract';
import { openBrowser, screenshot, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

describe('login with a wrong token', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;

  beforeAll(async () => {
    ensureBuilt();
    server = await startConsole();
    browser = await openBrowser('zh-CN');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the localized UNAUTHORIZED error and stays on the login page', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('login-token').fill(`${server.token}x`);
    await page.getByTestId('login-submit').click();

    await page.getByTestId('api-error').waitFor();
    await expect(page.getByTestId('api-error-code').innerText()).resolves.toBe('UNAUTHORIZED');
    await expect(page.getByTestId('api-error-message').innerText()).resolves.toBe('未登录或登录令牌无效。');
    await expect(page.getByTestId('api-error-remedy').innerText()).resolves.toContain('console-token');
    await expect(page.getByTestId('login-page').isVisible()).resolves.toBe(true);
    expect(page.url()).not.toMatch(/dashboard/);
    await expect(page.getByTestId('page-title').count()).resolves.toBe(0);
    await screenshot(page, 'login-wrong-token-zh-CN.png');

    // The error value carries both languages: switching needs no second attempt.
    await page.getByTestId('language-en').click();
    await page.getByText('Not signed in, or the sign-in token is wrong.').waitFor();
    await expect(page.getByTestId('api-error-remedy').innerText()).resolves.toContain('Sign in with the token printed at first start');
    await expect(page.getByTestId('login-submit').innerText()).resolves.toBe('Sign in');

    // Still signed out: the API refuses this browser.
    const status = await page.evaluate(async (url) => (await fetch(url, { method: 'POST', body: '{}' })).status, `${HTTP.callPrefix}engine.status`);
    expect(status).toBe(401);
  });

  it('signs in once the right token is entered, and the language chosen on the login page is kept', async () => {
    const { page } = browser;
    await page.getByTestId('login-token').fill(server.token);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('engine-version').waitFor();
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('Overview');
    // Saved as the default for every face once signed in (settings.update).
    await page.reload();
    await page.getByTestId('engine-version').waitFor();
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('Overview');
  });
});
