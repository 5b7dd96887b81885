import { afterEach, describe, expect, it } from 'vitest';
import { fail, type OperationEvent } from '../../../electron/core/contract';
import { OperationHub } from '../../../electron/core/operations/operation-hub';
import { openState, type StateDb } from '../../../electron/core/state/open-state';
import { systemClock } from '../../../electron/core/clock';
import { makeTempDir } from '../../support/temp-dir';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(): { dir: string; db: StateDb; hub: OperationHub } {
  const t = makeTempDir('ops');
  const db = openState(t.dir);
  cleanups.push(() => {
    db.close();
    t.cleanup();
  });
  return { dir: t.dir, db, hub: new OperationHub(db, systemClock) };
}

const countTo = (n: number) => async (ctx: Parameters<Parameters<OperationHub['start']>[2]>[0]) => {
  for (let i = 0; i < n; i++) {
    ctx.progress({ percent: (i / n) * 100, bytesDone: i * 10, bytesTotal: n * 10, log: `line ${i}` });
    await new Promise((r) => setTimeout(r, 5));
  }
  return { counted: n };
};

describe('operation hub', () => {
  it('journals every event and ends with the result', async () => {
    const { hub } = setup();
    const id = hub.start('test.count', { n: 3 }, countTo(3));
    const last = await hub.waitFor(id);
    expect(last).toMatchObject({ type: 'done', result: { counted: 3 } });
    const snap = hub.get(id);
    expect(snap.state).toBe('succeeded');
    expect(snap.events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(snap.events[1]).toMatchObject({ type: 'progress', bytesDone: 10, log: 'line 1' });
  });

  it('lets a late subscriber replay what it missed, then stream the rest, without duplicates', async () => {
    const { hub } = setup();
    const id = hub.start('test.count', {}, countTo(6));
    await new Promise((r) => setTimeout(r, 15));
    const seen: OperationEvent[] = [];
    await hub.waitFor(id, (e) => seen.push(e));
    expect(seen.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('records a failure as an error value with its code', async () => {
    const { hub } = setup();
    const id = hub.start('test.fail', {}, async () => {
      throw fail('ENGINE_NOT_RUNNING', { socket: '/x.sock' });
    });
    const last = await hub.waitFor(id);
    expect(last.type).toBe('failed');
    expect(last.type === 'failed' && last.error.code).toBe('ENGINE_NOT_RUNNING');
    expect(hub.get(id).state).toBe('failed');
  });

  it('lets another process attach by id by tailing the journal', async () => {
    const { dir, hub } = setup();
    const id = hub.start('test.count', {}, countTo(8));
    // A second hub on the same database file stands for the CLI in another process.
    const otherDb = openState(dir);
    cleanups.unshift(() => otherDb.close());
    const other = new OperationHub(otherDb, systemClock, process.pid + 1_000_000);
    const seen: number[] = [];
    const last = await new Promise<OperationEvent>((resolve) => {
      const detach = other.attach(id, (e) => {
        seen.push(e.seq);
        if (e.type !== 'progress') {
          detach();
          resolve(e);
        }
      }, 10);
    });
    expect(last.type).toBe('done');
    expect(seen).toEqual([...Array(9).keys()]);
  });

  it('marks an operation of a killed process as interrupted on the next start', () => {
    const { db } = setup();
    db.prepare("INSERT INTO operations (id, kind, state, pid, started_at, request_json) VALUES ('op_deadbeef00', 'stack.install', 'running', 2147483000, '2026-01-01T00:00:00Z', '{}')").run();
    const hub = new OperationHub(db, systemClock);
    expect(hub.get('op_deadbeef00').state).toBe('interrupted');
  });

  it('answers OPERATION_NOT_FOUND for an unknown id', () => {
    const { hub } = setup();
    expect(() => hub.get('op_0000000000')).toThrowError(/OPERATION_NOT_FOUND/);
  });
});
