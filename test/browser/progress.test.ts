import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HTTP } from '../../electron/core/contract';
import { screenshot } from './support/browser';
import { useConsoleSession } from './support/session';

interface Seen {
  labels: string[];
  percents: number[];
}

/**
 * Records, inside the page, every step label and percent the progress component renders
 * (a MutationObserver sees each React commit, however busy the test process is).
 */
async function recordProgress(page: Page, ignoreOperation: string | null = null): Promise<void> {
  await page.evaluate((ignore) => {
    const w = window as unknown as { __seen: { labels: string[]; percents: number[] }; __observer?: MutationObserver };
    w.__observer?.disconnect();
    const seen = { labels: [] as string[], percents: [] as number[] };
    w.__seen = seen;
    const note = () => {
      const root = document.querySelector('[data-testid="operation-progress"]');
      if (!root || root.getAttribute('data-operation-id') === ignore) return; // the previous run, still shown
      const label = document.querySelector('[data-testid="progress-step-label"]')?.textContent ?? '';
      const percent = Number.parseInt(document.querySelector('[data-testid="progress-percent"]')?.textContent ?? '', 10);
      if (label && seen.labels.at(-1) !== label) seen.labels.push(label);
      if (Number.isFinite(percent) && seen.percents.at(-1) !== percent) seen.percents.push(percent);
    };
    w.__observer = new MutationObserver(note);
    w.__observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    note();
  }, ignoreOperation);
}

/** Waits for the progress component to reach an end state; returns what it rendered on the way. */
async function watchUntilDone(page: Page): Promise<Seen> {
  await page.locator('[data-testid="operation-progress"]:is([data-phase="succeeded"],[data-phase="failed"],[data-phase="interrupted"])').waitFor({ timeout: 60_000 });
  return page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);
}

const followedOperation = (url: string): string | null => new URL(url.replace('#/', '')).searchParams.get('operation');

/** Starts a self-test from the form and returns the id of the new operation the page now follows. */
async function startSelfTest(page: Page, steps: number, stepMs: number): Promise<string> {
  const before = followedOperation(page.url());
  await recordProgress(page, before);
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
  const session = useConsoleSession({ open: { nav: 'support', ready: 'selftest-run' } });

  it('runs the self-test and shows step labels and percent advancing to success', async () => {
    const { page } = session.browser;
    const id = await startSelfTest(page, 4, 600);
    expect(id).toMatch(/^op_/);
    const seen = await watchUntilDone(page);

    // Step 1 may already be replayed together with step 2 when the page attaches; the rest stream.
    expect(['自检步骤 1,自检步骤 2,自检步骤 3,自检步骤 4', '自检步骤 2,自检步骤 3,自检步骤 4']).toContain(seen.labels.join(','));
    expect(increasing(seen.percents)).toBe(true);
    expect(seen.percents.filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(2);
    expect(seen.percents.at(-1)).toBe(100);
    await page.getByTestId('progress-succeeded').waitFor();
    await expect(page.getByTestId('progress-step-count').innerText()).resolves.toBe('第 4 步，共 4 步');
    expect(await logLines(page)).toEqual(expectedLog(4));
    await screenshot(page, 'support-selftest-zh-CN.png');
    // The journal's list names the operation in the page language, not by its method name.
    const recent = page.getByTestId('recent-operations');
    await recent.getByText('成功').first().waitFor();
    await expect(recent.innerText()).resolves.toContain('自检');
    await expect(recent.innerText()).resolves.not.toContain('diagnostics.selfTest');

    // Step labels come from the event in both languages: switching relabels the finished run.
    await page.getByTestId('language-en').click();
    await page.getByText('Self-test step 4', { exact: true }).waitFor();
    await expect(page.getByTestId('progress-step-count').innerText()).resolves.toBe('Step 4 of 4');
    await expect(page.getByTestId('progress-succeeded').innerText()).resolves.toContain('The operation finished successfully');
    await page.getByTestId('language-zh-CN').click();
    await page.getByText('自检步骤 4', { exact: true }).waitFor();
  });

  it('re-attaches after a reload mid-operation and follows it to the end', async () => {
    const { page } = session.browser;
    const id = await startSelfTest(page, 8, 600);
    await page.getByText('自检步骤 2', { exact: true }).waitFor();
    await expect(page.getByTestId('operation-progress').getAttribute('data-phase')).resolves.toBe('running');
    // Two percent samples (0 % and 12 %, 0.6 s apart) give a rate, so the time left is estimated.
    await expect(page.getByTestId('progress-eta').innerText()).resolves.toMatch(/^预计剩余 \d+ 秒$/);

    await page.reload();
    await recordProgress(page);
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
    expect(session.browser.errors).toEqual([]);
  });

  it('reconnects when the event socket drops mid-operation, without repeating events', async () => {
    const { page } = session.browser;
    const sockets: WebSocketRoute[] = [];
    // Pass the page's event socket through to the real console, keeping a handle to cut it.
    await page.routeWebSocket((url) => url.pathname === HTTP.events, (ws) => {
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
    const { page } = session.browser;
    await page.goto(`${session.server.url}/#/support?operation=op_0000000000000000`);
    await page.getByTestId('progress-failed').waitFor();
    await expect(page.getByTestId('api-error-code').innerText()).resolves.toBe('OPERATION_NOT_FOUND');
    await expect(page.getByTestId('api-error-message').innerText()).resolves.toBe('找不到操作 op_0000000000000000。');
  });
});
