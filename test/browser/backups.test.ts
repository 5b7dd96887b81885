import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../integration/backup/stack-fixture';
import { ensureRestic } from '../integration/backup/backup-fixtures';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt, ROOT } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

// The Backups page from the web console against the real stack containers, restic and a
// local target: add (recovery sheet), test connection, back up with progress, timeline, preview.
describe('Backups page', () => {
  let server: StartedConsole;
  let browser: OpenBrowser;
  let stack: TestStack;
  const disk = fs.mkdtempSync('/tmp/medai-backuptest-browser-');

  beforeAll(async () => {
    ensureBuilt();
    ensureRestic();
    stack = await startTestStack(new Docker({ socketPath: '/var/run/docker.sock' }));
    await stack.waitReady();
    await stack.seed(1000);
    server = await startConsole();
    execFileSync(process.execPath, [path.join(ROOT, 'dist/cli/medai.cjs'), '--data-dir', server.dataDir, 'backup', 'stack', '--project', stack.project, '--stack-version', '1.0.0']);
    browser = await openBrowser('zh-CN');
    await signIn(browser.page, server.url, server.token);
    await browser.page.getByTestId('nav-backups').click();
    await browser.page.getByTestId('backups-add').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stack?.stop();
    fs.rmSync(disk, { recursive: true, force: true });
  });

  it('adds a local target and shows its recovery sheet once', async () => {
    const { page } = browser;
    await expect(page.getByTestId('backups-targets').innerText()).resolves.toContain('尚未添加备份目标');
    await page.getByTestId('backups-add').click();
    await page.getByTestId('backups-add-id').fill('usb');
    await page.getByTestId('backups-add-path').fill(path.join(disk, 'repo'));
    await page.getByTestId('backups-add-ok').click();
    const sheet = page.getByTestId('backups-recovery-sheet');
    await sheet.waitFor({ timeout: 30_000 });
    const text = await sheet.innerText();
    const password = fs.readFileSync(path.join(server.dataDir, 'backup', 'targets', 'usb', 'repository-password'), 'utf8');
    expect(text).toContain(password);
    expect(text).toContain('密码丢失 = 备份丢失');
    await screenshot(page, 'backups-recovery-sheet-zh-CN.png');
    await page.getByTestId('backups-sheet-done').click();
    await sheet.waitFor({ state: 'hidden' });
    await page.getByTestId('backups-target-usb').waitFor();
  });

  it('tests the connection, backs up with progress, and lists the good set in the timeline', async () => {
    const { page } = browser;
    await page.getByTestId('backups-test-usb').click();
    await expect(page.getByTestId('backups-test-result-usb').innerText({ timeout: 30_000 })).resolves.toContain('仓库就绪');
    await page.getByTestId('backups-run').click();
    await page.getByTestId('operation-progress').waitFor();
    const set = page.locator('[data-testid^="backups-set-"]').first();
    await set.waitFor({ timeout: 90_000 });
    await expect(set.getAttribute('data-status')).resolves.toBe('good');
    await expect(set.innerText()).resolves.toContain('postgres');
    // A second run (hourly profile) stores PostgreSQL as a differential against the first,
    // tagged so in the timeline; the restore wizard below restores exactly that set.
    await stack.sql("UPDATE patients SET name = name || ' (edited)' WHERE id % 50 = 0");
    await page.getByTestId('backups-run').click();
    await page.locator('[data-testid^="backups-set-"]').nth(1).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator('[data-testid^="backups-set-"]').first().innerText(), { timeout: 30_000 }).toContain('PostgreSQL：差异');
    await expect(page.locator('[data-testid^="backups-set-"]').nth(1).innerText()).resolves.not.toContain('差异');
    // Schedules: the defaults, a bad cron refused with its code, a good one saved.
    await expect(page.getByTestId('backups-cron-daily').inputValue()).resolves.toBe('0 2 * * *');
    await page.getByTestId('backups-cron-hourly').fill('61 * * * *');
    await page.getByTestId('backups-schedules-save').click();
    await page.getByText('BACKUP_SCHEDULE_INVALID').waitFor();
    await page.getByTestId('backups-cron-hourly').fill('30 * * * *');
    await page.getByTestId('backups-schedules-save').click();
    // The label turns to "saved" only when the core's answer arrives: wait for it rather than read it once.
    await page.getByTestId('backups-schedules-save').filter({ hasText: '已保存' }).waitFor();
    await page.getByTestId('backups-preview').click();
    await expect(page.getByTestId('backups-preview-result').innerText()).resolves.toContain('保留');
    expect(browser.errors, browser.errors.join('\n')).toEqual([]);
    await screenshot(page, 'backups-zh-CN.png');
  });

  it('restore wizard: drill, then in place after typing the stack name; the report compares rows with the snapshot', async () => {
    const { page } = browser;
    const before = await stack.fingerprint();
    await page.getByTestId('nav-restore').click();
    const choice = page.locator('[data-testid^="restore-set-"]').first();
    await choice.waitFor({ timeout: 30_000 });
    // The newest set, chosen first, is the differential (its radio input holds no text: read the list).
    await expect.poll(() => page.getByTestId('restore-sets').innerText(), { timeout: 10_000 }).toContain('PostgreSQL：差异');
    await choice.click();
    await page.getByTestId('restore-start').click();
    const report = page.getByTestId('restore-report');
    await report.waitFor({ timeout: 120_000 });
    await expect(report.getAttribute('data-passed')).resolves.toBe('true');
    await expect(report.innerText()).resolves.toContain('medai.public.patients rows');
    // In place: refused until the stack name is typed exactly.
    await page.getByTestId('restore-mode-in-place').click();
    await expect(page.getByTestId('restore-start').isDisabled()).resolves.toBe(true);
    await page.getByTestId('restore-confirm').fill('medai');
    await expect(page.getByTestId('restore-start').isDisabled()).resolves.toBe(stack.project !== 'medai');
    await page.getByTestId('restore-confirm').fill(stack.project);
    await stack.sql("DELETE FROM visits WHERE id % 3 = 0"); // damage to be undone by the restore
    await page.getByTestId('restore-start').click();
    await page.getByTestId('operation-progress').waitFor();
    await page.locator('[data-testid="restore-report"][data-passed="true"]').waitFor({ timeout: 180_000 });
    expect(await stack.fingerprint()).toBe(before);
    expect(browser.errors, browser.errors.join('\n')).toEqual([]);
    await screenshot(page, 'restore-zh-CN.png');
  }, 400_000);
});

