import { describe, expect, it } from 'vitest';
import { languageFromLocale } from '../../../electron/cli/cli-language';
import { exitCodeFor } from '../../../electron/cli/exit-codes';
import { formatBytes, renderError, renderProgress } from '../../../electron/cli/render-text';
import { apiError } from '../../../electron/core/contract';

describe('CLI rendering', () => {
  it('prints code, message, remedy and detail in the chosen language', () => {
    const e = apiError('ENGINE_PERMISSION_DENIED', { socket: '/var/run/docker.sock' }, 'connect EACCES');
    expect(renderError(e, 'en')).toBe(
      'Error [ENGINE_PERMISSION_DENIED]: Permission denied on the Docker engine socket /var/run/docker.sock.\n' +
        `How to fix: ${e.remedy.en}\nDetail: connect EACCES`,
    );
    expect(renderError(e, 'zh-CN')).toContain('解决办法');
  });

  it('renders progress with step, percent and bytes', () => {
    const line = renderProgress(
      { type: 'progress', operationId: 'op_12345678', seq: 1, at: '', step: { id: 'a', label: { 'zh-CN': '导入镜像', en: 'Import images' }, index: 1, count: 4 }, percent: 40, bytesDone: 80 * 1024 ** 2, bytesTotal: 200 * 1024 ** 2 },
      'zh-CN',
    );
    expect(line).toBe('[2/4] 导入镜像  40%  80.0 MiB / 200.0 MiB');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('picks Chinese on a Chinese locale and maps error codes to documented exit codes', () => {
    expect(languageFromLocale({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(languageFromLocale({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(exitCodeFor('ENGINE_NOT_RUNNING')).toBe(4);
    expect(exitCodeFor('INVALID_REQUEST')).toBe(3);
    expect(exitCodeFor('INTERNAL')).toBe(5);
  });
});
