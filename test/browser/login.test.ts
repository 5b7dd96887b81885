import { describe, expect, it } from 'vitest';
import { HTTP } from '../../electron/core/contract';
import { screenshot } from './support/browser';
import { useConsoleSession } from './support/session';

describe('login with a wrong token', () => {
  const session = useConsoleSession();

  it('shows the localized UNAUTHORIZED error and stays on the login page', async () => {
    const { page } = session.browser;
    await page.goto(session.server.url);
    await page.getByTestId('login-token').fill(`${session.server.token}x`);
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
    const { page } = session.browser;
    await page.getByTestId('login-token').fill(session.server.token);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('engine-version').waitFor();
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('Overview');
    // Saved as the default for every face once signed in (settings.update).
    await page.reload();
    await page.getByTestId('engine-version').waitFor();
    await expect(page.getByTestId('page-title').innerText()).resolves.toBe('Overview');
  });
});
