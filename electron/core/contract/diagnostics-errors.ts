import { text } from './i18n-text';

/** Error codes of the diagnostics bundle. Spread into ERROR_CATALOG. Codes are stable. */
export const DIAGNOSTICS_ERRORS = {
  DIAGNOSTICS_OUTPUT_NOT_WRITABLE: {
    message: text('无法写入诊断包 {file}：{reason}', 'The diagnostics bundle {file} cannot be written: {reason}'),
    remedy: text('选择一个存在且可写的目录（--out），或不指定 --out 使用数据目录下的 support/ 文件夹。', 'Choose an existing, writable folder (--out), or leave --out out to use the support/ folder of the data directory.'),
  },
  DIAGNOSTICS_DISK_FULL: {
    message: text('写入诊断包 {file} 时磁盘已满，未留下不完整的文件。', 'The disk filled up while writing the diagnostics bundle {file}; no partial file was left.'),
    remedy: text('释放磁盘空间（df -h 查看），或用 --out 写到其他磁盘（如 U 盘）。', 'Free disk space (see df -h), or write it to another disk (a USB stick) with --out.'),
  },
  DIAGNOSTICS_FILE_NOT_FOUND: {
    message: text('找不到诊断包 {name}。', 'The diagnostics bundle {name} does not exist.'),
    remedy: text('重新生成诊断包（支持页面或 medai support bundle）；只能下载数据目录 support/ 文件夹中的诊断包。', 'Make a new bundle (Support page or medai support bundle); only bundles in the support/ folder of the data directory can be downloaded.'),
  },
} as const;
