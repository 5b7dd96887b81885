import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

interface Seen {
  labels: string[];
  percents: number[];
}

/** Watches the progress component until it reports an end state, noting each label and percent it showed. */
async function watchUntilDone(page: Page, seen: Seen = { labels: [], percents: [] }): Promise<Seen> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await page.evaluate(() => {
      const root = document.querySelector('[data-testid="operation-progress"]');
      const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
      return { phase: root?.getAttribute('data-phase') ?? '', label: text('progress-step-label'), percent: text('progress-percent') };
    });
    if (state.label && seen.labels.at(-1) !== state.label) seen.labels.push(state.label);
    const percent = Number.parseInt(state.percent, 10);
    if (Number.isFinite(percent) && seen.percents.at(-1) !== percent) seen.percents.push(percent);
    if (state.phase === 'succeeded' || state.phase === 'failed' || state.phase === 'interrupted') return seen;
    if (Date.now() > deadline) throw new Error(`operation did not finish; last state ${JSON.stringify(state)}`);
    await page.waitForTimeout(40);
  }
}

const followedOperation = (url: string): string | null => new URL(url.replace('#/', '')).searchParams.get('operation');

/** Starts a self-test from the form and returns the id of the new operation the page now follows. */
async function startSelfTest(page: Page, steps: number, stepMs: number): Promise<string> {
  const before = followedOperation(page.url());
  await page.getByTestId('selftest-steps').fill(String(steps));
  await page.getByTestId('selftest-step-ms').fill(String(stepMs));
  await page.getByTestId('selftest-run').click();
  await page.waitForURL((url) => {
    const id = followedOperation(url.toString());
    return id !== null && id !== before;
  });
  const id = followedOperation(page.url()) ?? '';
  await page.locator(`[data-testid="operation-progress"][data-operation-id="${id}"]`).waitFor();
  return id;
}

const logLines = async (page: Page) => (await page.getByTestId('progress-log').innerText()).split('\n').filter(Boolean);
const expectedLog = (steps: number) => Array.from({ length: steps }, (_, i) => `self-test step ${i + 1} of ${steps}`);
const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > (xs[i - 1] as number));

describe('operation progress on the Support page', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;

  beforeAll(async () => {
    ensureBuilt();
    server = await startConsole();
    browser = await openBrowser('zh-CN');
    await signIn(browser.page, server.url, server.token);
    await browser.page.getByTestId('nav-support').click();
    await browser.page.getByTestId('selftest-run').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('runs the self-test and shows step labels and percent advancing to success', async () => {
    const { page } = browser;
    const id = await startSelfTest(page, 4, 400);
    expect(id).toMatch(/^op_/);
    const seen = await watchUntilDone(page);

    expect(seen.labels).toEqual(['自检步骤 1', '自检步骤 2', '自检步骤 3', '自检步骤 4']);
    expect(increasing(seen.percents)).toBe(true);
    expect(seen.percents.filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(2);
    expect(seen.percents.at(-1)).toBe(100);
    await page.getByTestId('progress-succeeded').waitFor();
    await expect(page.getByTestId('progress-step-count').innerText()).resolves.toBe('第 4 步，共 4 步');
    expect(await logLines(page)).toEqual(expectedLog(4));
    await screenshot(page, 'support-selftest-zh-CN.png');

    // Step labels come from the event in both languages: switching relabels the finished run.
    await page.getByTestId('language-en').click();
    await page.getByText('Self-test step 4', { exact: true }).waitFor();
    await expect(page.getByTestId('progress-step-count').innerText()).resolves.toBe('Step 4 of 4');
    await expect(page.getByTestId('progress-succeeded').innerText()).resolves.toContain('The operation finished successfully');
    await page.getByTestId('language-zh-CN').click();
    await page.getByText('自检步骤 4', { exact: true }).waitFor();
  });

  it('re-attaches after a reload mid-operation and follows it to the end', async () => {
    const { page } = browser;
    const id = await startSelfTest(page, 8, 600);
    await page.getByText('自检步骤 2', { exact: true }).waitFor();
    await expect(page.getByTestId('operation-progress').getAttribute('data-phase')).resolves.toBe('running');

    await page.reload();
    // Same operation, from the URL, on a fresh page: the journal is replayed, then it streams on.
    await expect(page.getByTestId('operation-progress').getAttribute('data-operation-id')).resolves.toBe(id);
    const afterReload = await watchUntilDone(page);
    expect(afterReload.labels.at(-1)).toBe('自检步骤 8');
    expect(afterReload.labels.length).toBeGreaterThanOrEqual(2); // it kept advancing after the reload
    expect(increasing(afterReload.percents)).toBe(true);
    await page.getByTestId('progress-succeeded').waitFor();
    await expect(page.getByTestId('progress-percent').innerText()).resolves.toBe('100%');
    expect(await logLines(page)).toEqual(expectedLog(8));
    await screenshot(page, 'support-selftest-reattached-zh-CN.png');
  });

  it('reconnects when the event socket drops mid-operation, without repeating events', async () => {
    const { page } = browser;
    const sockets: WebSocketRoute[] = [];
    // Pass the page's event socket through to the real console, keeping a handle to cut it.
    await page.routeWebSocket(/\/api\/events$/, (ws) => {
      sockets.push(ws);
      ws.connectToServer();
    });
    await page.reload();
    await page.getByTestId('selftest-run').waitFor();
    await startSelfTest(page, 8, 500);
    await page.getByText('自检步骤 3', { exact: true }).waitFor();
    expect(sockets.length).toBe(1);
    await sockets[0]?.close({ code: 1012, reason: 'test: console restarting' });

    const seen = await watchUntilDone(page);
    expect(sockets.length).toBeGreaterThanOrEqual(2); // the client opened a new socket and attached again
    expect(seen.labels.at(-1)).toBe('自检步骤 8');
    await page.getByTestId('progress-succeeded').waitFor();
    expect(await logLines(page)).toEqual(expectedLog(8));
    await page.unrouteAll();
  });

  it('shows the error for an operation id that does not exist', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/support?operation=op_0000000000000000`);
    await page.getByTestId('progress-failed').waitFor();
    await expect(page.getByTestId('api-error-code').innerText()).resolves.toBe('OPERATION_NOT_FOUND');
    await expect(page.getByTestId('api-error-message').innerText()).resolves.toBe('找不到操作 op_0000000000000000。');
  });
});
