import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { listSets } from '../../../electron/core/backup/snapshot/backup-sets';
import { runBackup } from '../../../electron/core/backup/snapshot/run-backup';
import { runRestore } from '../../../electron/core/backup/restore/run-restore';
import { CoreError } from '../../../electron/core/contract';
import { addTarget } from '../../../electron/core/backup/targets/targets-service';
import { ensureRestic, makeBackupEnv } from './backup-fixtures';
import { startTestStack, type TestStack } from './stack-fixture';
import fs from 'node:fs';
import path from 'node:path';

const op = () => {
  const events: unknown[] = [];
  return { progress: (u: unknown) => (events.push(u), process.env.MEDAI_BACKUPTEST_DEBUG ? console.error(JSON.stringify(u)) : undefined), signal: new AbortController().signal, events };
};

describe('a backup set of the stack on the real engine and restic', () => {
  let env: ReturnType<typeof makeBackupEnv>;
  let stack: TestStack;
  beforeAll(async () => {
    ensureRestic();
    env = makeBackupEnv('backuptest-snapshot');
    stack = await startTestStack(env.docker);
    await stack.waitReady();
    await stack.seed();
    const configDir = path.join(env.dir, 'stack-config');
    fs.mkdirSync(configDir);
    fs.writeFileSync(path.join(configDir, 'compose.yaml'), 'services: {}\n');
    new BackupConfig(env.db).setStack({ project: stack.project, version: '1.2.0', configDir });
    fs.mkdirSync(path.join(env.dir, 'usb'));
    await addTarget(env.ctx, { id: 'usb', location: { kind: 'local', path: path.join(env.dir, 'usb', 'repo') }, credentials: {} });
  });
  afterAll(async () => {
    await stack?.stop();
    env?.cleanup();
  });

  it('writes every component and a manifest with per-table row counts, checksums and sizes', async () => {
    const reporter = op();
    const { setId, manifest } = await runBackup(env.ctx, { targetId: 'usb', profile: 'online' }, reporter);
    expect(manifest.components.map((c) => c.name)).toEqual(['postgres', 'redis', 'manager', 'config']);
    const pg = manifest.components[0]!;
    const medai = pg.items.find((i) => i.key === 'medai')!;
    expect(medai.tables!['public.patients']!.rows).toBe(5000);
    expect(medai.tables!['public.visits']!.rows).toBe(10000);
    expect(medai.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(medai.bytes).toBeGreaterThan(500_000);
    expect(manifest.components[1]!.items[0]!.tables!.keys!.rows).toBe(50);
    expect(manifest.stackVersion).toBe('1.2.0');
    expect(manifest.addedBytes).toBeGreaterThan(0);
    const sets = await listSets(env.ctx.repo('usb'));
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ setId, status: 'good', components: ['config', 'manager', 'postgres', 'redis'] });
    // Progress was reported with steps and bytes.
    expect(reporter.events.some((e) => (e as { step?: { id: string } }).step?.id === 'backup-postgres')).toBe(true);
    // The dump in the repository is the very stream that was hashed.
    const dump = await env.ctx.repo('usb').readFile(medai.snapshotId, '/postgres/medai.dump');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(dump).digest('hex')).toBe(medai.sha256);
  });

  it('drills a restore into scratch containers and leaves the live stack untouched', async () => {
    const sets = await listSets(env.ctx.repo('usb'));
    const before = await stack.fingerprint();
    const report = await runRestore(env.ctx, { targetId: 'usb', setId: sets[0]!.setId, mode: 'drill' }, op());
    expect(report.passed).toBe(true);
    expect(report.safetySetId).toBeNull();
    expect(report.components.map((c) => c.name)).toEqual(['postgres', 'redis']);
    expect(report.components[0]!.checks.find((c) => c.item === 'medai.public.patients rows')).toMatchObject({ expected: '5000', actual: '5000', ok: true });
    expect(await stack.fingerprint()).toBe(before);
    // This stack's scratch containers only: other test files run drills at the same time.
    const scratch = await env.docker.listContainers({ all: true, filters: { label: ['medai.backup.scratch=1'] } });
    expect(scratch.filter((c) => (c.Labels['medai.backup.scratch-of'] ?? '').startsWith(`${stack.project}-`))).toHaveLength(0);
  });

  it('refuses an in-place restore without the typed stack name, changing nothing', async () => {
    const sets = await listSets(env.ctx.repo('usb'));
    const e = await runRestore(env.ctx, { targetId: 'usb', setId: sets[0]!.setId, mode: 'in-place', confirm: 'medai' }, op()).catch((x: unknown) => x);
    expect((e as CoreError).error.code).toBe('BACKUP_CONFIRM_MISMATCH');
    expect(await listSets(env.ctx.repo('usb'))).toHaveLength(1);
  });

  it('backup, wipe the volumes, restore in place: the same rows and checksums answer again', async () => {
    const before = await stack.fingerprint();
    const keysBefore = await stack.redisCli('DBSIZE');
    const { setId } = await runBackup(env.ctx, { targetId: 'usb', profile: 'online' }, op());
    await stack.wipe();
    expect(await stack.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'patients'")).toBe('0');
    expect(await stack.redisCli('DBSIZE')).toBe('0');
    const report = await runRestore(env.ctx, { targetId: 'usb', setId, mode: 'in-place', confirm: stack.project }, op());
    expect(report.passed).toBe(true);
    expect(report.safetySetId).not.toBeNull();
    expect(await stack.fingerprint()).toBe(before);
    expect(await stack.redisCli('DBSIZE')).toBe(keysBefore);
    expect(await stack.redisCli('GET', 'session:7')).toBe('value-7');
  }, 300_000);
});
