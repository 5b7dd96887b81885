import { HTTP, type Language } from '../../contract';
import type { Face } from '../../api/api-context';

/**
 * Where the local manuals live. The web console serves docs/ under /docs/; the Electron
 * window is dist/renderer/index.html, so docs/ sits two folders up and opens as a file:
 * URL, which main hands to the system viewer (never to the app's own window).
 */
export function docsUrl(face: Face, language: Language, pageHref: string, file = 'README.md'): string {
  return face === 'electron'
    ? new URL(`../../docs/${language}/${file}`, pageHref).toString()
    : new URL(`${HTTP.docs}${language}/${file}`, pageHref).toString();
}
