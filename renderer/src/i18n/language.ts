import type { Language } from '../contract';

/** zh-CN for any Chinese browser or desktop locale (zh, zh-CN, zh-TW, zh-Hans…), English otherwise. */
export const detectLanguage = (locale: string | undefined): Language => (locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

/** i18next may report a variant it resolved to; the product speaks exactly two languages. */
export const asLanguage = (value: string | undefined): Language => (value === 'zh-CN' ? 'zh-CN' : 'en');
