import Docker from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/core/clock';
import type { BackupSet } from '../../electron/core/contract';
import { createCore, type Core } from '../../electron/core/core';
import { dockerEndpointFromEnv } from '../../electron/core/engine/docker-endpoint';
import { downProject } from '../../electron/core/stack/engine/project-lifecycle';
import { openState } from '../../electron/core/state/open-state';
import { ensureRestic, RESTIC } from '../integration/backup/backup-fixtures';
import { ensureAppImages, freePort, recordAppBundle, runOperation } from '../integration/stack/app-stack';
import { ensureTestImages, testProject } from '../integration/stack/stack-fixtures';
import { openBrowser, screenshot, signIn, type OpenBrowser } from './support/browser';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

// The Upgrade page's result names the off-box safety snapshot (en), and, with the target
// gone, says in zh-CN that it failed and the upgrade went on. Real console, engine, restic.
const endpoint = dockerEndpointFromEnv();
const docker = new Docker({ socketPath: endpoint.socketPath });
const stack = testProject('uisnap');

describe('the Upgrade page shows the safety snapshot', () => {
  let server: StartedConsole;
  let core: Core;
  const browsers: OpenBrowser[] = [];
  let repoDir: string;

  beforeAll(async () => {
    ensureRestic();
    ensureTestImages();
    ensureAppImages();
    ensureBuilt();
    server = await startConsole();
    // A second core on the same data directory sets the stack up, as another face would.
    core = createCore({ dataDir: server.dataDir, db: openState(server.dataDir), docker, dockerEndpoint: { ...endpoint, timeoutSeconds: 30 }, clock: systemClock, backupOptions: { resticBinary: RESTIC } });
    for (const [v, tag] of [['1.0.0', '1'], ['2.0.0', '2'], ['3.0.0', '1']] as const) await recordAppBundle(core.deps.db, docker, v, tag);
    const port = await freePort();
    const installed = await runOperation(core, 'stack.install', { stack, bundleVersion: '1.0.0', config: { httpPort: port }, overrideHostCheck: 'browser test host', healthTimeoutS: 120 });
    if (installed.last.type !== 'done') throw new Error(JSON.stringify(installed.last));
    repoDir = path.join(server.dataDir, 'disk', 'repo');
    fs.mkdirSync(path.dirname(repoDir), { recursive: true });
    const added = await core.dispatch('backup.targets.add', { id: 'usb', location: { kind: 'local', path: repoDir } });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
  });
  afterAll(async () => {
    for (const b of browsers) await b.close();
    core?.deps.db.close();
    await server?.stop();
    await downProject({ docker, endpoint }, stack, { deleteVolumes: true });
  });

  async function upgradeTo(locale: string, version: string): Promise<{ text: string; browser: OpenBrowser }> {
    const browser = await openBrowser(locale);
    browsers.push(browser);
    const { page } = browser;
    await signIn(page, server.url, server.token);
    await page.goto(`${server.url}/#/upgrade?stack=${stack}`);
    await page.getByTestId('stack-upgrade-bundle').click();
    await page.locator('.ant-select-item-option').filter({ hasText: version }).first().click();
    await page.getByTestId('stack-upgrade-start').click();
    await page.getByTestId('stack-upgrade-done').waitFor({ timeout: 180_000 });
    const text = await page.getByTestId('stack-upgrade-safety-snapshot').innerText();
    return { text, browser };
  }

  it('names the set id of the safety snapshot (en)', async () => {
    const { text, browser } = await upgradeTo('en', '2.0.0');
    const listed = await core.dispatch('backup.snapshots.list', { targetId: 'usb' });
    const sets = (listed as { ok: true; result: BackupSet[] }).result.filter((s) => s.trigger === 'safety');
    expect(sets).toHaveLength(1);
    expect(text).toContain(`Safety snapshot ${sets[0]!.setId} is in backup target usb`);
    await screenshot(browser.page, 'stack-upgrade-safety-snapshot-en.png');
    expect(browser.errors).toEqual([]);
  });

  it('says the snapshot failed and the upgrade went on, with the code (zh-CN)', async () => {
    fs.rmSync(repoDir, { recursive: true, force: true });
    const { text, browser } = await upgradeTo('zh-CN', '3.0.0');
    expect(text).toMatch(/写入备份目标 usb 的安全快照失败（BACKUP_[A-Z_]+：/);
    expect(text).toContain('升级照常完成');
    await screenshot(browser.page, 'stack-upgrade-safety-snapshot-failed-zh-CN.png');
    expect(browser.errors).toEqual([]);
  });
});
