import type { Clock } from '../../clock';
import type { StateDb } from '../../state/open-state';

/**
 * Fault injection for the crash tests: MEDAI_FAULT_AT=<step>:<begin|end> makes the process
 * SIGKILL itself right after that journal record is committed, exactly as a power cut or
 * an OOM kill would. Unset in production; the env var is the only switch.
 */
export function faultHook(env: NodeJS.ProcessEnv = process.env): (step: string, phase: 'begin' | 'end') => void {
  const at = env.MEDAI_FAULT_AT;
  if (!at) return () => undefined;
  return (step, phase) => {
    if (at === `${step}:${phase}`) process.kill(process.pid, 'SIGKILL');
  };
}

export interface JournalRecord {
  seq: number;
  step: string;
  phase: 'begin' | 'end' | 'fail';
  at: string;
  data: unknown;
}

/**
 * The step journal of one stack operation: each step is recorded as begun before it acts
 * and as ended after, in SQLite (WAL, synchronous commit), so a restarted manager knows
 * which steps may have half-happened.
 */
export class StepJournal {
  private seq: number;

  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
    readonly operationId: string,
    private readonly fault = faultHook(),
  ) {
    const r = db.prepare('SELECT max(seq) AS s FROM stack_journal WHERE operation_id = ?').get(operationId) as { s: number | null };
    this.seq = (r.s ?? -1) + 1;
  }

  private write(step: string, phase: JournalRecord['phase'], data?: unknown): void {
    this.db
      .prepare('INSERT INTO stack_journal (operation_id, seq, step, phase, at, data_json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(this.operationId, this.seq++, step, phase, this.clock.now().toISOString(), data === undefined ? null : JSON.stringify(data));
  }

  /** Runs one step between its begin and end records; a throw records 'fail' and rethrows. */
  async step<T>(step: string, act: () => Promise<T>, data?: unknown): Promise<T> {
    this.write(step, 'begin', data);
    this.fault(step, 'begin');
    let result: T;
    try {
      result = await act();
    } catch (e) {
      this.write(step, 'fail', { message: (e as Error).message });
      throw e;
    }
    this.write(step, 'end');
    this.fault(step, 'end');
    return result;
  }

  /** Whether a step was begun in this operation (it may have acted, even if it never ended). */
  began(step: string): boolean {
    return this.db.prepare("SELECT 1 FROM stack_journal WHERE operation_id = ? AND step = ? AND phase = 'begin'").get(this.operationId, step) !== undefined;
  }

  ended(step: string): boolean {
    return this.db.prepare("SELECT 1 FROM stack_journal WHERE operation_id = ? AND step = ? AND phase = 'end'").get(this.operationId, step) !== undefined;
  }

  /** The step that failed most recently in this operation. */
  lastFailedStep(): string | null {
    const r = this.db.prepare("SELECT step FROM stack_journal WHERE operation_id = ? AND phase = 'fail' ORDER BY seq DESC LIMIT 1").get(this.operationId) as { step: string } | undefined;
    return r?.step ?? null;
  }

  static records(db: StateDb, operationId: string): JournalRecord[] {
    const rows = db.prepare('SELECT seq, step, phase, at, data_json FROM stack_journal WHERE operation_id = ? ORDER BY seq').all(operationId) as {
      seq: number;
      step: string;
      phase: JournalRecord['phase'];
      at: string;
      data_json: string | null;
    }[];
    return rows.map((r) => ({ seq: r.seq, step: r.step, phase: r.phase, at: r.at, data: r.data_json === null ? null : JSON.parse(r.data_json) }));
  }

  static lastStep(db: StateDb, operationId: string): string | null {
    const r = db.prepare('SELECT step, phase FROM stack_journal WHERE operation_id = ? ORDER BY seq DESC LIMIT 1').get(operationId) as { step: string; phase: string } | undefined;
    return r ? `${r.step}:${r.phase}` : null;
  }
}
