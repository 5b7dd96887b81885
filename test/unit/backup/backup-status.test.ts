import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackupContext } from '../../../electron/core/backup/backup-context';
import { backupStatus } from '../../../electron/core/backup/backup-status';
import { RunsStore } from '../../../electron/core/backup/runs-store';
import { ScheduleStore } from '../../../electron/core/backup/schedule/schedule-store';
import { staleness } from '../../../electron/core/backup/schedule/staleness';
import type { Clock } from '../../../electron/core/clock';
import { BackupStatus, DEFAULT_SCHEDULES, fail, toApiError, type Schedule } from '../../../electron/core/contract';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';

// Schedules are host local time: pin a hospital's zone so "daily 02:00" has one answer.
process.env.TZ = 'Asia/Shanghai';

const MIN = 60_000;
const HOUR = 60 * MIN;

class FakeClock implements Clock {
  constructor(public t: Date) {}
  now(): Date {
    return new Date(this.t);
  }
}

describe('backup.status on a fake clock (real state database, no repository)', () => {
  const tmp = makeTempDir('backup-status');
  const db = openState(tmp.dir);
  const clock = new FakeClock(new Date('2026-03-01T00:30:00Z'));
  // Status never talks to the engine; the client only satisfies the context's shape.
  const ctx = new BackupContext(db, tmp.dir, clock, new Docker({ socketPath: '/nonexistent.sock' }));
  const runs = new RunsStore(db);
  const schedules = new ScheduleStore(db);
  const target = (id = 'usb') => backupStatus(ctx).targets.find((x) => x.targetId === id)!;
  const addTarget = (id: string, list: Schedule[] = DEFAULT_SCHEDULES) => {
    ctx.targets.insert(id, { kind: 'local', path: `/mnt/${id}` }, 'repo-1', clock.now().toISOString());
    schedules.set(id, list, clock.now());
  };
  const backup = (id: string, at: string, outcome: 'ok' | 'fail', end = at) => {
    const run = runs.start({ targetId: id, kind: 'backup', trigger: 'schedule', scheduleName: 'hourly', at, setId: `set-${at}` });
    if (outcome === 'ok') runs.finish(run, end, { ok: true, setId: `set-${at}`, summary: { durationMs: 42_000, totalBytes: 5_000_000, addedBytes: 120_000 } });
    else runs.finish(run, end, { ok: false, error: toApiError(fail('BACKUP_TARGET_UNREACHABLE', { target: id })) });
  };

  beforeAll(() => {
    expect(new Date('2026-03-01T00:00:00Z').getTimezoneOffset(), 'TZ must apply to this worker').toBe(-480);
  });
  afterEach(() => {
    db.prepare('DELETE FROM backup_runs').run();
    db.prepare('DELETE FROM backup_schedules').run();
    db.prepare('DELETE FROM backup_targets').run();
    clock.t = new Date('2026-03-01T00:30:00Z');
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('answers an empty list when no target is configured', () => {
    expect(backupStatus(ctx)).toEqual({ targets: [] });
  });

  it("gives every enabled schedule's next run from now, soonest first, in the host's zone", () => {
    addTarget('usb');
    const st = target();
    BackupStatus.parse(backupStatus(ctx));
    // 00:30Z is 08:30 in Shanghai: hourly at 09:00 (01:00Z), daily 02:00 tomorrow (18:00Z today), drill Sunday 04:00 (Sat 20:00Z).
    expect(st.nextRuns).toEqual([
      { schedule: 'hourly', cron: '0 * * * *', at: '2026-03-01T01:00:00.000Z' },
      { schedule: 'daily', cron: '0 2 * * *', at: '2026-03-01T18:00:00.000Z' },
      { schedule: 'drill', cron: '0 4 * * 0', at: '2026-03-07T20:00:00.000Z' },
    ]);
    expect(st.nextRun).toEqual({ schedule: 'hourly', at: '2026-03-01T01:00:00.000Z' });
    clock.t = new Date('2026-03-01T01:00:00Z'); // exactly on a slot: the next one, not this one
    expect(target().nextRun?.at).toBe('2026-03-01T02:00:00.000Z');
    expect(target().lastRun).toBeNull();
    expect(target().lastDrill).toBeNull();
  });

  it('counts a target that never had a good backup from its creation', () => {
    addTarget('usb');
    clock.t = new Date(Date.parse('2026-03-01T00:30:00Z') + 2 * HOUR);
    expect(target().stale).toBe(false);
    clock.t = new Date(Date.parse('2026-03-01T00:30:00Z') + 2 * HOUR + 1);
    expect(target()).toMatchObject({ stale: true, problems: ['stale'], lastGood: null, staleness: { since: '2026-03-01T00:30:00.000Z', schedule: 'hourly' } });
  });

  it('hourly: overdue one hour of grace after the next slot should have produced a good set', () => {
    addTarget('usb');
    backup('usb', '2026-03-01T03:10:00.000Z', 'ok', '2026-03-01T03:10:42.000Z');
    clock.t = new Date('2026-03-01T05:10:00Z');
    const fresh = target();
    expect(fresh.staleness).toEqual({ schedule: 'hourly', intervalMs: HOUR, graceMs: HOUR, allowedMs: 2 * HOUR, since: '2026-03-01T03:10:00.000Z', ageMs: 2 * HOUR, stale: false });
    expect(fresh.problems).toEqual([]);
    expect(fresh.lastRun).toEqual({
      state: 'succeeded',
      at: '2026-03-01T03:10:00.000Z',
      code: null,
      endedAt: '2026-03-01T03:10:42.000Z',
      durationMs: 42_000,
      totalBytes: 5_000_000,
      addedBytes: 120_000,
      setId: 'set-2026-03-01T03:10:00.000Z',
      schedule: 'hourly',
    });
    clock.t = new Date('2026-03-01T05:10:00.001Z');
    expect(target()).toMatchObject({ stale: true, problems: ['stale'] });
  });

  it('daily only: 25 hours; every 5 minutes: the grace shrinks to one interval (10 minutes)', () => {
    addTarget('day', [{ name: 'daily', cron: '0 2 * * *', profile: 'full', enabled: true, keepDays: 30 }, { name: 'hourly', cron: '0 * * * *', profile: 'online', enabled: false, keepDays: 7 }]);
    addTarget('fast', [{ name: 'often', cron: '*/5 * * * *', profile: 'online', enabled: true, keepDays: 1 }]);
    backup('day', '2026-03-01T00:30:00.000Z', 'ok');
    backup('fast', '2026-03-01T00:30:00.000Z', 'ok');
    clock.t = new Date(Date.parse('2026-03-01T00:30:00Z') + 25 * HOUR);
    expect(target('day').staleness).toMatchObject({ schedule: 'daily', allowedMs: 25 * HOUR, stale: false });
    clock.t = new Date(Date.parse('2026-03-01T00:30:00Z') + 10 * MIN);
    expect(target('fast').staleness).toMatchObject({ intervalMs: 5 * MIN, graceMs: 5 * MIN, allowedMs: 10 * MIN, stale: false });
    clock.t = new Date(Date.parse('2026-03-01T00:30:00Z') + 10 * MIN + 1000);
    expect(target('fast').stale).toBe(true);
    expect(target('day').stale).toBe(false);
  });

  it('the drill schedule makes no backups: alone, or with every backup schedule off, nothing is stale', () => {
    addTarget('usb', [
      { name: 'drill', cron: '* * * * *', profile: 'online', enabled: true, keepDays: 1 },
      { name: 'daily', cron: '0 2 * * *', profile: 'full', enabled: false, keepDays: 30 },
    ]);
    clock.t = new Date('2026-09-01T00:00:00Z');
    expect(target()).toMatchObject({ stale: false, staleness: null, problems: [] });
    expect(target().nextRuns.map((n) => n.schedule)).toEqual(['drill']);
  });

  it('a failed newest run is a problem with its code and duration even while the last good set is recent; a good run clears it', () => {
    addTarget('usb');
    backup('usb', '2026-03-01T01:00:00.000Z', 'ok');
    backup('usb', '2026-03-01T02:00:00.000Z', 'fail', '2026-03-01T02:00:03.000Z');
    clock.t = new Date('2026-03-01T02:01:00Z');
    expect(target()).toMatchObject({
      stale: false,
      problems: ['last-run-failed'],
      lastGood: { time: '2026-03-01T01:00:00.000Z' },
      lastRun: { state: 'failed', code: 'BACKUP_TARGET_UNREACHABLE', durationMs: 3000, totalBytes: null },
    });
    clock.t = new Date('2026-03-01T04:00:00.001Z'); // and two hours after the last good one, also stale
    expect(target().problems).toEqual(['stale', 'last-run-failed']);
    backup('usb', '2026-03-01T04:00:00.000Z', 'ok');
    expect(target().problems).toEqual([]);
  });

  it('a slot the agent missed counts as a failed run', () => {
    addTarget('usb');
    backup('usb', '2026-03-01T01:00:00.000Z', 'ok');
    runs.missed({ targetId: 'usb', scheduleName: 'hourly', dueAt: '2026-03-01T02:00:00.000Z' });
    clock.t = new Date('2026-03-01T02:30:00Z');
    expect(target()).toMatchObject({ problems: ['last-run-failed'], lastRun: { state: 'missed', durationMs: null, schedule: 'hourly' } });
  });

  it('reports the newest finished drill: when, which set, passed or not', () => {
    addTarget('usb');
    const pass = runs.start({ targetId: 'usb', kind: 'drill', trigger: 'schedule', at: '2026-03-01T01:00:00.000Z', setId: 's1' });
    runs.finish(pass, '2026-03-01T01:02:00.000Z', { ok: true, setId: 's1', summary: { passed: true } });
    expect(target().lastDrill).toEqual({ at: '2026-03-01T01:00:00.000Z', passed: true, setId: 's1', code: null });
    const bad = runs.start({ targetId: 'usb', kind: 'drill', trigger: 'manual', at: '2026-03-01T02:00:00.000Z', setId: 's2' });
    runs.finish(bad, '2026-03-01T02:02:00.000Z', { ok: true, setId: 's2', summary: { passed: false } });
    expect(target().lastDrill).toMatchObject({ at: '2026-03-01T02:00:00.000Z', passed: false, setId: 's2' });
    // One still running (this process) does not hide the last finished result.
    runs.start({ targetId: 'usb', kind: 'drill', trigger: 'manual', at: '2026-03-01T03:00:00.000Z', setId: 's3' });
    expect(target().lastDrill?.setId).toBe('s2');
  });
});

describe('the staleness rule alone', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('picks the most frequent enabled backup schedule', () => {
    const v = staleness(
      [
        { name: 'daily', cron: '0 2 * * *', enabled: true },
        { name: 'quarter', cron: '*/15 * * * *', enabled: true },
        { name: 'minutely', cron: '* * * * *', enabled: false },
      ],
      '2026-03-01T11:30:00.000Z',
      '2026-01-01T00:00:00.000Z',
      now,
    );
    expect(v).toEqual({ schedule: 'quarter', intervalMs: 15 * MIN, graceMs: 15 * MIN, allowedMs: 30 * MIN, since: '2026-03-01T11:30:00.000Z', ageMs: 30 * MIN, stale: false });
  });
  it('never reports a negative age (a backup stamped by a clock ahead of this one)', () => {
    expect(staleness([{ name: 'hourly', cron: '0 * * * *', enabled: true }], '2026-03-01T13:00:00.000Z', '2026-01-01T00:00:00.000Z', now)?.ageMs).toBe(0);
  });
});
