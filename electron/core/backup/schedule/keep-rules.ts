import type { BackupSet, KeepRules, RetentionPreview, Schedule } from '../../contract';

const DAY = 86_400_000;

type SetInfo = Pick<BackupSet, 'setId' | 'time' | 'status' | 'schedule' | 'bases'>;

/**
 * Which sets the rules keep, and why; everything else is removed at prune. Each schedule
 * keeps what it made for its own `keepDays` (daily 30, hourly 7 by default); hand-made
 * and safety sets are kept `manualDays`; the newest `last` good sets are always kept so a
 * long outage can never prune a target empty. Incomplete sets are always removed (prune
 * runs under the repository lock, so none of them belongs to a running backup). A set a
 * kept differential is based on is kept with it, whatever its own age: without it the
 * differential cannot be restored.
 */
export function planRetention(sets: SetInfo[], schedules: Pick<Schedule, 'name' | 'keepDays'>[], rules: KeepRules, now: Date): RetentionPreview {
  const keepDays = new Map(schedules.map((s) => [s.name, s.keepDays]));
  const good = sets.filter((s) => s.status === 'good').sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  const newest = new Set(good.slice(0, rules.last).map((s) => s.setId));
  const keep: RetentionPreview['keep'] = [];
  const remove: RetentionPreview['remove'] = [];
  for (const s of good) {
    const age = now.getTime() - new Date(s.time).getTime();
    const reasons: string[] = [];
    if (newest.has(s.setId)) reasons.push(`newest ${rules.last}`);
    const days = s.schedule && keepDays.has(s.schedule) ? keepDays.get(s.schedule)! : rules.manualDays;
    if (age < days * DAY) reasons.push(s.schedule && keepDays.has(s.schedule) ? `${s.schedule}: ${days} days` : `manual: ${days} days`);
    if (reasons.length) keep.push({ setId: s.setId, time: s.time, reasons });
    else remove.push({ setId: s.setId, time: s.time, status: 'good' });
  }
  const kept = new Set(keep.map((k) => k.setId));
  for (const s of good.filter((x) => kept.has(x.setId))) {
    for (const base of s.bases ?? []) {
      const at = remove.findIndex((r) => r.setId === base);
      const reason = 'base of a kept differential';
      if (at >= 0) {
        keep.push({ setId: base, time: remove[at]!.time, reasons: [reason] });
        remove.splice(at, 1);
      } else {
        const k = keep.find((x) => x.setId === base);
        if (k && !k.reasons.includes(reason)) k.reasons.push(reason);
      }
    }
  }
  keep.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  for (const s of sets.filter((x) => x.status === 'incomplete')) remove.push({ setId: s.setId, time: s.time, status: 'incomplete' });
  return { keep, remove };
}
