import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORT_BUNDLE_DOWNLOAD_PATH } from '../../electron/core/contract';
import { screenshot } from './support/browser';
import { useConsoleSession } from './support/session';

/**
 * The Support page's diagnostics bundle through the real web console: the button runs
 * diagnostics.bundle on the real engine, its progress shows, and the file comes back
 * through the console's download route (signed in, Host/Origin checked, support/ only).
 */
describe('diagnostics bundle on the Support page (web console)', () => {
  const session = useConsoleSession({ locale: 'en-US', open: { nav: 'support', ready: 'diag-bundle-run' } });
  let fileName = '';

  it('collects with progress and downloads a gzip tar holding manifest.json, without the console token', async () => {
    const { page } = session.browser;
    await page.getByTestId('diag-bundle-run').click();
    await page.getByTestId('diag-bundle-progress').waitFor();
    await page.getByTestId('diag-bundle-ready').waitFor({ timeout: 60_000 });
    const progress = await page.getByTestId('diag-bundle-progress').innerText();
    expect(progress).toContain('Step 12 of 12');
    const shownPath = await page.getByTestId('diag-bundle-path').innerText();
    expect(shownPath.startsWith(path.join(session.server.dataDir, 'support', 'medai-diagnostics-'))).toBe(true);
    fileName = path.basename(shownPath);
    await screenshot(page, 'support-diagnostics-bundle-en.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('diag-bundle-download').click()]);
    expect(download.suggestedFilename()).toBe(fileName);
    const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medai-diag-dl-')), fileName);
    await download.saveAs(saved);
    const bytes = fs.readFileSync(saved);
    expect([...bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(bytes.equals(fs.readFileSync(shownPath))).toBe(true);
    const listing = execFileSync('tar', ['-tzf', saved], { encoding: 'utf8' }).trim().split('\n');
    const root = fileName.replace(/\.tar\.gz$/, '');
    expect(listing).toContain(`${root}/manifest.json`);
    expect(listing).toContain(`${root}/engine/info.json`);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', saved, `${root}/manifest.json`], { encoding: 'utf8' })) as { files: { path: string }[] };
    expect(manifest.files.map((f) => `${root}/${f.path}`).sort()).toEqual(listing.filter((l) => !l.endsWith('/manifest.json')).sort());
    // The console's own token is a secret the manager knows: never in the bundle.
    expect(execFileSync('gzip', ['-dc', saved]).includes(Buffer.from(session.server.token))).toBe(false);
    expect(session.browser.errors).toEqual([]);
  });

  it('serves bundles only to a signed-in client, only by plain name, only from support/', async () => {
    const url = `${session.server.url}${SUPPORT_BUNDLE_DOWNLOAD_PATH}`;
    expect((await fetch(`${url}${fileName}`)).status).toBe(401);
    const auth = { authorization: `Bearer ${session.server.token}` };
    const ok = await fetch(`${url}${fileName}`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="${fileName}"`);
    await ok.arrayBuffer();
    for (const name of ['..%2Fconsole-token', '..%2F..%2Fetc%2Fpasswd', 'medai-diagnostics-x.tar.gz', encodeURIComponent('medai-diagnostics-../../x.tar.gz')]) {
      const r = await fetch(`${url}${name}`, { headers: auth });
      expect(r.status, name).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('DIAGNOSTICS_FILE_NOT_FOUND');
    }
    // A link planted in support/ that points out of it is refused too.
    const link = path.join(session.server.dataDir, 'support', 'medai-diagnostics-link.tar.gz');
    fs.symlinkSync(path.join(session.server.dataDir, 'console-token'), link);
    expect((await fetch(`${url}medai-diagnostics-link.tar.gz`, { headers: auth })).status).toBe(404);
    // Another page cannot pull it through the signed-in browser.
    expect((await fetch(`${url}${fileName}`, { headers: { ...auth, origin: 'http://evil.example' } })).status).toBe(403);
  });
});
