/** Locale-aware figures for the backup summary; Intl carries the units, so no catalogue keys. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** The largest unit that fits, rounded down: "2 hours", not "1.9 hours". */
function largest(ms: number): [Intl.RelativeTimeFormatUnit, number] {
  const abs = Math.abs(ms);
  for (const [unit, size] of UNITS) if (abs >= size) return [unit, Math.trunc(ms / size)];
  return ['second', 0];
}

export function formatSpan(ms: number, language: string): string {
  const [unit, n] = largest(ms);
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(Math.abs(n));
}

/** "3 minutes ago" / "in 2 hours" against the given now (the status answer's time). */
export function formatRelative(iso: string, now: Date, language: string): string {
  const [unit, n] = largest(new Date(iso).getTime() - now.getTime());
  return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(n, unit);
}

export function formatTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}

export function formatDuration(ms: number, language: string): string {
  return ms < 60_000 ? new Intl.NumberFormat(language, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 }).format(ms / 1000) : formatSpan(ms, language);
}
