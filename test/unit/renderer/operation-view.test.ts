import { describe, expect, it } from 'vitest';
import { applyEvent, initialView, viewByteRate, viewEta } from '../../../renderer/src/components/progress/operation-view';
import { apiError, text, type OperationEvent } from '../../../electron/core/contract';

const id = 'op_0123456789abcdef';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const progress = (seq: number, s: number, fields: Partial<Extract<OperationEvent, { type: 'progress' }>>): OperationEvent => ({
  type: 'progress',
  operationId: id,
  seq,
  at: at(s),
  ...fields,
});

describe('folding operation events into the progress view', () => {
  it('follows steps, percent and log lines, then success', () => {
    const events: OperationEvent[] = [
      progress(0, 0, { step: { id: 'a', label: text('第一步', 'First'), index: 0, count: 2 }, percent: 0, log: 'one' }),
      progress(1, 2, { step: { id: 'b', label: text('第二步', 'Second'), index: 1, count: 2 }, percent: 50, log: 'two\nthree' }),
      { type: 'done', operationId: id, seq: 2, at: at(4), result: { steps: 2 } },
    ];
    const mid = events.slice(0, 2).reduce((v, e) => applyEvent(v, e), initialView(id));
    expect(mid.phase).toBe('running');
    expect(mid.step).toEqual({ label: text('第二步', 'Second'), index: 1, count: 2 });
    expect(mid.percent).toBe(50);
    expect(mid.logs).toEqual(['one', 'two', 'three']);
    expect(viewEta(mid)).toBe(2); // 50 % in 2 s → 50 % left takes 2 s

    const end = applyEvent(mid, events[2] as OperationEvent);
    expect(end.phase).toBe('succeeded');
    expect(end.percent).toBe(100);
    expect(end.result).toEqual({ steps: 2 });
    expect(viewEta(end)).toBeUndefined();
    expect((end.lastAt ?? 0) - (end.firstAt ?? 0)).toBe(4000);
  });

  it('uses bytes for percent, rate and ETA when the operation reports them', () => {
    let v = initialView(id);
    v = applyEvent(v, progress(0, 0, { bytesDone: 0, bytesTotal: 1000 }));
    v = applyEvent(v, progress(1, 2, { bytesDone: 200 }));
    expect(v.percent).toBe(20);
    expect(v.bytesTotal).toBe(1000);
    expect(viewByteRate(v)).toBe(100);
    expect(viewEta(v)).toBe(8);
  });

  it('keeps only the newest log lines and counts the dropped ones', () => {
    let v = initialView(id);
    for (let i = 0; i < 7; i++) v = applyEvent(v, progress(i, i, { log: `line ${i}` }), 5);
    expect(v.logs).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(v.logsDropped).toBe(2);
  });

  it('ends in failure with the error value', () => {
    const error = apiError('ENGINE_NOT_RUNNING', { socket: '/var/run/docker.sock' });
    const v = applyEvent(initialView(id), { type: 'failed', operationId: id, seq: 0, at: at(1), error });
    expect(v.phase).toBe('failed');
    expect(v.error?.code).toBe('ENGINE_NOT_RUNNING');
  });
});
