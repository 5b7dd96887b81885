import type { Language } from '../../contract';

/** One observation of a growing quantity (bytes copied, percent done) at a time in ms. */
export interface Sample {
  at: number;
  value: number;
}

/** How far back the rate looks: long enough to smooth bursts, short enough to follow a slowdown. */
export const RATE_WINDOW_MS = 20_000;

/**
 * Units per second over the recent window, from the journal's own timestamps (so a page
 * reloaded mid-way computes the same rate from the replayed events). Undefined until two
 * samples at different times show progress.
 */
export function rateFrom(samples: readonly Sample[], windowMs = RATE_WINDOW_MS): number | undefined {
  const last = samples[samples.length - 1];
  if (!last) return undefined;
  const first = samples.find((s) => last.at - s.at <= windowMs);
  if (!first || last.at <= first.at || last.value <= first.value) return undefined;
  return ((last.value - first.value) * 1000) / (last.at - first.at);
}

/** Seconds left at `rate`; 0 when done, undefined when the rate is unknown. */
export function etaSeconds(done: number, total: number, rate: number | undefined): number | undefined {
  if (done >= total) return 0;
  if (!rate || rate <= 0 || !Number.isFinite(rate)) return undefined;
  return (total - done) / rate;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 1536 → "1.5 KiB": binary units, as `du -h` and `docker images` readers expect. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  // Trim trailing zeros so 2 MiB does not read "2.00 MiB".
  return `${Number(value.toFixed(digits))} ${BYTE_UNITS[unit]}`;
}

const DURATION_UNITS: Record<Language, { h: string; m: string; s: string; sep: string }> = {
  'zh-CN': { h: ' 小时', m: ' 分', s: ' 秒', sep: ' ' },
  en: { h: ' h', m: ' min', s: ' s', sep: ' ' },
};

/** 125 → "2 min 5 s" / "2 分 5 秒"; at most two units, rounded up so an ETA never promises too little. */
export function formatDuration(seconds: number, language: Language): string {
  const u = DURATION_UNITS[language];
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.max(1, Math.ceil(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h}${u.h}${u.sep}${m}${u.m}` : `${h}${u.h}`;
  if (m > 0) return s > 0 ? `${m}${u.m}${u.sep}${s}${u.s}` : `${m}${u.m}`;
  return `${s}${u.s}`;
}

/** A percent for the bar: clamped to 0–100, whole numbers. */
export const clampPercent = (p: number | undefined): number => (p === undefined || !Number.isFinite(p) ? 0 : Math.min(100, Math.max(0, Math.round(p))));
