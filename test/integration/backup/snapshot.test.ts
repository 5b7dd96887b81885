import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { listSets } from '../../../electron/core/backup/snapshot/backup-sets';
import { runBackup } from '../../../electron/core/backup/snapshot/run-backup';
import { addTarget } from '../../../electron/core/backup/targets/targets-service';
import { ensureRestic, makeBackupEnv } from './backup-fixtures';
import { startTestStack, type TestStack } from './stack-fixture';
import fs from 'node:fs';
import path from 'node:path';

const op = () => {
  const events: unknown[] = [];
  return { progress: (u: unknown) => events.push(u), signal: new AbortController().signal, events };
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
});
