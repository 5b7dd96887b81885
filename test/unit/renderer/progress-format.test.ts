import { describe, expect, it } from 'vitest';
import { clampPercent, etaSeconds, formatBytes, formatDuration, rateFrom } from '../../../renderer/src/components/progress/progress-format';

describe('progress formatting', () => {
  it('formats bytes in binary units with sensible precision', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2 * 1024 * 1024)).toBe('2 MiB');
    expect(formatBytes(15.25 * 1024 ** 3)).toBe('15.3 GiB');
    expect(formatBytes(200 * 1024 ** 2)).toBe('200 MiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3 TiB');
    expect(formatBytes(-1)).toBe('–');
    expect(formatBytes(Number.NaN)).toBe('–');
  });

  it('formats durations in both languages with at most two units, rounding up', () => {
    expect(formatDuration(0.2, 'en')).toBe('1 s');
    expect(formatDuration(59.1, 'en')).toBe('1 min');
    expect(formatDuration(125, 'en')).toBe('2 min 5 s');
    expect(formatDuration(125, 'zh-CN')).toBe('2 分 5 秒');
    expect(formatDuration(3600, 'zh-CN')).toBe('1 小时');
    expect(formatDuration(3 * 3600 + 7 * 60 + 9, 'en')).toBe('3 h 7 min');
    expect(formatDuration(Number.POSITIVE_INFINITY, 'en')).toBe('–');
  });

  it('computes the rate over the recent window only, from event timestamps', () => {
    expect(rateFrom([])).toBeUndefined();
    expect(rateFrom([{ at: 0, value: 0 }])).toBeUndefined();
    expect(rateFrom([{ at: 0, value: 0 }, { at: 0, value: 10 }])).toBeUndefined(); // no time passed
    expect(rateFrom([{ at: 0, value: 10 }, { at: 1000, value: 10 }])).toBeUndefined(); // no progress
    expect(rateFrom([{ at: 0, value: 0 }, { at: 2000, value: 100 }])).toBe(50);
    // An early fast burst outside the window does not inflate the rate of a slow finish.
    const samples = [
      { at: 0, value: 0 },
      { at: 1000, value: 1000 },
      { at: 40_000, value: 1100 },
      { at: 50_000, value: 1200 },
    ];
    expect(rateFrom(samples, 20_000)).toBe(10);
  });

  it('estimates the time left, or says nothing without a rate', () => {
    expect(etaSeconds(50, 100, 10)).toBe(5);
    expect(etaSeconds(100, 100, undefined)).toBe(0);
    expect(etaSeconds(10, 100, undefined)).toBeUndefined();
    expect(etaSeconds(10, 100, 0)).toBeUndefined();
    expect(etaSeconds(10, 100, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('clamps percents for the bar', () => {
    expect(clampPercent(undefined)).toBe(0);
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(42.6)).toBe(43);
    expect(clampPercent(140)).toBe(100);
  });
});
