import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './build';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

export interface OpenBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors of every page (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, on a fresh profile (no cookies, no saved language), with
 * the browser locale a hospital workstation would have.
 */
export async function openBrowser(locale = 'zh-CN'): Promise<OpenBrowser> {
  // Without a CJK font the Chinese screens render as boxes and the screenshots prove nothing.
  if (!execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim()) {
    throw new Error('no Chinese font installed: run `bash test/env/setup.sh` (installs fonts-noto-cjk)');
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-title').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.mouse.move(0, 0); // no tooltip left over from the last click
  await page.waitForTimeout(400); // let antd's transitions (language switch thumb, fades) settle
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
