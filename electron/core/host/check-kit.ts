import { text, type ApiError, type HostCheckCategory, type HostCheckId, type HostCheckResult, type LocalizedText, type MeasuredValue } from '../contract';
import type { Fact, FactSource, HostFacts } from './facts';

/** What a check says about the facts (the registry adds id, category and title). */
export interface CheckOutcome {
  result: HostCheckResult;
  measured: MeasuredValue;
  measuredText: string;
  threshold: LocalizedText | null;
  message: LocalizedText;
  remedy: LocalizedText | null;
  details?: Record<string, MeasuredValue>;
}

/**
 * One preflight check (the Rancher Desktop diagnostics / troubleshoot analyzer shape):
 * a stable id, the facts it needs, and a pure evaluation of them.
 */
export interface HostCheck {
  id: HostCheckId;
  category: HostCheckCategory;
  title: LocalizedText;
  needs: FactSource[];
  run(facts: HostFacts): CheckOutcome;
}

export const outcome = (
  result: HostCheckResult,
  measured: MeasuredValue,
  measuredText: string,
  message: LocalizedText,
  extra: { threshold?: LocalizedText | null; remedy?: LocalizedText | null; details?: Record<string, MeasuredValue> } = {},
): CheckOutcome => ({
  result,
  measured,
  measuredText,
  message,
  threshold: extra.threshold ?? null,
  remedy: result === 'pass' ? (extra.remedy ?? null) : (extra.remedy ?? text('见故障排除文档。', 'See the troubleshooting guide.')),
  ...(extra.details ? { details: extra.details } : {}),
});

/** A fact that could not be read: the check reports an error with that fact's own remedy. */
export const notMeasured = (error: ApiError, what: LocalizedText): CheckOutcome => ({
  result: 'error',
  measured: null,
  measuredText: error.code,
  threshold: null,
  message: text(`无法测量${what['zh-CN']}：${error.message['zh-CN']}`, `Could not measure ${what.en}: ${error.message.en}`),
  remedy: error.remedy,
  details: error.detail ? { detail: error.detail } : undefined,
});

/** Unwraps a fact, or returns the error outcome for it. */
export function need<T>(fact: Fact<T> | undefined, what: LocalizedText): T | CheckOutcome {
  if (!fact) return notMeasured({ code: 'INTERNAL', message: text('未收集该信息。', 'the fact was not collected.'), remedy: text('导出诊断包并联系技术支持。', 'Export a diagnostics bundle and contact support.') }, what);
  return fact.ok ? fact.value : notMeasured(fact.error, what);
}

export const isOutcome = (v: unknown): v is CheckOutcome => !!v && typeof v === 'object' && 'result' in v && 'measuredText' in v;

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export const GiB = 1024 ** 3;
