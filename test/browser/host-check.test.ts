import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HostCheckReport } from '../../electron/core/contract';
import { screenshot } from './support/browser';
import { useConsoleSession } from './support/session';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

// The host preflight from the console, on this machine's real engine, disks and /proc.
describe('Host check page', () => {
  const session = useConsoleSession({ open: { nav: 'host-check', ready: 'hostcheck-run' } });

  it('runs the check with progress and shows real measured values grouped by category', async () => {
    const { page } = session.browser;
    await expect(page.getByTestId('hostcheck-runs').innerText()).resolves.toContain('尚未进行过检查');
    await page.getByTestId('hostcheck-run').click();
    await page.getByTestId('operation-progress').waitFor();
    const report = page.getByTestId('hostcheck-report');
    await report.waitFor({ timeout: 60_000 });
    const runId = await report.getAttribute('data-run-id');
    expect(runId).toMatch(/^hc_/);

    for (const cat of ['system', 'disk', 'docker', 'gpu', 'airgap']) await page.getByTestId(`hostcheck-category-${cat}`).waitFor();
    const measured = async (id: string) => page.getByTestId(`hostcheck-row-${id}`).getByTestId('hostcheck-measured').innerText();
    await expect(measured('docker.version')).resolves.toBe(`${docker('version', '--format', '{{.Server.Version}}')} (API ${docker('version', '--format', '{{.Server.APIVersion}}')})`);
    await expect(measured('docker.storage-driver')).resolves.toBe(docker('info', '--format', '{{.Driver}}'));
    await expect(measured('system.cpu')).resolves.toMatch(new RegExp(`^${execFileSync('nproc', { encoding: 'utf8' }).trim()} \\(`));
    // No GPU here: a warning that says CPU mode, in Chinese, with the result tag coloured as a warning.
    const gpu = page.getByTestId('hostcheck-row-gpu.nvidia');
    await expect(gpu.getAttribute('data-result')).resolves.toBe('warn');
    await expect(gpu.innerText()).resolves.toContain('CPU 模式');
    await expect(gpu.getByTestId('result-tag-warn').innerText()).resolves.toBe('警告');
    // A warn row carries its remedy; a pass row leaves the column empty.
    await expect(page.getByTestId('hostcheck-row-system.memory').getByTestId('hostcheck-remedy').innerText()).resolves.not.toBe('');
    await expect(page.getByTestId('hostcheck-row-docker.engine').getByTestId('hostcheck-remedy').innerText()).resolves.toBe('');
    await expect(page.getByTestId('hostcheck-runs').innerText()).resolves.toContain('警告');
    await screenshot(page, 'host-check-zh-CN.png');
  });

  it('exports the run as JSON and as a printable HTML report', async () => {
    const { page } = session.browser;
    const runId = await page.getByTestId('hostcheck-report').getAttribute('data-run-id');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hostcheck-export-json').click()]);
    const exported = JSON.parse(fs.readFileSync((await json.path())!, 'utf8')) as HostCheckReport;
    expect(exported.runId).toBe(runId);
    expect(exported.checks).toHaveLength(32);
    expect(json.suggestedFilename()).toMatch(/^medai-host-check-.*\.json$/);
    const [html] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hostcheck-export-html').click()]);
    const page2 = fs.readFileSync((await html.path())!, 'utf8');
    expect(page2).toContain('主机预检报告');
    expect(page2).toContain(runId!);
    expect(html.suggestedFilename()).toMatch(/\.html$/);
  });

  it('re-runs, keeps both runs in the list, and opens the earlier one in English', async () => {
    const { page } = session.browser;
    const first = await page.getByTestId('hostcheck-report').getAttribute('data-run-id');
    await page.getByTestId('hostcheck-run').click();
    await page.locator(`[data-testid="hostcheck-report"]:not([data-run-id="${first}"])`).waitFor({ timeout: 60_000 });
    await page.getByTestId(`hostcheck-open-${first}`).waitFor();
    await page.getByTestId('language-en').click();
    await page.getByTestId(`hostcheck-open-${first}`).click();
    await page.locator(`[data-testid="hostcheck-report"][data-run-id="${first}"]`).waitFor();
    await expect(page.getByTestId('hostcheck-row-gpu.nvidia').innerText()).resolves.toContain('CPU mode');
    await expect(page.getByTestId('hostcheck-category-airgap').innerText()).resolves.toContain('Offline readiness');
    await screenshot(page, 'host-check-en.png');
    expect(session.browser.errors).toEqual([]);
  });
});
