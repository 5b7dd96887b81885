import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

/**
 * The console dies mid-operation (SIGKILL: a crash or power cut) and starts again on the
 * same data directory. The operation it was running must show as interrupted, with the
 * log it wrote before dying, instead of "running" forever.
 */
describe('an operation whose console was killed', () => {
  let first: StartedConsole;
  let second: StartedConsole | undefined;
  let browser: OpenBrowser;

  beforeAll(async () => {
    ensureBuilt();
    first = await startConsole();
    browser = await openBrowser('zh-CN');
  });
  afterAll(async () => {
    await browser?.close();
    await second?.stop();
    await first?.stop();
  });

  it('shows interrupted, with the steps it reached, after the console restarts', async () => {
    const { page } = browser;
    await signIn(page, first.url, first.token);
    await page.getByTestId('nav-support').click();
    await page.getByTestId('selftest-steps').fill('20');
    await page.getByTestId('selftest-step-ms').fill('1000');
    await page.getByTestId('selftest-run').click();
    await page.getByText('自检步骤 2', { exact: true }).waitFor();
    const id = new URL(page.url().replace('#/', '')).searchParams.get('operation');
    expect(id).toMatch(/^op_/);

    await first.crash();
    second = await startConsole({}, first.dataDir);
    expect(second.token).toBe(first.token);

    await signIn(page, second.url, second.token); // sessions live in memory: a restart asks again
    await page.goto(`${second.url}/#/support?operation=${id}`);
    await page.getByTestId('progress-interrupted').waitFor();
    await expect(page.getByTestId('operation-progress').getAttribute('data-phase')).resolves.toBe('interrupted');
    const lines = (await page.getByTestId('progress-log').innerText()).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThan(20);
    expect(lines).toEqual(lines.map((_, i) => `self-test step ${i + 1} of 20`)); // each once, in order
    await expect(page.getByTestId('progress-interrupted').innerText()).resolves.toContain('操作已中断');
    await expect(page.getByTestId('recent-operations').innerText()).resolves.toContain('已中断');
    await screenshot(page, 'support-interrupted-zh-CN.png');
  });
});
