import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { restorePostgres } from '../../../electron/core/backup/restore/postgres-restore';
import { runRestore } from '../../../electron/core/backup/restore/run-restore';
import { execStream } from '../../../electron/core/backup/snapshot/container-exec';
import { DUMP_SIDECAR_LABEL, startPipeDump } from '../../../electron/core/backup/snapshot/pg-dump-source';
import { tableFacts } from '../../../electron/core/backup/snapshot/pg-facts';
import { openSnapshotSession } from '../../../electron/core/backup/snapshot/pg-snapshot-session';
import { runBackup } from '../../../electron/core/backup/snapshot/run-backup';
import { addTarget } from '../../../electron/core/backup/targets/targets-service';
import { ensureRestic, makeBackupEnv } from './backup-fixtures';
import { startTestStack, type TestStack } from './stack-fixture';

const op = (logs: string[] = []) => ({ progress: (u: { log?: string }) => void (u.log ? logs.push(u.log) : undefined), signal: new AbortController().signal });

// The PostgreSQL part of a backup set: the per-table facts in the manifest are taken in the
// very snapshot pg_dump dumps (so they hold while the service writes), the dump travels
// through a named pipe from a short-lived pg_dump container, and falls back to docker exec.
describe('PostgreSQL backup: facts in the dump snapshot, direct pipe, fallback', () => {
  let env: ReturnType<typeof makeBackupEnv>;
  let stack: TestStack;
  beforeAll(async () => {
    ensureRestic();
    env = makeBackupEnv('backuptest-pgconsistency');
    stack = await startTestStack(env.docker);
    await stack.waitReady();
    await stack.seed(3000);
    new BackupConfig(env.db).setStack({ project: stack.project, version: '1.2.0' });
    fs.mkdirSync(path.join(env.dir, 'usb'));
    await addTarget(env.ctx, { id: 'usb', location: { kind: 'local', path: path.join(env.dir, 'usb', 'repo') }, credentials: {} });
  }, 300_000);
  const sidecars = async () => env.docker.listContainers({ all: true, filters: { label: [`${DUMP_SIDECAR_LABEL}=1`, `medai.backup.dump-of=${stack.project}-postgres-1`] } });
  afterAll(async () => {
    await stack?.stop();
    env?.cleanup();
  });

  it('counts the rows of the exported snapshot, not the rows written after it, and the dump holds exactly those', async () => {
    const session = await openSnapshotSession(env.docker, stack.postgres, 'medai');
    try {
      await stack.sql("INSERT INTO patients (name) SELECT 'late ' || g FROM generate_series(1, 777) g");
      const facts = await session.facts();
      expect(facts['public.patients']!.rows).toBe(3000);
      expect(facts['public.visits']!.rows).toBe(6000);
      expect(facts['public.patients']!.checksum).toMatch(/^h1:-?\d+$/);
      const src = await startPipeDump(env.docker, stack.postgres, ['-Fc', '-Z0', `--snapshot=${session.snapshot}`, '-d', 'medai'], path.join(env.dataDir, 'backup-tmp'));
      expect(src?.via).toBe('pipe');
      const chunks: Buffer[] = [];
      src!.stdout.on('data', (c: Buffer) => chunks.push(c));
      expect(await src!.exitCode).toBe(0);
      expect(src!.bytes()).toBe(Buffer.concat(chunks).length);
      await session.close();
      await stack.sql('CREATE DATABASE consistency_check', 'postgres');
      const restore = await execStream(env.docker, stack.postgres, ['pg_restore', '--exit-on-error', '-d', 'consistency_check'], { user: 'postgres', withStdin: true });
      restore.stdout.resume();
      restore.stdin!.end(Buffer.concat(chunks));
      expect(await restore.exitCode).toBe(0);
      expect(await tableFacts(env.docker, stack.postgres, 'consistency_check')).toEqual(facts);
      expect(await stack.sql('SELECT count(*) FROM patients')).toBe('3777');
    } finally {
      await session.close();
      await stack.sql('DROP DATABASE IF EXISTS consistency_check', 'postgres');
    }
  });

  it('backs up while the service keeps inserting: the drill finds the manifest facts in the dump, and no pg_dump container is left behind', async () => {
    // What a manager killed mid-dump leaves behind: removed by the next backup.
    const leftover = (of: string) => env.docker.createContainer({ Image: 'medai-test/postgres:15', Entrypoint: ['true'], Labels: { [DUMP_SIDECAR_LABEL]: '1', 'medai.backup.dump-of': of } });
    await leftover(`${stack.project}-postgres-1`);
    const ofGone = await leftover(`${stack.project}-gone-postgres-1`);
    expect(await sidecars()).toHaveLength(1);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await stack.sql("INSERT INTO visits (patient_id, summary) SELECT 1, 'during backup' FROM generate_series(1, 50)");
        written += 50;
      }
    })();
    const logs: string[] = [];
    const { setId, manifest } = await runBackup(env.ctx, { targetId: 'usb', profile: 'online', components: ['postgres'] }, op(logs)).finally(() => (writing = false));
    await writer;
    expect(written).toBeGreaterThan(0);
    expect(logs.some((l) => /medai: dumping \(pipe\)/.test(l))).toBe(true);
    const visits = manifest.components[0]!.items.find((i) => i.key === 'medai')!.tables!['public.visits']!.rows;
    expect(visits).toBeGreaterThanOrEqual(6000);
    const report = await runRestore(env.ctx, { targetId: 'usb', setId, mode: 'drill', components: ['postgres'] }, op());
    expect(report.passed).toBe(true);
    expect(report.components[0]!.checks.find((c) => c.item === 'medai.public.visits rows')).toMatchObject({ expected: String(visits), actual: String(visits), ok: true });
    expect(await sidecars()).toHaveLength(0);
    // One left by a database container that no longer exists goes too.
    expect(await ofGone.inspect().then(() => 'still there', () => 'removed')).toBe('removed');
    expect(fs.readdirSync(path.join(env.dataDir, 'backup-tmp'))).toEqual([]);
  }, 300_000);

  it('still verifies a set whose manifest holds the older md5 checksums', async () => {
    const { manifest } = await runBackup(env.ctx, { targetId: 'usb', profile: 'online', components: ['postgres'] }, op());
    const pg = manifest.components[0]!;
    const legacy = await tableFacts(env.docker, stack.postgres, 'medai', 'legacy');
    expect(legacy['public.patients']!.checksum).toMatch(/^\d+$/);
    const old = { ...pg, items: pg.items.map((i) => (i.key === 'medai' ? { ...i, tables: legacy } : i)) };
    const checks = await restorePostgres(env.docker, stack.postgres, env.ctx.repo('usb'), old, { swap: false, tag: 'legacytest', log: () => undefined });
    expect(checks.filter((c) => c.item.startsWith('medai.public.patients'))).toEqual([
      expect.objectContaining({ item: 'medai.public.patients rows', ok: true }),
      expect.objectContaining({ item: 'medai.public.patients checksum', expected: legacy['public.patients']!.checksum, ok: true }),
    ]);
    expect(checks.every((c) => c.ok)).toBe(true);
  }, 300_000);

  it('falls back to docker exec when the pg_dump container cannot log in (password changed since the container started)', async () => {
    await stack.sql("ALTER ROLE postgres PASSWORD 'changed-after-start-1234'", 'postgres');
    const logs: string[] = [];
    // A full run: the whole dump goes over exec (an hourly one would be a small differential).
    const { setId, manifest } = await runBackup(env.ctx, { targetId: 'usb', profile: 'full', components: ['postgres'] }, op(logs));
    expect(logs.some((l) => /medai: direct pipe failed \(.*password authentication failed.*\); dumping over docker exec/.test(l))).toBe(true);
    expect(manifest.components[0]!.items.find((i) => i.key === 'medai')!.bytes).toBeGreaterThan(100_000);
    const report = await runRestore(env.ctx, { targetId: 'usb', setId, mode: 'drill', components: ['postgres'] }, op());
    expect(report.passed).toBe(true);
    expect(await sidecars()).toHaveLength(0);
  }, 300_000);
});
