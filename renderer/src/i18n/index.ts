import i18n, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES } from '../contract';
import { detectLanguage } from './language';

// Every catalogue file is picked up here: <language>/<namespace>.json. A page adds its own
// namespace file in both language folders and nothing else needs editing.
const files = import.meta.glob<{ default: Record<string, unknown> }>('./*/*.json', { eager: true });

const resources: Resource = {};
for (const [file, mod] of Object.entries(files)) {
  const match = /^\.\/([^/]+)\/([^/]+)\.json$/.exec(file);
  if (!match) continue;
  const [, language, namespace] = match as unknown as [string, string, string];
  (resources[language] ??= {})[namespace] = mod.default;
}

export const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))];

void i18n.use(initReactI18next).init({
  resources,
  lng: detectLanguage(navigator.language),
  supportedLngs: [...LANGUAGES],
  fallbackLng: 'en',
  ns: namespaces,
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
});

// Screen readers and the browser's font choice follow the page language.
const markDocument = (language: string) => document.documentElement.setAttribute('lang', language);
markDocument(i18n.language);
i18n.on('languageChanged', markDocument);

export default i18n;
