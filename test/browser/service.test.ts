import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../integration/stack/app-stack';
import { createDatabase, dropDatabase, peers, removeContainers, runServiceContainer, serviceImage, waitReady } from '../integration/service/support';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

// The inference service in the real web console: a real medical-ai-service container on
// real PostgreSQL, Redis and Milvus peers. The Dashboard panel reads its /ready and
// /metrics through the core; the API keys page creates and revokes keys through the
// container's own CLI, and the keys are tried against the service's HTTP API. The request
// figures are read with a key the manager creates for itself at one click: nobody pastes one.
const NAME = `medai-service-ui-${randomBytes(3).toString('hex')}`;

describe('inference service panel and API keys page', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;
  let env: Record<string, string>;
  let database = '';
  let serviceUrl = '';
  let query = '';
  let key = '';
  let keyId = '';

  const embed = (apiKey: string, text: string) =>
    fetch(`${serviceUrl}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: [text] }),
    });
  let tag = '';
  /** A service container on the host network and a free port, on this test's database. */
  const runService = async (name: string, overrides: Record<string, string> = {}): Promise<string> => {
    const port = await freePort();
    runServiceContainer({ name, tag, peers: env, database, port, overrides });
    const url = `http://127.0.0.1:${port}`;
    // The port opens once the model is loaded; until then there is nothing to ask.
    for (let until = Date.now() + 120_000; (await fetch(`${url}/health`).then((r) => r.status, () => 0)) !== 200; ) {
      if (Date.now() > until) throw new Error(`the service container ${name} did not open ${url} in 120 s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    return url;
  };
  const panel = () => browser.page.getByTestId('service-panel');
  /** The manager's own metrics key, as the console keeps it in its data directory. */
  const managedKeyFile = () => join(server.dataDir, 'service', 'metrics-keys', `${NAME}.json`);
  const managedKey = () => JSON.parse(readFileSync(managedKeyFile(), 'utf8')) as { id: string; key: string };
  const metricsStatus = (apiKey: string) => fetch(`${serviceUrl}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => r.status);
  const figure = async (testId: string) => (await panel().getByTestId(testId).innerText()).trim();

  beforeAll(async () => {
    ensureBuilt();
    env = peers();
    tag = serviceImage();
    database = await createDatabase(env.DATABASE_URL!, 'medai_t_ui');
    serviceUrl = await runService(NAME);
    query = `?serviceUrl=${encodeURIComponent(serviceUrl)}&serviceContainer=${NAME}`;
    // The stack migrates at install; a bare container is migrated here the same way (its own CLI).
    for (let i = 0; ; i++) {
      try {
        execFileSync('docker', ['exec', NAME, 'node', '/app/dist/cli.js', 'migrate'], { stdio: 'ignore' });
        break;
      } catch (e) {
        if (i >= 30) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    expect((await waitReady({ url: serviceUrl }, 120_000)).status).toBe(200);
    server = await startConsole();
    browser = await openBrowser('zh-CN');
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await signIn(browser.page, server.url, server.token);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    removeContainers(NAME, `${NAME}-badredis`);
    if (database) await dropDatabase(env.DATABASE_URL!, database);
  });

  it('shows the running service ready, every dependency green, the model and the provider it reports (zh-CN)', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/dashboard${query}`);
    await page.locator('[data-testid="service-panel"][data-state="ready"]').waitFor({ timeout: 60_000 });
    const truth = (await (await fetch(`${serviceUrl}/ready`)).json()) as { checks: { model: { name: string; dimension: number; provider: string } } };
    for (const dep of ['postgres', 'redis', 'milvus', 'model']) {
      await expect(panel().getByTestId(`service-dep-${dep}`).getAttribute('data-ok')).resolves.toBe('true');
      await expect(panel().getByTestId(`service-dep-${dep}`).innerText()).resolves.toContain('正常');
    }
    await expect(panel().getByTestId('service-dep-postgres').innerText()).resolves.toContain('PostgreSQL');
    await expect(figure('service-ready')).resolves.toBe('就绪');
    await expect(figure('service-provider')).resolves.toBe(truth.checks.model.provider);
    expect(truth.checks.model.provider).toBe('cpu');
    await expect(figure('service-model')).resolves.toBe(`${truth.checks.model.name}（${truth.checks.model.dimension} 维）`);
    await expect(figure('service-url')).resolves.toBe(serviceUrl);
    // Before the manager holds a key the request figures say what they need instead of showing zeros, with no key field to paste into.
    await expect(panel().getByTestId('service-metrics-need-key').innerText()).resolves.toContain('管理程序可以为自己创建一个密钥');
    await expect(panel().getByTestId('service-metrics-enable').innerText()).resolves.toContain('让管理程序读取指标');
    await expect(panel().locator('input').count()).resolves.toBe(0);
    await expect(panel().getByTestId('service-metrics').count()).resolves.toBe(0);
    expect(existsSync(managedKeyFile())).toBe(false);
    await screenshot(page, 'service-dashboard-zh-CN.png');
  });

  it('creates a key by name, shows it once with a working copy button, and the key opens the API (en)', async () => {
    const { page } = browser;
    await page.getByTestId('language-en').click();
    await panel().getByText('Inference service').first().waitFor();
    await page.goto(`${server.url}/#/service-keys${query}`);
    // A hash route: the previous page's title can still be there for a moment.
    await expect.poll(() => page.getByTestId('page-title').innerText(), { timeout: 10_000 }).toBe('Inference service API keys');
    await expect(page.getByTestId('service-keys-container').innerText()).resolves.toContain(NAME);

    // No name: the form says so and nothing is created.
    await page.getByTestId('service-key-create').click();
    await page.getByText('Give the key a name of up to 100 characters.').waitFor();
    await expect(page.getByTestId('service-key-created').count()).resolves.toBe(0);

    await page.getByTestId('service-key-name').fill('browser-ui');
    await page.getByTestId('service-key-create').click();
    const shown = page.getByTestId('service-key-value');
    await shown.waitFor({ timeout: 30_000 });
    key = (await shown.innerText()).trim();
    expect(key).toMatch(/^mk_[0-9a-f]{16}_/);
    keyId = key.slice(3, 19);
    await expect(page.getByTestId('service-key-once').innerText()).resolves.toContain('cannot be shown again');
    await page.getByTestId('service-key-created').locator('.ant-typography-copy').click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(key);
    await screenshot(page, 'service-key-created-en.png');
    await page.getByTestId('service-key-created-close').click();
    await page.getByTestId('service-key-value').waitFor({ state: 'detached' });

    // The list shows the key as active, never the key itself.
    const row = page.getByTestId(`service-key-${keyId}`);
    await row.waitFor();
    await expect(row.getAttribute('data-revoked')).resolves.toBe('false');
    await expect(row.innerText()).resolves.toContain('browser-ui');
    await expect(page.getByTestId('service-keys').innerText()).resolves.not.toContain(key);

    const res = await embed(key, 'browser ui key check');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: Array<{ embedding: number[] }> }).data[0]!.embedding).toHaveLength(384);
  });

  it('one click lets the manager read rate and latency from /metrics, and they move with real embedding requests', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/dashboard${query}`);
    await expect(panel().getByTestId('service-metrics-enable').innerText()).resolves.toContain('Let the manager read the figures');
    await panel().getByTestId('service-metrics-enable').click();
    await panel().getByTestId('service-metrics').waitFor({ timeout: 30_000 });
    // The key stays in the console's data directory (0600) and never reaches the page.
    expect(statSync(managedKeyFile()).mode & 0o777).toBe(0o600);
    const held = managedKey();
    expect(held.key).toMatch(/^mk_[0-9a-f]{16}_/);
    expect(await metricsStatus(held.key)).toBe(200);
    const inPage = await page.evaluate(() => [document.documentElement.outerHTML, JSON.stringify({ ...sessionStorage }), JSON.stringify({ ...localStorage })].join('\n'));
    expect(inPage).not.toContain(held.key);
    const before = Number(await figure('service-requests'));
    const meanBefore = await figure('service-mean');
    expect(meanBefore).toMatch(/^\d+(\.\d+)? ms$/);

    // Real traffic while the panel polls: the rate is measured between two polls, so keep sending until it shows.
    let sent = 0;
    let sending = true;
    const sender = (async () => {
      while (sending) {
        const r = await embed(key, `browser ui traffic ${sent} ${Date.now()}`);
        expect(r.status).toBe(200);
        sent++;
      }
    })();
    const until = Date.now() + 60_000;
    let rate = 0;
    while (Date.now() < until && !(rate > 0 && sent >= 20)) {
      const text = await figure('service-rate');
      rate = text === '-' ? 0 : Number(text.replace(' /s', ''));
      await page.waitForTimeout(500);
    }
    sending = false;
    await sender;
    expect(rate).toBeGreaterThan(0);
    expect(sent).toBeGreaterThanOrEqual(20);
    await expect.poll(async () => Number(await figure('service-requests')), { timeout: 15_000 }).toBeGreaterThanOrEqual(before + sent);
    await expect.poll(() => figure('service-mean'), { timeout: 15_000 }).not.toBe(meanBefore);
    await expect(figure('service-p50')).resolves.toMatch(/^\d+(\.\d+)? ms$/);
    await expect(figure('service-p99')).resolves.toMatch(/^\d+(\.\d+)? ms$/);
    await screenshot(page, 'service-dashboard-en.png');
  });

  it('revokes keys after a confirmation; a revoked key gets 401, and the Dashboard says when the manager\'s was revoked and repairs it at one click', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/service-keys${query}`);
    const row = page.getByTestId(`service-key-${keyId}`);
    await row.getByTestId('service-key-revoke').click();
    await page.getByTestId('service-key-revoke-confirm').click();
    await page.locator(`[data-testid="service-key-${keyId}"][data-revoked="true"]`).waitFor({ timeout: 30_000 });
    await expect(row.getByTestId('service-key-state').innerText()).resolves.toContain('Revoked');
    // The service caches key checks for up to 10 s.
    await expect.poll(async () => (await embed(key, 'after revoke')).status, { timeout: 20_000, interval: 1000 }).toBe(401);


    // Someone revokes the manager's own key on the same page: the Dashboard says so, keeps readiness, and one click replaces it.
    const held = managedKey();
    const managerRow = page.getByTestId(`service-key-${held.id}`);
    await expect(managerRow.innerText()).resolves.toContain('medai-manager-metrics');
    await managerRow.getByTestId('service-key-revoke').click();
    await page.getByTestId('service-key-revoke-confirm').click();
    await page.locator(`[data-testid="service-key-${held.id}"][data-revoked="true"]`).waitFor({ timeout: 30_000 });
    await expect.poll(() => metricsStatus(held.key), { timeout: 20_000, interval: 1000 }).toBe(401);
    await page.goto(`${server.url}/#/dashboard${query}`);
    const refused = panel().getByTestId('service-key-refused');
    await refused.waitFor({ timeout: 30_000 });
    await expect(refused.getByTestId('api-error-code').innerText()).resolves.toBe('SERVICE_MANAGED_KEY_REFUSED');
    await expect(refused.getByTestId('api-error-message').innerText()).resolves.toContain(`refused the metrics key the manager holds for ${NAME}`);
    await expect(refused.getByTestId('api-error-remedy').innerText()).resolves.toContain('Let the manager read the figures');
    await expect(panel().getAttribute('data-state')).resolves.toBe('ready');
    await expect(figure('service-ready')).resolves.toBe('Ready');
    await expect(panel().getByTestId('service-metrics').count()).resolves.toBe(0);
    await screenshot(page, 'service-managed-key-refused-en.png');
    await panel().getByTestId('service-metrics-enable').click();
    await panel().getByTestId('service-metrics').waitFor({ timeout: 30_000 });
    await expect(panel().getByTestId('service-key-refused').count()).resolves.toBe(0);
    const replaced = managedKey();
    expect(replaced.id).not.toBe(held.id);

    // Stopping revokes the manager's key and deletes its file; the prompt comes back.
    await panel().getByTestId('service-metrics-disable').click();
    await panel().getByTestId('service-metrics-enable').waitFor({ timeout: 30_000 });
    expect(existsSync(managedKeyFile())).toBe(false);
    await expect.poll(() => metricsStatus(replaced.key), { timeout: 20_000, interval: 1000 }).toBe(401);
  });

  it('shows a dependency the service cannot use in red, with the detail the service gives', async () => {
    const { page } = browser;
    // A second container whose Redis password is wrong: the shared peers stay up for everyone else.
    const url = await runService(`${NAME}-badredis`, { REDIS_PASSWORD: 'not-the-redis-password' });
    await page.goto(`${server.url}/#/dashboard?serviceUrl=${encodeURIComponent(url)}&serviceContainer=${NAME}-badredis`);
    await page.locator('[data-testid="service-panel"][data-state="not-ready"]').waitFor({ timeout: 60_000 });
    const truth = (await (await fetch(`${url}/ready`)).json()) as { checks: { redis: { ok: boolean; error: string } } };
    expect(truth.checks.redis.ok).toBe(false);
    const redis = panel().getByTestId('service-dep-redis');
    await expect(redis.getAttribute('data-ok')).resolves.toBe('false');
    await expect(redis.innerText()).resolves.toContain('Down');
    await expect(redis.innerText()).resolves.toContain(truth.checks.redis.error.slice(0, 40));
    await expect(panel().getByTestId('service-dep-postgres').getAttribute('data-ok')).resolves.toBe('true');
    await expect(figure('service-ready')).resolves.toBe('Not ready');
    await screenshot(page, 'service-dependency-red-en.png');
    execFileSync('docker', ['rm', '-f', `${NAME}-badredis`], { stdio: 'ignore' });
    await page.goto(`${server.url}/#/dashboard${query}`);
  });

  it('says the service cannot be reached, with the remedy, once it is stopped (both languages)', async () => {
    const { page } = browser;
    execFileSync('docker', ['stop', '-t', '5', NAME], { stdio: 'ignore' });
    await page.locator('[data-testid="service-panel"][data-state="unreachable"]').waitFor({ timeout: 30_000 });
    await expect(panel().getByTestId('api-error-code').innerText()).resolves.toBe('SERVICE_UNREACHABLE');
    await expect(panel().getByTestId('api-error-message').innerText()).resolves.toContain(`The inference service at ${serviceUrl} cannot be reached`);
    await expect(panel().getByTestId('api-error-remedy').innerText()).resolves.toContain('medai stack status');
    await expect(panel().getByTestId('service-dependencies').count()).resolves.toBe(0);

    await page.getByTestId('language-zh-CN').click();
    await panel().getByText('无法连接推理服务').waitFor();
    await expect(panel().getByTestId('api-error-remedy').innerText()).resolves.toContain('确认栈已启动');
    await screenshot(page, 'service-unreachable-zh-CN.png');

    // The keys page needs the running container too, and says so.
    await page.goto(`${server.url}/#/service-keys${query}`);
    // A hash route: the previous page's title can still be there for a moment.
    await expect.poll(() => page.getByTestId('page-title').innerText(), { timeout: 10_000 }).toBe('推理服务 API 密钥');
    await expect(page.getByTestId('api-error-code').innerText()).resolves.toBe('SERVICE_CONTAINER_NOT_FOUND');
  });

  it('ran without script errors or CSP violations', () => {
    expect(browser.errors).toEqual([]);
  });
});
