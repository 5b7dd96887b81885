import Docker from 'dockerode';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupRun } from '../../electron/core/contract';
import { ensureRestic } from '../integration/backup/backup-fixtures';
import { startTestStack, type TestStack } from '../integration/backup/stack-fixture';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt, ROOT } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

const HOUR = 3_600_000;

// The Dashboard's backup card and banner from the web console, against the real stack
// containers, restic and a local target: the hint with no target, the last backup and next
// run after a real backup, the drill result after a real drill, the "overdue" banner once
// the newest good set is older than an every-minute schedule allows (real time: 1 min + 1
// min of grace), and the "failed" banner after a run against a removed repository.
describe('Dashboard backup summary', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;
  let stack: TestStack;
  const disk = fs.mkdtempSync('/tmp/medai-backuptest-dash-');
  const repoDir = path.join(disk, 'repo');
  const medai = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/medai.cjs'), '--data-dir', server.dataDir, ...args], { encoding: 'utf8' });
  const history = (): BackupRun[] => JSON.parse(medai('--json', 'backup', 'history', 'usb').stdout) as BackupRun[];
  const dashboard = async () => {
    await browser.page.getByTestId('nav-dashboard').click();
    await browser.page.getByTestId('backup-summary').waitFor();
  };

  beforeAll(async () => {
    ensureBuilt();
    ensureRestic();
    stack = await startTestStack(new Docker({ socketPath: '/var/run/docker.sock' }));
    await stack.waitReady();
    await stack.seed(300);
    server = await startConsole();
    execFileSync(process.execPath, [path.join(ROOT, 'dist/cli/medai.cjs'), '--data-dir', server.dataDir, 'backup', 'stack', '--project', stack.project, '--stack-version', '1.0.0']);
    browser = await openBrowser('zh-CN');
    await signIn(browser.page, server.url, server.token);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stack?.stop();
    fs.rmSync(disk, { recursive: true, force: true });
  });

  it('without a target: only a hint to set one up, no banner', async () => {
    const { page } = browser;
    await dashboard();
    await page.getByTestId('backup-summary-empty').waitFor();
    await expect(page.getByTestId('backup-summary').innerText()).resolves.toContain('尚未配置备份目标');
    await expect(page.locator('[data-testid^="backup-banner-"]').count()).resolves.toBe(0);
    await page.getByTestId('backup-summary-setup').click();
    await page.getByTestId('backups-add').waitFor();
  });

  it('after a real backup: last backup with outcome, size and duration; the next run of each schedule; no banner', async () => {
    const { page } = browser;
    const added = medai('backup', 'target', 'add', 'usb', '--local', repoDir);
    expect(added.status, added.stderr).toBe(0);
    await page.reload();
    await page.getByTestId('backups-target-usb').waitFor();
    await page.getByTestId('backups-run').click();
    await page.locator('[data-testid^="backups-set-"][data-status="good"]').first().waitFor({ timeout: 90_000 });
    const run = history().find((r) => r.kind === 'backup')!;
    expect(run.state).toBe('succeeded');

    const asked = Date.now();
    await dashboard();
    const last = page.getByTestId('backup-summary-last-usb');
    await page.locator('[data-testid="backup-summary-last-usb"][data-state="succeeded"]').waitFor();
    await expect(last.getAttribute('data-at')).resolves.toBe(run.startedAt);
    const lastText = await last.innerText();
    expect(lastText).toContain('成功');
    expect(lastText).toMatch(/\d+(\.\d)? (kB|MB)（新增 \d+(\.\d)? (kB|MB)）/);
    expect(lastText).toMatch(/用时 \d/);
    // Default schedules, soonest first: hourly at the next full hour (this host runs in UTC).
    const hourly = page.getByTestId('backup-summary-next-usb-hourly');
    // The card's "now" lies between the navigation and this read: an hour may turn in between.
    const nextHour = (t: number) => new Date(Math.floor(t / HOUR) * HOUR + HOUR).toISOString();
    const at = await hourly.getAttribute('data-at');
    expect([nextHour(asked), nextHour(Date.now())]).toContain(at);
    await expect(hourly.innerText()).resolves.toMatch(/\d+(秒钟|分钟|小时)后/);
    await expect(page.getByTestId('backup-summary-next-usb').innerText()).resolves.toContain('daily');
    await expect(page.getByTestId('backup-summary-next-usb').innerText()).resolves.toContain('计划 hourly：每 1小时，另加 1小时 宽限');
    await expect(page.getByTestId('backup-summary-drill-usb').innerText()).resolves.toContain('尚未演练');
    await expect(page.getByTestId('backup-summary-usb').getAttribute('data-problems')).resolves.toBe('');
    await expect(page.locator('[data-testid^="backup-banner-"]').count()).resolves.toBe(0);
    expect(browser.errors, browser.errors.join('\n')).toEqual([]);
    await screenshot(page, 'dashboard-backup-zh-CN.png');
  });

  it('after a real restore drill: its result and time', async () => {
    const { page } = browser;
    // Every minute from now on: the newest good set turns overdue two minutes after it started,
    // while the drill below runs (the drill is no backup and does not refresh it).
    const set = medai('backup', 'schedule', 'usb', '--set', 'hourly="* * * * *"/online/7', 'drill="0 4 * * 0"/online/1');
    expect(set.status, set.stderr).toBe(0);
    await page.getByTestId('nav-restore').click();
    await page.locator('[data-testid^="restore-set-"]').first().click({ timeout: 30_000 });
    await page.getByTestId('restore-start').click();
    await page.locator('[data-testid="restore-report"][data-passed="true"]').waitFor({ timeout: 120_000 });
    const drill = history().find((r) => r.kind === 'drill')!;
    expect(drill.state).toBe('succeeded');

    await dashboard();
    const card = page.locator('[data-testid="backup-summary-drill-usb"][data-passed="true"]');
    await card.waitFor();
    await expect(card.getAttribute('data-at')).resolves.toBe(drill.startedAt);
    await expect(card.innerText()).resolves.toContain('通过');
  }, 200_000);

  it('raises the "overdue" banner once the newest good set is older than the schedule allows', async () => {
    const { page } = browser;
    const good = history().find((r) => r.kind === 'backup' && r.state === 'succeeded')!;
    // Every minute: 1 min interval + 1 min grace. Before that the card says OK and no banner shows.
    const due = Date.parse(good.startedAt) + 2 * 60_000;
    await dashboard();
    await expect(page.getByTestId('backup-summary-next-usb').innerText()).resolves.toContain('每 1分钟，另加 1分钟 宽限');
    if (Date.now() < due - 5000) await expect(page.locator('[data-testid^="backup-banner-"]').count()).resolves.toBe(0);
    await page.waitForTimeout(Math.max(0, due - Date.now() + 1000));
    await page.getByTestId('backup-summary-refresh').click();
    const banner = page.locator('[data-testid="backup-banner-usb"][data-problems="stale"]');
    await banner.waitFor({ timeout: 10_000 });
    const text = await banner.innerText();
    expect(text).toContain('备份逾期：目标 usb');
    expect(text).toMatch(/最近的完好备份已是 \d+分钟前/);
    expect(text).toContain('计划 hourly 最多允许 2分钟');
    await expect(page.getByTestId('backup-summary-usb').innerText()).resolves.toContain('备份逾期');
    await screenshot(page, 'dashboard-backup-overdue-zh-CN.png');
  }, 200_000);

  it('raises the "failed" banner after a run against a removed repository, in English too, and links to the Backups page', async () => {
    const { page } = browser;
    // Back to an hourly schedule: the banner now speaks only of the failure.
    const set = medai('backup', 'schedule', 'usb', '--set', 'hourly="0 * * * *"/online/7');
    expect(set.status, set.stderr).toBe(0);
    fs.rmSync(repoDir, { recursive: true, force: true }); // the USB disk was unplugged
    const failed = medai('backup', 'run', 'usb', '--profile', 'online');
    expect(failed.status).not.toBe(0);
    const run = history().find((r) => r.kind === 'backup')!;
    expect(run.state).toBe('failed');

    await dashboard();
    await page.getByTestId('backup-summary-refresh').click();
    const banner = page.locator('[data-testid="backup-banner-usb"][data-problems="last-run-failed"]');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.innerText()).toContain(`备份失败：目标 usb`);
    expect(await banner.innerText()).toContain(run.error!.code);
    await expect(page.getByTestId('backup-summary-last-usb').getAttribute('data-state')).resolves.toBe('failed');
    await expect(page.getByTestId('backup-summary-last-usb').innerText()).resolves.toContain('最近完好备份');

    await page.getByTestId('language-en').click();
    await banner.getByText('Backup failed: target usb').waitFor();
    expect(await banner.innerText()).toContain(`The last backup run`);
    const cardText = await page.getByTestId('backup-summary').innerText();
    expect(cardText).toContain('Last run failed');
    expect(cardText).toContain('Last good backup:');
    expect(cardText).toMatch(/in \d+ (seconds?|minutes?|hours?)/);
    expect(cardText).toContain('Passed');
    expect(browser.errors, browser.errors.join('\n')).toEqual([]);
    await screenshot(page, 'dashboard-backup-failed-en.png');
    await page.getByTestId('backup-banner-open-usb').click();
    await page.getByTestId('backups-target-usb').waitFor();
  }, 120_000);
});
