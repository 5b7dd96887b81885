import { createHash } from 'node:crypto';
import type { DiagnosticsManifestEntry } from '../../contract';
import type { BundlePart } from './bundle-part';
import { makeVerbatimScrubber, redactJson, redactText } from './redact';

export interface RedactedFile {
  path: string;
  data: Buffer;
  entry: DiagnosticsManifestEntry;
}

/** Shape rules first (per part kind), then the verbatim pass with every known secret value. */
export function redactParts(parts: BundlePart[], secrets: string[]): RedactedFile[] {
  // A secret inside a JSON string is written escaped; look for that spelling too.
  const scrub = makeVerbatimScrubber([...secrets, ...secrets.map((s) => JSON.stringify(s).slice(1, -1))]);
  return parts.map((p) => {
    let text: string;
    let names: string[];
    if ('json' in p) {
      const r = redactJson(p.json);
      text = `${JSON.stringify(r.value, null, 2)}\n`;
      names = r.names;
    } else {
      const r = redactText(p.text);
      text = r.text;
      names = r.names;
    }
    const v = scrub(text);
    const data = Buffer.from(v.text, 'utf8');
    const redacted = [...new Set([...names, ...v.names])].sort();
    return { path: p.path, data, entry: { path: p.path, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), redacted } };
  });
}
