import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerEndpointFromEnv } from '../../electron/core/engine/docker-endpoint';
import { downProject } from '../../electron/core/stack/engine/project-lifecycle';
import { openState, type StateDb } from '../../electron/core/state/open-state';
import { ensureAppImages, freePort, items, recordAppBundle } from '../integration/stack/app-stack';
import { ensureTestImages, testProject } from '../integration/stack/stack-fixtures';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

// The stack wizards in the real web console against the real engine: install (with a
// reload mid-install), the dashboard panel, an upgrade whose health gate fails (automatic
// rollback explained), an upgrade that succeeds, and the rollback wizard with the database.
const endpoint = dockerEndpointFromEnv();
const docker = new Docker({ socketPath: endpoint.socketPath });
const stack = testProject('ui');

describe('stack wizards in the web console', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;
  let db: StateDb;
  let port: number;

  beforeAll(async () => {
    ensureTestImages();
    ensureAppImages();
    ensureBuilt();
    server = await startConsole();
    db = openState(server.dataDir);
    for (const [v, tag] of [['1.0.0', '1'], ['2.0.0', '2'], ['3.0.0', '3']] as const) await recordAppBundle(db, docker, v, tag);
    port = await freePort();
    browser = await openBrowser('en');
    await signIn(browser.page, server.url, server.token);
  });
  afterAll(async () => {
    await browser?.close();
    db?.close();
    await server?.stop();
    await downProject({ docker, endpoint }, stack, { deleteVolumes: true });
  });

  const pick = async (testId: string, text: string) => {
    const { page } = browser;
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-item-option').filter({ hasText: text }).first().click();
  };

  it('installs from an imported bundle and re-attaches after a reload mid-install', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/install`);
    await pick('stack-install-bundle', '1.0.0');
    await page.getByTestId('stack-install-name').fill(stack);
    await page.getByTestId('stack-install-port').fill(String(port));
    await page.getByTestId('stack-install-override').fill('browser test host');
    await page.getByTestId('stack-install-start').click();
    await page.waitForURL(/op=op_/);
    // A reload while it runs: the wizard finds the operation in the URL and follows it again.
    await page.getByTestId('progress-step-label').filter({ hasText: /\S/ }).waitFor();
    await page.reload();
    await page.getByTestId('operation-progress').waitFor();
    await page.getByTestId('stack-install-summary').waitFor({ timeout: 180_000 });
    await expect(page.getByTestId('stack-install-url').innerText()).resolves.toBe(`http://127.0.0.1:${port}`);
    await expect(page.getByTestId('stack-install-data').innerText()).resolves.toContain(`${stack}_pgdata`);
    await screenshot(page, 'stack-install-finished-en.png');
    expect(await items(port)).toEqual({ count: 0, version: 1 });
  });

  it('shows each service on the dashboard with health, and its logs', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/dashboard?stack=${stack}`);
    await page.locator('[data-testid="stack-service-app"][data-health="healthy"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="stack-service-postgres"][data-health="healthy"]').waitFor();
    await expect(page.getByTestId('stack-panel').getAttribute('data-version')).resolves.toBe('1.0.0');
    await page.getByTestId('stack-logs-lines').filter({ hasText: 'postgres |' }).waitFor();
    await screenshot(page, 'stack-dashboard-en.png');
  });

  it('explains an automatic rollback in plain words when the new version fails its health gate', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/upgrade?stack=${stack}`);
    await pick('stack-upgrade-bundle', '3.0.0');
    await page.getByTestId('stack-upgrade-plan').filter({ hasText: 'updated' }).waitFor();
    await expect(page.getByTestId('stack-upgrade-notes').innerText()).resolves.toBe('Test release 3.0.0');
    await page.getByTestId('stack-upgrade-start').click();
    const alert = page.getByTestId('stack-upgrade-rolled-back');
    await alert.waitFor({ timeout: 180_000 });
    await expect(alert.innerText()).resolves.toContain('put back to 1.0.0 automatically');
    await expect(alert.innerText()).resolves.toContain('restored from the safety backup');
    await screenshot(page, 'stack-upgrade-rolled-back-en.png');
    expect((await items(port)).version).toBe(1);
  });

  it('upgrades to 2.0.0, then the rollback wizard returns to 1.0.0 with its database', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/upgrade?stack=${stack}`);
    await pick('stack-upgrade-bundle', '2.0.0');
    await page.getByTestId('stack-upgrade-start').click();
    await page.getByTestId('stack-upgrade-done').waitFor({ timeout: 180_000 });
    expect((await items(port)).version).toBe(2);

    await page.goto(`${server.url}/#/rollback?stack=${stack}`);
    await page.getByTestId('stack-rollback-choose-1.0.0').click();
    await page.getByTestId('stack-rollback-include-db').check();
    await expect(page.getByTestId('stack-rollback-start').isDisabled()).resolves.toBe(true);
    await page.getByTestId('stack-rollback-confirm').fill(stack);
    await page.getByTestId('stack-rollback-start').click();
    await page.getByTestId('stack-rollback-done').waitFor({ timeout: 180_000 });
    await expect(page.getByTestId('stack-rollback-done').innerText()).resolves.toContain('runs 1.0.0 again');
    await screenshot(page, 'stack-rollback-done-en.png');
    expect((await items(port)).version).toBe(1);
  });

  it('ran without script errors or CSP violations', () => {
    expect(browser.errors).toEqual([]);
  });
});
