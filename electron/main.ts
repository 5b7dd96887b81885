// The Electron main process: deliberately thin. Everything it wires is built by plain
// functions in shell/ and core/ that the tests exercise without the Electron binary.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openCore } from './core/open-core';
import { buildIpcHandlers } from './shell/ipc-table';
import { buildAppMenu } from './shell/app-menu';
import { buildWindowOptions, isAllowedNavigation, RENDERER_CSP, windowOpenDecision } from './shell/window-options';

const appRoot = path.resolve(__dirname, '..', '..');
const rendererUrl = pathToFileURL(path.join(appRoot, 'dist', 'renderer', 'index.html')).toString();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.whenReady().then(() => {
    const core = openCore();
    const pickBundleFile = async () => {
      const options = { properties: ['openFile' as const], filters: [{ name: 'Medical AI bundle / 离线安装包', extensions: ['medai-bundle'] }] };
      const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    };
    const handlers = buildIpcHandlers(core, (url) => url === rendererUrl || url.startsWith(`${rendererUrl}#`), { pickBundleFile });
    for (const [channel, handler] of Object.entries(handlers)) ipcMain.handle(channel, handler);

    session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } }),
    );
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));

    Menu.setApplicationMenu(Menu.buildFromTemplate(buildAppMenu(appRoot, (url) => void shell.openExternal(url))));
    win = new BrowserWindow(buildWindowOptions(path.join(__dirname, 'preload.cjs')));
    win.webContents.on('will-navigate', (e, url) => {
      if (!isAllowedNavigation(url, rendererUrl)) e.preventDefault();
    });
    win.webContents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void shell.openExternal(url);
      return { action: decision.action };
    });
    win.once('ready-to-show', () => win?.show());
    void win.loadURL(rendererUrl);
  });

  app.on('window-all-closed', () => app.quit());
}
