import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A menu item as Electron's Menu.buildFromTemplate takes it (the subset we use). */
export interface MenuItem {
  label?: string;
  role?: 'quit' | 'reload' | 'toggleDevTools' | 'copy' | 'paste' | 'selectAll' | 'undo' | 'redo' | 'cut';
  type?: 'separator';
  submenu?: MenuItem[];
  click?: () => void;
}

/** Menus in both languages; Help opens the local, offline copy of the manuals. */
export function buildAppMenu(appRoot: string, openLocal: (url: string) => void): MenuItem[] {
  const doc = (lang: string, file: string) => () => openLocal(pathToFileURL(path.join(appRoot, 'docs', lang, file)).toString());
  return [
    { label: '文件 File', submenu: [{ role: 'quit', label: '退出 Quit' }] },
    { label: '编辑 Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '帮助 Help',
      submenu: [
        { label: '用户指南', click: doc('zh-CN', 'user-guide/README.md') },
        { label: '运维手册', click: doc('zh-CN', 'operations/README.md') },
        { label: '备份与恢复', click: doc('zh-CN', 'backup-restore/README.md') },
        { label: '故障排查', click: doc('zh-CN', 'troubleshooting/README.md') },
        { type: 'separator' },
        { label: 'User guide', click: doc('en', 'user-guide/README.md') },
        { label: 'Operations manual', click: doc('en', 'operations/README.md') },
        { label: 'Backup and restore', click: doc('en', 'backup-restore/README.md') },
        { label: 'Troubleshooting', click: doc('en', 'troubleshooting/README.md') },
      ],
    },
  ];
}
