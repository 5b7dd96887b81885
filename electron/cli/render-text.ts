import type { ApiError, EngineStatus, Language, OperationEvent } from '../core/contract';

const LABELS = {
  'zh-CN': { error: '错误', remedy: '解决办法', detail: '详细信息', version: 'Docker 引擎版本', api: 'API 版本', driver: '存储驱动', running: '运行中的容器', socket: '套接字' },
  en: { error: 'Error', remedy: 'How to fix', detail: 'Detail', version: 'Docker engine version', api: 'API version', driver: 'Storage driver', running: 'Running containers', socket: 'Socket' },
} as const;

export function renderError(error: ApiError, lang: Language): string {
  const l = LABELS[lang];
  const lines = [`${l.error} [${error.code}]: ${error.message[lang]}`, `${l.remedy}: ${error.remedy[lang]}`];
  if (error.detail) lines.push(`${l.detail}: ${error.detail}`);
  return lines.join('\n');
}

export function renderEngineStatus(s: EngineStatus, lang: Language): string {
  const l = LABELS[lang];
  return [
    `${l.version}: ${s.serverVersion}`,
    `${l.api}: ${s.apiVersion}`,
    `${l.driver}: ${s.storageDriver}`,
    `${l.running}: ${s.containersRunning} / ${s.containersTotal}`,
    `${l.socket}: ${s.socket}`,
  ].join('\n');
}

export const formatBytes = (n: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
};

/** One line per progress event, e.g. "[2/5] 导入镜像  40%  80.0 MiB / 200.0 MiB". */
export function renderProgress(e: OperationEvent, lang: Language): string | undefined {
  if (e.type !== 'progress') return undefined;
  const parts: string[] = [];
  if (e.step) parts.push(`[${e.step.index + 1}/${e.step.count}] ${e.step.label[lang]}`);
  if (e.percent !== undefined) parts.push(`${e.percent.toFixed(0)}%`);
  if (e.bytesDone !== undefined) parts.push(e.bytesTotal ? `${formatBytes(e.bytesDone)} / ${formatBytes(e.bytesTotal)}` : formatBytes(e.bytesDone));
  if (e.log) parts.push(e.log);
  return parts.join('  ');
}
