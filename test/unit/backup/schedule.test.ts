import { describe, expect, it } from 'vitest';
import { alertBody } from '../../../electron/core/backup/schedule/alerts';
import { intervalMs, parseCron, slotsBetween } from '../../../electron/core/backup/schedule/cron';
import { planRetention } from '../../../electron/core/backup/schedule/keep-rules';
import { groupSets } from '../../../electron/core/backup/snapshot/backup-sets';
import { CoreError } from '../../../electron/core/contract';

const DAY = 86_400_000;

describe('cron schedules', () => {
  it('lists the slots between two instants (missed-run detection)', () => {
    const slots = slotsBetween('0 * * * *', new Date('2026-03-01T00:30:00Z'), new Date('2026-03-01T03:10:00Z'));
    expect(slots.map((d) => d.toISOString())).toEqual(['2026-03-01T01:00:00.000Z', '2026-03-01T02:00:00.000Z', '2026-03-01T03:00:00.000Z']);
    expect(intervalMs('0 2 * * *', new Date('2026-03-01T00:00:00Z'))).toBe(DAY);
  });
  it('refuses malformed expressions with a coded error', () => {
    for (const bad of ['0 2 * *', '61 * * * *', 'every day']) {
      expect(() => parseCron(bad)).toThrow(CoreError);
      try {
        parseCron(bad);
      } catch (e) {
        expect((e as CoreError).error.code).toBe('BACKUP_SCHEDULE_INVALID');
      }
    }
  });
});

describe('keep rules', () => {
  const now = new Date('2026-03-31T12:00:00Z');
  const at = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const schedules = [
    { name: 'daily', keepDays: 30 },
    { name: 'hourly', keepDays: 7 },
  ];
  it('keeps each schedule for its own days, manual sets for manualDays, and the newest always', () => {
    const plan = planRetention(
      [
        { setId: 'd-29', time: at(29), status: 'good', schedule: 'daily' },
        { setId: 'd-31', time: at(31), status: 'good', schedule: 'daily' },
        { setId: 'h-6', time: at(6.9), status: 'good', schedule: 'hourly' },
        { setId: 'h-8', time: at(8), status: 'good', schedule: 'hourly' },
        { setId: 'm-5', time: at(5), status: 'good', schedule: null },
        { setId: 'm-40', time: at(40), status: 'good', schedule: null },
        { setId: 'x-1', time: at(1), status: 'incomplete', schedule: 'hourly' },
      ],
      schedules,
      { last: 1, manualDays: 30 },
      now,
    );
    expect(plan.keep.map((k) => k.setId)).toEqual(['m-5', 'h-6', 'd-29']);
    expect(plan.remove.map((r) => r.setId)).toEqual(['h-8', 'd-31', 'm-40', 'x-1']);
    expect(plan.keep[0]!.reasons).toEqual(['newest 1', 'manual: 30 days']);
  });
  it('keeps the full a kept differential is based on, however old, and lets it go with its last differential', () => {
    const sets = [
      { setId: 'h-1', time: at(1), status: 'good' as const, schedule: 'hourly', bases: ['d-35'] },
      { setId: 'h-2', time: at(2), status: 'good' as const, schedule: 'hourly', bases: ['d-35'] },
      { setId: 'h-9', time: at(9), status: 'good' as const, schedule: 'hourly', bases: ['d-40'] },
      { setId: 'd-35', time: at(35), status: 'good' as const, schedule: 'daily' },
      { setId: 'd-40', time: at(40), status: 'good' as const, schedule: 'daily' },
    ];
    const plan = planRetention(sets, schedules, { last: 1, manualDays: 30 }, now);
    expect(plan.keep.map((k) => k.setId)).toEqual(['h-1', 'h-2', 'd-35']);
    expect(plan.keep[2]!.reasons).toEqual(['base of a kept differential']);
    expect(plan.remove.map((r) => r.setId)).toEqual(['h-9', 'd-40']);
  });
  it('never prunes a target empty after a long outage', () => {
    const plan = planRetention([{ setId: 'old', time: at(400), status: 'good', schedule: 'hourly' }], schedules, { last: 1, manualDays: 30 }, now);
    expect(plan.keep.map((k) => k.setId)).toEqual(['old']);
  });
});

describe('backup sets from restic snapshots', () => {
  const snap = (id: string, time: string, tags: string[]) => ({ id, short_id: id.slice(0, 8), time, hostname: 'h', paths: ['/x'], tags: ['medai', ...tags] });
  it('is good only with a manifest; a killed run is incomplete', () => {
    const sets = groupSets([
      snap('a1', '2026-03-01T02:00:00Z', ['set:A', 'component:postgres', 'schedule:daily', 'trigger:schedule']),
      snap('a2', '2026-03-01T02:00:05Z', ['set:A', 'component:manifest', 'schedule:daily', 'trigger:schedule']),
      snap('b1', '2026-03-01T03:00:00Z', ['set:B', 'component:postgres', 'trigger:manual']),
    ]);
    expect(sets.map((s) => [s.setId, s.status, s.schedule, s.trigger, s.components.join()])).toEqual([
      ['B', 'incomplete', null, 'manual', 'postgres'],
      ['A', 'good', 'daily', 'schedule', 'postgres'],
    ]);
  });
  it('names the sets a differential is based on', () => {
    const sets = groupSets([
      snap('c1', '2026-03-01T04:00:00Z', ['set:C', 'component:postgres', 'item:medai', 'base:A', 'trigger:schedule']),
      snap('c2', '2026-03-01T04:00:01Z', ['set:C', 'component:redis', 'trigger:schedule']),
      snap('c3', '2026-03-01T04:00:05Z', ['set:C', 'component:manifest', 'trigger:schedule']),
    ]);
    expect(sets[0]!.bases).toEqual(['A']);
  });
});

describe('alert payloads', () => {
  const e = { kind: 'backup-failed' as const, target: 'nas', at: '2026-03-01T02:00:00Z', title: '备份失败 / backup failed: daily', detail: 'BACKUP_TARGET_FULL: …', host: 'ward-3' };
  it('speaks the WeCom and DingTalk robot formats and plain JSON', () => {
    expect(alertBody('wecom', e)).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining('**备份失败 / backup failed: daily**') } });
    expect(alertBody('dingtalk', e)).toEqual({ msgtype: 'markdown', markdown: { title: e.title, text: expect.stringContaining('ward-3') } });
    expect(alertBody('json', e)).toMatchObject({ source: 'medai-backup', kind: 'backup-failed', target: 'nas' });
  });
});
