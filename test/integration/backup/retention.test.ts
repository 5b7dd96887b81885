import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { listSets } from '../../../electron/core/backup/snapshot/backup-sets';
import { applyRetention, previewRetention } from '../../../electron/core/backup/schedule/retention';
import { ScheduleStore } from '../../../electron/core/backup/schedule/schedule-store';
import { addTarget } from '../../../electron/core/backup/targets/targets-service';
import { ensureRestic, FakeClock, makeBackupEnv } from './backup-fixtures';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2026-01-01T00:00:00Z');

describe('retention over 40 simulated days on a real restic repository', () => {
  const clock = new FakeClock(new Date(START));
  let env: ReturnType<typeof makeBackupEnv>;
  beforeAll(async () => {
    ensureRestic();
    env = makeBackupEnv('backuptest-retention', clock);
    fs.mkdirSync(path.join(env.dir, 'disk'));
    await addTarget(env.ctx, { id: 'usb', location: { kind: 'local', path: path.join(env.dir, 'disk', 'repo') }, credentials: {} });
    // The product defaults' keep rules (daily 30 days, hourly 7); the hourly cron is thinned
    // to two runs a day so the simulation stays quick. Retention keys on the schedule, not the cron.
    new ScheduleStore(env.db).set(
      'usb',
      [
        { name: 'daily', cron: '0 2 * * *', profile: 'full', enabled: true, keepDays: 30 },
        { name: 'hourly', cron: '0 8,20 * * *', profile: 'online', enabled: true, keepDays: 7 },
      ],
      clock.now(),
    );
    new BackupConfig(env.db).setKeep('usb', { last: 3, manualDays: 10 });
  }, 120_000);
  afterAll(() => env.cleanup());

  /** A set as a run writes it: tagged snapshots at a faked time, the manifest last (unless killed). */
  const makeSet = async (setId: string, at: number, tags: string[], complete = true) => {
    const repo = env.ctx.repo('usb');
    const common = { host: 'medai-backuptest-host', time: new Date(at), tags: ['medai', `set:${setId}`, ...tags] };
    // Only killed runs need their component snapshot here: it is what makes them incomplete.
    if (!complete) await repo.backupStream('postgres/medai.dump', Readable.from([Buffer.from(`dump ${setId}`)]), { ...common, tags: [...common.tags, 'component:postgres'] });
    if (complete) await repo.backupStream('manifest.json', Readable.from([Buffer.from(`{"setId":"${setId}"}`)]), { ...common, tags: [...common.tags, 'component:manifest'] });
  };

  it('keeps exactly the sets the rules name, with a preview that matches what is deleted', async () => {
    const made: { setId: string; at: number; schedule: string | null; complete: boolean }[] = [];
    for (let day = 0; day < 40; day++) {
      const d = START + day * DAY;
      const todays: { setId: string; at: number; tags: string[]; schedule: string | null; complete: boolean }[] = [
        { setId: `d${day}`, at: d + 2 * HOUR, tags: ['trigger:schedule', 'schedule:daily'], schedule: 'daily', complete: true },
        { setId: `h${day}a`, at: d + 8 * HOUR, tags: ['trigger:schedule', 'schedule:hourly'], schedule: 'hourly', complete: true },
        { setId: `h${day}b`, at: d + 20 * HOUR, tags: ['trigger:schedule', 'schedule:hourly'], schedule: 'hourly', complete: true },
      ];
      if (day === 5) todays.push({ setId: 'manual5', at: d + 11 * HOUR, tags: ['trigger:manual'], schedule: null, complete: true });
      if (day === 38) todays.push({ setId: 'manual38', at: d + 11 * HOUR, tags: ['trigger:manual'], schedule: null, complete: true });
      // A run killed mid-way on day 37: snapshots without a manifest.
      if (day === 37) todays.push({ setId: 'killed37', at: d + 14 * HOUR, tags: ['trigger:schedule', 'schedule:hourly'], schedule: 'hourly', complete: false });
      for (const s of todays.sort((a, b) => a.at - b.at)) {
        await makeSet(s.setId, s.at, s.tags, s.complete);
        made.push(s);
      }
      clock.t = new Date(d + 20 * HOUR + 60_000);
      const preview = day % 10 === 9 ? await previewRetention(env.ctx, 'usb') : null;
      const applied = await applyRetention(env.ctx, 'usb', { prune: day === 39 });
      if (preview) expect(applied.remove.map((r) => r.setId).sort()).toEqual(preview.remove.map((r) => r.setId).sort());
    }
    const now = clock.now().getTime();
    // The rules, written out plainly: daily sets younger than 30 days, hourly younger than
    // 7, manual younger than 10, and never an incomplete one.
    const expected = made
      .filter((s) => s.complete)
      .filter((s) => now - s.at < (s.schedule === 'daily' ? 30 : s.schedule === 'hourly' ? 7 : 10) * DAY)
      .map((s) => s.setId)
      .sort();
    const remaining = await listSets(env.ctx.repo('usb'));
    expect(remaining.map((s) => s.setId).sort()).toEqual(expected);
    expect(remaining.every((s) => s.status === 'good')).toBe(true);
    expect(expected).toContain('manual38');
    expect(expected).not.toContain('manual5');
    expect(expected.filter((s) => s.startsWith('d'))).toHaveLength(30);
    expect(expected.filter((s) => s.startsWith('h'))).toHaveLength(14);
    // The repository still verifies after 40 forgets and a prune.
    await expect(env.ctx.repo('usb').check(100)).resolves.toMatchObject({ ok: true });
  }, 600_000);
});
