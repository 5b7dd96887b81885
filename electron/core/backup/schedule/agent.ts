import os from 'node:os';
import { fail, toApiError } from '../../contract';
import type { BackupContext } from '../backup-context';
import { BackupConfig } from '../backup-config';
import { runRestore } from '../restore/run-restore';
import { RunsStore } from '../runs-store';
import { listSets } from '../snapshot/backup-sets';
import { runBackup } from '../snapshot/run-backup';
import { sendAlert, type AlertEvent } from './alerts';
import { slotsBetween } from './cron';
import { applyRetention } from './retention';
import { ScheduleStore, type StoredSchedule } from './schedule-store';

/** The schedule named "drill" restores the newest good set into scratch containers (weekly by default). */
export const DRILL_SCHEDULE = 'drill';

export interface TickOutcome {
  target: string;
  schedule: string;
  dueAt: string;
  result: 'succeeded' | 'failed' | 'missed';
  code?: string;
}

const quiet = { progress: () => undefined, signal: new AbortController().signal };

/**
 * One pass of the headless agent: for every enabled schedule whose time has come, run it
 * once. Slots that passed while the agent was down are recorded as missed (and alerted),
 * only the newest is run. A run that finds its target busy is not queued behind it:
 * overlapping runs are refused and reported.
 */
export async function agentTick(ctx: BackupContext, now: Date = ctx.clock.now()): Promise<TickOutcome[]> {
  const store = new ScheduleStore(ctx.db);
  const runs = new RunsStore(ctx.db);
  const alerts = new BackupConfig(ctx.db).alerts();
  const host = ctx.options.host ?? os.hostname();
  const outcomes: TickOutcome[] = [];
  const alert = async (e: Omit<AlertEvent, 'host'>) => void (await sendAlert(alerts, { ...e, host }));
  for (const s of store.list().filter((x) => x.enabled)) {
    const slots = slotsBetween(s.cron, new Date(s.lastDueAt ?? now.toISOString()), now);
    const due = slots.at(-1);
    if (!due) continue;
    store.markDue(s.targetId, s.name, due);
    for (const missed of slots.slice(0, -1).slice(-50)) {
      runs.missed({ targetId: s.targetId, scheduleName: s.name, dueAt: missed.toISOString() });
      outcomes.push({ target: s.targetId, schedule: s.name, dueAt: missed.toISOString(), result: 'missed' });
    }
    if (slots.length > 1) await alert({ kind: 'run-missed', target: s.targetId, at: now.toISOString(), title: `备份计划 ${s.name} 错过 ${slots.length - 1} 次 / schedule ${s.name} missed ${slots.length - 1} run(s)`, detail: 'The backup agent was not running at those times.' });
    outcomes.push(await runOne(ctx, s, due, alert));
  }
  return outcomes;
}

async function runOne(ctx: BackupContext, s: StoredSchedule, due: Date, alert: (e: Omit<AlertEvent, 'host'>) => Promise<void>): Promise<TickOutcome> {
  const base = { target: s.targetId, schedule: s.name, dueAt: due.toISOString() };
  try {
    if (s.name === DRILL_SCHEDULE) {
      const latest = (await listSets(ctx.repo(s.targetId))).find((x) => x.status === 'good');
      if (!latest) throw fail('BACKUP_SNAPSHOT_NOT_FOUND', { target: s.targetId, snapshot: 'latest' });
      const report = await runRestore(ctx, { targetId: s.targetId, setId: latest.setId, mode: 'drill', trigger: 'schedule' }, quiet);
      if (!report.passed) await alert({ kind: 'drill-failed', target: s.targetId, at: due.toISOString(), title: '恢复演练未通过 / restore drill failed', detail: latest.setId });
      return { ...base, result: report.passed ? 'succeeded' : 'failed' };
    }
    await runBackup(ctx, { targetId: s.targetId, profile: s.profile, trigger: 'schedule', scheduleName: s.name, time: due }, quiet);
    // Forget what the keep rules drop after every run; reclaim space after full runs only.
    await applyRetention(ctx, s.targetId, { prune: s.profile === 'full', trigger: 'schedule' });
    return { ...base, result: 'succeeded' };
  } catch (e) {
    const error = toApiError(e);
    await alert({ kind: s.name === DRILL_SCHEDULE ? 'drill-failed' : 'backup-failed', target: s.targetId, at: due.toISOString(), title: `备份失败 / backup failed: ${s.name}`, detail: `${error.code}: ${error.message.en}` });
    return { ...base, result: 'failed', code: error.code };
  }
}

/** The agent's loop: ticks until the signal aborts. Runs as a system service (see docs). */
export async function runAgent(ctx: BackupContext, opts: { intervalMs: number; signal: AbortSignal; onTick?: (o: TickOutcome[]) => void }): Promise<void> {
  while (!opts.signal.aborted) {
    opts.onTick?.(await agentTick(ctx));
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, opts.intervalMs);
      opts.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}
