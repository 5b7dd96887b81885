import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

const SOCKET = '/tmp/medai-no-engine.sock';

describe('dashboard when the Docker engine socket does not exist', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;

  beforeAll(async () => {
    ensureBuilt();
    fs.rmSync(SOCKET, { force: true });
    server = await startConsole({ DOCKER_HOST: `unix://${SOCKET}` });
    browser = await openBrowser('zh-CN');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows ENGINE_SOCKET_MISSING with the socket path and the remedy, in Chinese and in English', async () => {
    const { page } = browser;
    await signIn(page, server.url, server.token);
    // Other Dashboard panels (the stack's) report the same unreachable engine; this test reads the engine card.
    const card = page.getByTestId('engine-card');
    await card.getByTestId('api-error').waitFor();
    await expect(card.getByTestId('api-error-code').innerText()).resolves.toBe('ENGINE_SOCKET_MISSING');
    await expect(card.getByTestId('api-error-message').innerText()).resolves.toBe(`找不到 Docker 引擎套接字 ${SOCKET}。`);
    await expect(card.getByTestId('api-error-remedy').innerText()).resolves.toContain('apt-get install -y docker.io');
    await expect(card.getByTestId('api-error-remedy').innerText()).resolves.toContain('启动 Docker');
    await expect(page.getByTestId('engine-version').count()).resolves.toBe(0);
    await screenshot(page, 'dashboard-engine-missing-zh-CN.png');

    await page.getByTestId('language-en').click();
    await card.getByText(`The Docker engine socket ${SOCKET} does not exist.`).waitFor();
    await expect(card.getByTestId('api-error-code').innerText()).resolves.toBe('ENGINE_SOCKET_MISSING');
    await expect(card.getByTestId('api-error-remedy').innerText()).resolves.toContain('Install and start Docker');
    await screenshot(page, 'dashboard-engine-missing-en.png');

    // Refresh asks again and still reports the same, rather than a stale success.
    await page.getByTestId('dashboard-refresh').click();
    await card.getByTestId('api-error').waitFor();
    await expect(card.getByTestId('api-error-message').innerText()).resolves.toBe(`The Docker engine socket ${SOCKET} does not exist.`);
  });
});
