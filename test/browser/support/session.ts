import { afterAll, beforeAll } from 'vitest';
import { openBrowser, signIn, type OpenBrowser } from './browser';
import { ensureBuilt } from './build';
import { startConsole, type StartedConsole } from './console-process';

export interface SessionOptions {
  /** Environment for the console process (e.g. DOCKER_HOST, trusted keys dir); may depend on beforeAll work. */
  env?: () => NodeJS.ProcessEnv;
  locale?: string;
  /** Sign in through the login page before the tests run. */
  signIn?: boolean;
  /** After signing in, open this side-navigation entry (its test id without `nav-`) and wait for `ready`. */
  open?: { nav: string; ready: string };
}

/** What a describe block gets: filled in by beforeAll, so read it inside tests only. */
export interface ConsoleSession {
  server: StartedConsole;
  browser: OpenBrowser;
}

/**
 * A real console process and Debian's Chromium for one describe block: built renderer,
 * started before the block's tests, both stopped after them, whatever happened.
 */
export function useConsoleSession(options: SessionOptions = {}): ConsoleSession {
  const session = {} as ConsoleSession;
  beforeAll(async () => {
    ensureBuilt();
    session.server = await startConsole(options.env?.() ?? {});
    session.browser = await openBrowser(options.locale ?? 'zh-CN');
    if (options.signIn || options.open) await signIn(session.browser.page, session.server.url, session.server.token);
    if (options.open) {
      await session.browser.page.getByTestId(`nav-${options.open.nav}`).click();
      await session.browser.page.getByTestId(options.open.ready).waitFor();
    }
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
}
