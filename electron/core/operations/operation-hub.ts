import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  fail,
  isTerminal,
  OperationEvent,
  toApiError,
  type OperationId,
  type OperationSnapshot,
  type OperationSummary,
  type ProgressUpdate,
} from '../contract';
import type { Clock } from '../clock';
import type { StateDb } from '../state/open-state';
import { processAlive } from './process-alive';

/** What an operation body gets: a way to report progress, and a signal to stop early. */
export interface OperationContext {
  id: OperationId;
  progress(update: ProgressUpdate): void;
  signal: AbortSignal;
}

type Row = { id: string; kind: string; state: OperationSummary['state']; started_at: string; ended_at: string | null; pid: number };

const toSummary = (r: Row): OperationSummary => ({ id: r.id, kind: r.kind, state: r.state, startedAt: r.started_at, endedAt: r.ended_at });

/**
 * Runs long operations and journals every event in SQLite before anyone sees it, so a
 * face in another process (the CLI watching the console's install) can attach by id, and
 * a killed manager leaves a record of where it stopped.
 */
export class OperationHub {
  private readonly live = new EventEmitter();
  private readonly controllers = new Map<string, AbortController>();
  private readonly nextSeq = new Map<string, number>();

  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
    private readonly pid: number = process.pid,
  ) {
    this.live.setMaxListeners(0);
    this.markOrphansInterrupted();
  }

  /** Starts `body` in the background and returns its id at once. */
  start<T>(kind: string, request: unknown, body: (ctx: OperationContext) => Promise<T>): OperationId {
    const id = `op_${randomBytes(8).toString('hex')}` as OperationId;
    this.db
      .prepare('INSERT INTO operations (id, kind, state, pid, started_at, request_json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, kind, 'running', this.pid, this.clock.now().toISOString(), JSON.stringify(request));
    const controller = new AbortController();
    this.controllers.set(id, controller);
    this.nextSeq.set(id, 0);
    const ctx: OperationContext = {
      id,
      signal: controller.signal,
      progress: (update) => this.emit({ ...update, type: 'progress', operationId: id, seq: 0, at: '' }),
    };
    // Deferred so the caller has the id before the first event is emitted.
    setImmediate(() => {
      body(ctx).then(
        (result) => this.finish(id, 'succeeded', { type: 'done', operationId: id, seq: 0, at: '', result }),
        (err: unknown) => this.finish(id, 'failed', { type: 'failed', operationId: id, seq: 0, at: '', error: toApiError(err) }),
      );
    });
    return id;
  }

  cancel(id: string): void {
    this.controllers.get(id)?.abort();
  }

  list(limit: number): OperationSummary[] {
    const rows = this.db.prepare('SELECT * FROM operations ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as Row[];
    return rows.map(toSummary);
  }

  get(id: string): OperationSnapshot {
    const row = this.db.prepare('SELECT * FROM operations WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw fail('OPERATION_NOT_FOUND', { id });
    return { ...toSummary(row), events: this.eventsAfter(id, -1) };
  }

  /**
   * Replays the operation's events, then streams new ones. Operations of this process
   * stream from memory; those of another process are tailed from the journal.
   * Returns a function that detaches.
   */
  attach(id: string, onEvent: (e: OperationEvent) => void, pollMs = 200): () => void {
    const snapshot = this.get(id);
    let lastSeq = -1;
    const deliver = (e: OperationEvent) => {
      if (e.seq <= lastSeq) return;
      lastSeq = e.seq;
      onEvent(e);
    };
    if (this.controllers.has(id)) {
      const listener = (e: OperationEvent) => deliver(e);
      this.live.on(id, listener);
      snapshot.events.forEach(deliver);
      return () => this.live.off(id, listener);
    }
    snapshot.events.forEach(deliver);
    if (snapshot.state !== 'running') return () => undefined;
    const timer = setInterval(() => {
      this.eventsAfter(id, lastSeq).forEach(deliver);
      const state = (this.db.prepare('SELECT state FROM operations WHERE id = ?').get(id) as { state: string }).state;
      if (state !== 'running') clearInterval(timer);
    }, pollMs);
    return () => clearInterval(timer);
  }

  /** Resolves with the final event of an operation (any process). */
  waitFor(id: string, onEvent?: (e: OperationEvent) => void): Promise<OperationEvent> {
    return new Promise((resolve) => {
      const detach = this.attach(id, (e) => {
        onEvent?.(e);
        if (isTerminal(e)) {
          setImmediate(() => detach());
          resolve(e);
        }
      });
    });
  }

  private eventsAfter(id: string, seq: number): OperationEvent[] {
    const rows = this.db
      .prepare('SELECT event_json FROM operation_events WHERE operation_id = ? AND seq > ? ORDER BY seq')
      .all(id, seq) as { event_json: string }[];
    return rows.map((r) => OperationEvent.parse(JSON.parse(r.event_json)));
  }

  private emit(draft: OperationEvent): void {
    const seq = this.nextSeq.get(draft.operationId) ?? 0;
    this.nextSeq.set(draft.operationId, seq + 1);
    const event = OperationEvent.parse({ ...draft, seq, at: this.clock.now().toISOString() });
    this.db.prepare('INSERT INTO operation_events (operation_id, seq, event_json) VALUES (?, ?, ?)').run(event.operationId, seq, JSON.stringify(event));
    this.live.emit(event.operationId, event);
  }

  private finish(id: string, state: 'succeeded' | 'failed', event: OperationEvent): void {
    this.db.transaction(() => {
      this.emit(event);
      this.db.prepare('UPDATE operations SET state = ?, ended_at = ? WHERE id = ?').run(state, this.clock.now().toISOString(), id);
    })();
    this.controllers.delete(id);
    this.nextSeq.delete(id);
  }

  /** An operation left 'running' by a process that no longer exists was killed mid-way. */
  private markOrphansInterrupted(): void {
    const running = this.db.prepare("SELECT * FROM operations WHERE state = 'running'").all() as Row[];
    for (const r of running) {
      if (r.pid !== this.pid && !processAlive(r.pid)) {
        this.db.prepare("UPDATE operations SET state = 'interrupted', ended_at = ? WHERE id = ?").run(this.clock.now().toISOString(), r.id);
      }
    }
  }
}
