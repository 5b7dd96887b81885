import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { runRestore } from '../../../electron/core/backup/restore/run-restore';
import { listSets } from '../../../electron/core/backup/snapshot/backup-sets';
import { runBackup } from '../../../electron/core/backup/snapshot/run-backup';
import { addTarget } from '../../../electron/core/backup/targets/targets-service';
import { ensureRestic, errorOf, makeBackupEnv } from './backup-fixtures';
import { startTestStack, type TestStack } from './stack-fixture';

const op = (logs: string[] = []) => ({ progress: (u: { log?: string }) => void (u.log ? logs.push(u.log) : undefined), signal: new AbortController().signal });

// Hourly (online) runs store PostgreSQL as a differential against the newest full dump:
// only rows written since, plus the keys that still exist. Proven by restoring: updates,
// inserts, deletes (gaps), identity and generated columns, a table whose name needs
// quoting, same-named tables in two schemas, a changed table, a keyless table, a new table.
describe('PostgreSQL differential backups', () => {
  let env: ReturnType<typeof makeBackupEnv>;
  let stack: TestStack;
  beforeAll(async () => {
    ensureRestic();
    env = makeBackupEnv('backuptest-pgdiff');
    stack = await startTestStack(env.docker);
    await stack.waitReady();
    await stack.seed(3000);
    await stack.sql(`
      CREATE TABLE ident (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text, shout text GENERATED ALWAYS AS (upper(v)) STORED);
      INSERT INTO ident (v) SELECT 'row ' || g FROM generate_series(1, 1000) g;
      CREATE TABLE "Odd ""name"" *" (id int PRIMARY KEY, v text);
      INSERT INTO "Odd ""name"" *" SELECT g, 'odd ' || g FROM generate_series(1, 500) g;
      CREATE SCHEMA other;
      CREATE TABLE other.patients (id smallint PRIMARY KEY, v text);
      INSERT INTO other.patients SELECT g, 'other ' || g FROM generate_series(1, 200) g;
      CREATE TABLE keyless (note text);
      INSERT INTO keyless SELECT 'note ' || g FROM generate_series(1, 300) g;
      CREATE TABLE altered (id int PRIMARY KEY, v text);
      INSERT INTO altered SELECT g, 'a ' || g FROM generate_series(1, 300) g;`);
    new BackupConfig(env.db).setStack({ project: stack.project, version: '1.2.0' });
    fs.mkdirSync(path.join(env.dir, 'usb'));
    await addTarget(env.ctx, { id: 'usb', location: { kind: 'local', path: path.join(env.dir, 'usb', 'repo') }, credentials: {} });
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    env?.cleanup();
  });

  let fullSetId = '';
  let diffSetId = '';
  let expected = '';
  let safetySetId = '';

  it('stores only what changed since the full, and restores it to the same data (drill and in place)', async () => {
    const full = await runBackup(env.ctx, { targetId: 'usb', profile: 'full', components: ['postgres'] }, op());
    fullSetId = full.setId;
    const fullItem = full.manifest.components[0]!.items.find((i) => i.key === 'medai')!;
    expect(fullItem.differential).toBeUndefined();
    expect(Object.keys(fullItem.pgBase!.tables).sort()).toEqual(['other.patients', 'public."Odd ""name"" *"', 'public.altered', 'public.ident', 'public.patients', 'public.visits']);

    await stack.sql(`
      UPDATE patients SET name = name || ' (updated)' WHERE id % 100 = 0;
      INSERT INTO patients (name) SELECT 'new ' || g FROM generate_series(1, 20) g;
      DELETE FROM visits WHERE id BETWEEN 100 AND 150 OR id % 997 = 0;
      INSERT INTO ident (v) SELECT 'more ' || g FROM generate_series(1, 10) g;
      UPDATE ident SET v = 'changed' WHERE id = 5;
      DELETE FROM "Odd ""name"" *" WHERE id > 490;
      UPDATE other.patients SET v = 'other changed' WHERE id = 7;
      INSERT INTO keyless VALUES ('after the full');
      ALTER TABLE altered ADD COLUMN extra int DEFAULT 7;
      CREATE TABLE newer (id int PRIMARY KEY);
      INSERT INTO newer SELECT generate_series(1, 5);`);
    const logs: string[] = [];
    const diff = await runBackup(env.ctx, { targetId: 'usb', profile: 'online', components: ['postgres'] }, op(logs));
    diffSetId = diff.setId;
    const item = diff.manifest.components[0]!.items.find((i) => i.key === 'medai')!;
    expect(item.differential).toMatchObject({ baseSetId: fullSetId, baseSnapshotId: fullItem.snapshotId });
    // The changed table (new column) and the new and keyless ones travel whole in the dump.
    expect(item.differential!.tables.map((t) => `${t.schema}.${t.table}`).sort()).toEqual(['other.patients', 'public.Odd "name" *', 'public.ident', 'public.patients', 'public.visits']);
    expect(item.pgBase).toBeUndefined();
    expect(logs.some((l) => /5 table\(s\) as a differential against set/.test(l))).toBe(true);
    // 1 % of patients changed: the delta holds those rows, not the tables.
    expect(item.differential!.deltaBytes).toBeLessThan(fullItem.bytes / 10);
    expect(item.bytes).toBeLessThan(fullItem.bytes / 2);
    expect((await listSets(env.ctx.repo('usb'))).find((s) => s.setId === diffSetId)!.bases).toEqual([fullSetId]);

    const drill = await runRestore(env.ctx, { targetId: 'usb', setId: diffSetId, mode: 'drill', components: ['postgres'] }, op());
    expect(drill.passed).toBe(true);
    expect(drill.components[0]!.checks.find((c) => c.item === 'medai.public.visits rows')).toMatchObject({ ok: true, expected: String(6000 - 51 - 6) });

    expected = await stack.fingerprint();
    const extra = `SELECT (SELECT string_agg(id || v || shout, ',' ORDER BY id) FROM ident) || (SELECT count(*) FROM "Odd ""name"" *") || (SELECT v FROM other.patients WHERE id = 7) || (SELECT count(*) FROM keyless) || (SELECT sum(extra) FROM altered) || (SELECT count(*) FROM newer)`;
    const extraBefore = await stack.sql(extra);
    // Change the live data after the backup: the in-place restore must bring back the differential's state.
    await stack.sql("UPDATE patients SET name = 'after the backup'; DELETE FROM visits WHERE id < 1000; DELETE FROM ident WHERE id > 500");
    const report = await runRestore(env.ctx, { targetId: 'usb', setId: diffSetId, mode: 'in-place', confirm: stack.project, components: ['postgres'] }, op());
    expect(report.passed).toBe(true);
    safetySetId = report.safetySetId!;
    expect(await stack.fingerprint()).toBe(expected);
    expect(await stack.sql(extra)).toBe(extraBefore);
    // Sequences and identities come back where they were: new rows do not collide.
    expect(Number(await stack.sql("INSERT INTO patients (name) VALUES ('after restore') RETURNING id"))).toBe(3021);
    expect(Number(await stack.sql("INSERT INTO ident (v) VALUES ('after restore') RETURNING id"))).toBe(1011);
  }, 600_000);

  it('refuses a differential whose full is gone before touching anything; the next hourly run takes the newest full still there', async () => {
    const repo = env.ctx.repo('usb');
    const setsBefore = (await listSets(repo)).length;
    const full = (await listSets(repo)).find((s) => s.setId === fullSetId)!;
    // Removed by hand, as someone might with restic itself (the keep rules never do this).
    await repo.forget(full.snapshotIds, false);
    const before = await stack.fingerprint();
    for (const mode of ['in-place', 'drill'] as const) {
      const e = await errorOf(runRestore(env.ctx, { targetId: 'usb', setId: diffSetId, mode, confirm: stack.project, components: ['postgres'] }, op()));
      expect(e.code).toBe('BACKUP_BASE_MISSING');
      expect(JSON.stringify(e.message)).toContain(fullSetId);
    }
    // No safety snapshot was taken, the live data is as it was.
    expect((await listSets(repo)).length).toBe(setsBefore - 1);
    expect(await stack.fingerprint()).toBe(before);
    // The safety set taken before the earlier in-place restore is a whole dump: the newest full now.
    const next = await runBackup(env.ctx, { targetId: 'usb', profile: 'online', components: ['postgres'] }, op());
    const item = next.manifest.components[0]!.items.find((i) => i.key === 'medai')!;
    expect(item.differential?.baseSetId).toBe(safetySetId);
    const drill = await runRestore(env.ctx, { targetId: 'usb', setId: next.setId, mode: 'drill', components: ['postgres'] }, op());
    expect(drill.passed).toBe(true);
  }, 600_000);
});
