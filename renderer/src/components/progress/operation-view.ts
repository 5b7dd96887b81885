import type { ApiError, LocalizedText, OperationEvent } from '../../contract';
import { clampPercent, etaSeconds, rateFrom, type Sample } from './progress-format';

/** What the progress component shows, folded from an operation's events. */
export interface OperationView {
  operationId: string;
  phase: 'waiting' | 'running' | 'succeeded' | 'failed' | 'interrupted';
  step?: { label: LocalizedText; index: number; count: number };
  percent: number;
  bytesDone?: number;
  bytesTotal?: number;
  /** The most recent log lines; `logsDropped` counts older ones no longer kept. */
  logs: string[];
  logsDropped: number;
  /** Recent samples of bytes (when the operation reports bytes) and of percent. */
  byteSamples: Sample[];
  percentSamples: Sample[];
  firstAt?: number;
  lastAt?: number;
  error?: ApiError;
  result?: unknown;
}

/** A browser tab keeps up to this many log lines per operation; the journal has them all. */
export const MAX_LOG_LINES = 500;
const MAX_SAMPLES = 120;

export const initialView = (operationId: string): OperationView => ({
  operationId,
  phase: 'waiting',
  percent: 0,
  logs: [],
  logsDropped: 0,
  byteSamples: [],
  percentSamples: [],
});

const pushSample = (samples: Sample[], sample: Sample): Sample[] => [...samples, sample].slice(-MAX_SAMPLES);

/** Applies one event; pure, so a replay after reload builds exactly the same view. */
export function applyEvent(view: OperationView, event: OperationEvent, maxLines = MAX_LOG_LINES): OperationView {
  const at = Date.parse(event.at);
  const next: OperationView = { ...view, firstAt: view.firstAt ?? at, lastAt: at };
  if (event.type === 'done') return { ...next, phase: 'succeeded', percent: 100, result: event.result };
  if (event.type === 'failed') return { ...next, phase: 'failed', error: event.error };
  next.phase = view.phase === 'waiting' ? 'running' : view.phase;
  if (event.step) next.step = { label: event.step.label, index: event.step.index, count: event.step.count };
  if (event.percent !== undefined) {
    next.percent = clampPercent(event.percent);
    next.percentSamples = pushSample(view.percentSamples, { at, value: event.percent });
  }
  if (event.bytesTotal !== undefined) next.bytesTotal = event.bytesTotal;
  if (event.bytesDone !== undefined) {
    next.bytesDone = event.bytesDone;
    next.byteSamples = pushSample(view.byteSamples, { at, value: event.bytesDone });
    if (event.percent === undefined && next.bytesTotal) next.percent = clampPercent((event.bytesDone / next.bytesTotal) * 100);
  }
  if (event.log !== undefined) {
    const logs = [...view.logs, ...event.log.split('\n')];
    const over = Math.max(0, logs.length - maxLines);
    next.logs = over ? logs.slice(over) : logs;
    next.logsDropped = view.logsDropped + over;
  }
  return next;
}

/** Seconds left: from the byte rate when the operation reports bytes, else from the percent rate. */
export function viewEta(view: OperationView): number | undefined {
  if (view.phase !== 'running') return undefined;
  if (view.bytesTotal && view.bytesDone !== undefined) return etaSeconds(view.bytesDone, view.bytesTotal, rateFrom(view.byteSamples));
  return etaSeconds(view.percent, 100, rateFrom(view.percentSamples));
}

/** Bytes per second, when the operation reports bytes. */
export const viewByteRate = (view: OperationView): number | undefined => (view.phase === 'running' ? rateFrom(view.byteSamples) : undefined);
