import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser';
import { useConsoleSession } from './support/session';

const SOCKET = '/tmp/medai-no-engine.sock';

describe('dashboard when the Docker engine socket does not exist', () => {
  const session = useConsoleSession({
    env: () => {
      fs.rmSync(SOCKET, { force: true });
      return { DOCKER_HOST: `unix://${SOCKET}` };
    },
  });

  it('shows ENGINE_SOCKET_MISSING with the socket path and the remedy, in Chinese and in English', async () => {
    const { page } = session.browser;
    await signIn(page, session.server.url, session.server.token);
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
