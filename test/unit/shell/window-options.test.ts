import { describe, expect, it } from 'vitest';
import { buildAppMenu } from '../../../electron/shell/app-menu';
import { buildWindowOptions, isAllowedNavigation, RENDERER_CSP, windowOpenDecision } from '../../../electron/shell/window-options';

describe('Electron window options', () => {
  const opts = buildWindowOptions('/app/dist/electron/preload.cjs');

  it('isolates the renderer: context isolation and sandbox on, no Node integration anywhere', () => {
    expect(opts.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('ships a strict CSP: own scripts only, no eval, no framing, no plugins', () => {
    const directives = Object.fromEntries(RENDERER_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
  });

  it('blocks navigation away from the app page and every window.open', () => {
    const own = 'file:///opt/medai/dist/renderer/index.html';
    expect(isAllowedNavigation(`${own}#/backups`, own)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', own)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', own)).toBe(false);
    expect(isAllowedNavigation('not a url', own)).toBe(false);
    expect(windowOpenDecision('https://evil.example/')).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision('file:///opt/medai/docs/en/README.md')).toEqual({ action: 'deny', openExternally: true });
  });

  it('links Help to the local copy of the manuals in both languages', () => {
    const opened: string[] = [];
    const help = buildAppMenu('/opt/medai', (u) => opened.push(u)).find((m) => m.label?.includes('Help'))!;
    help.submenu!.filter((i) => i.click).forEach((i) => i.click!());
    expect(opened).toContain('file:///opt/medai/docs/zh-CN/user-guide/README.md');
    expect(opened).toContain('file:///opt/medai/docs/en/troubleshooting/README.md');
    expect(opened.every((u) => u.startsWith('file:///opt/medai/docs/'))).toBe(true);
  });
});
