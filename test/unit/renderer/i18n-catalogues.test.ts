import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../renderer/src/i18n/language';

const I18N = path.resolve(__dirname, '../../../renderer/src/i18n');
// Leaf texts as [path, value]; paths joined with '/', since some keys (operation kinds) contain dots.
const leaves = (obj: unknown, prefix: string[] = []): [string, unknown][] =>
  obj && typeof obj === 'object' ? Object.entries(obj).flatMap(([k, v]) => leaves(v, [...prefix, k])) : [[prefix.join('/'), obj]];
const read = (lang: string, file: string) => JSON.parse(fs.readFileSync(path.join(I18N, lang, file), 'utf8')) as Record<string, unknown>;

describe('renderer catalogues', () => {
  const zh = fs.readdirSync(path.join(I18N, 'zh-CN')).filter((f) => f.endsWith('.json')).sort();
  const en = fs.readdirSync(path.join(I18N, 'en')).filter((f) => f.endsWith('.json')).sort();

  it('has every namespace in both languages', () => {
    expect(zh.length).toBeGreaterThan(0);
    expect(en).toEqual(zh);
  });

  it.each(zh)('%s has the same keys and no empty texts in zh-CN and en', (file) => {
    const zh = leaves(read('zh-CN', file));
    const en = leaves(read('en', file));
    expect(en.map(([k]) => k).sort()).toEqual(zh.map(([k]) => k).sort());
    for (const [k, value] of [...zh, ...en]) {
      expect(typeof value === 'string' && value.trim().length > 0, `${file} ${k}`).toBe(true);
    }
  });

  it('gives every page namespace the nav and title the layout reads', () => {
    const pages = fs.readFileSync(path.resolve(I18N, '../routes.tsx'), 'utf8').matchAll(/ns: '([^']+)'/g);
    for (const [, ns] of pages) {
      for (const lang of ['zh-CN', 'en']) {
        const catalogue = read(lang, `${ns}.json`);
        expect(typeof catalogue.nav, `${lang}/${ns}.json nav`).toBe('string');
        expect(typeof catalogue.title, `${lang}/${ns}.json title`).toBe('string');
      }
    }
  });

  it('defaults to Chinese for any Chinese locale and English otherwise', () => {
    expect(detectLanguage('zh-CN')).toBe('zh-CN');
    expect(detectLanguage('zh')).toBe('zh-CN');
    expect(detectLanguage('zh-TW')).toBe('zh-CN');
    expect(detectLanguage('ZH-hans')).toBe('zh-CN');
    expect(detectLanguage('en-US')).toBe('en');
    expect(detectLanguage('de')).toBe('en');
    expect(detectLanguage(undefined)).toBe('en');
  });
});
