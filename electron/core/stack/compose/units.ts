/** Compose's duration ("1m30s", "500ms") in nanoseconds, or undefined when not one. */
export function parseDurationNs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value * 1e9);
  if (typeof value !== 'string') return undefined;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g;
  const units: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3, ns: 1 };
  let total = 0;
  let consumed = 0;
  for (const m of value.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    consumed += m[0].length;
  }
  return consumed === value.length && consumed > 0 ? Math.round(total) : undefined;
}

/** Compose's byte size ("512m", "2g", "1024", "1.5GB") in bytes, or undefined. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!m) return undefined;
  const mult: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return Math.round(Number(m[1]) * mult[m[2]!.toLowerCase()]!);
}
