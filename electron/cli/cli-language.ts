import type { Language } from '../core/contract';

/** Chinese system locales get Chinese output; everything else English. */
export function languageFromLocale(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}
