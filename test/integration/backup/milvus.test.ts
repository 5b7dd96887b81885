import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { runRestore } from '../../../electron/core/backup/restore/run-restore';
import { listSets, setTag, TAG } from '../../../electron/core/backup/snapshot/backup-sets';
import { componentsFor, runBackup } from '../../../electron/core/backup/snapshot/run-backup';
import { addTarget } from '../../../electron/core/backup/targets/targets-service';
import type { ProgressUpdate, SnapshotManifest } from '../../../electron/core/contract';
import { ensureRestic, errorOf, makeBackupEnv } from './backup-fixtures';
import { COLLECTION, startMilvusStack, type MilvusStack } from './milvus-fixture';

describe('Milvus with its etcd: stop-together copy, side-by-side restore (real engine, real Milvus 2.3.5 + etcd 3.4)', () => {
  let env: ReturnType<typeof makeBackupEnv>;
  let stack: MilvusStack;
  let before: string[][];
  let setId: string;
  let tmpfs: string | undefined;
  const seen: ProgressUpdate[] = [];
  const op = () => ({ progress: (u: ProgressUpdate) => void seen.push(u), signal: new AbortController().signal });

  beforeAll(async () => {
    ensureRestic();
    env = makeBackupEnv('backuptest-milvus');
    stack = await startMilvusStack(env.docker);
    await stack.waitHealthy();
    await stack.seed(300);
    before = await stack.nearest();
    new BackupConfig(env.db).setStack({ project: stack.project, version: '1.4.0', services: { postgres: 'postgres', redis: 'redis', milvus: 'milvus', etcd: 'etcd' } });
    fs.mkdirSync(path.join(env.dir, 'disk'));
    await addTarget(env.ctx, { id: 'usb', location: { kind: 'local', path: path.join(env.dir, 'disk', 'repo') }, credentials: {} });
  }, 600_000);
  afterAll(async () => {
    if (tmpfs) spawnSync('umount', [tmpfs]);
    await stack?.dispose();
    env?.cleanup();
  });

  it('the full (daily) profile takes Milvus when the stack has it; the online (hourly) one never does', () => {
    const binding = new BackupConfig(env.db).stack();
    expect(componentsFor('full', binding)).toContain('milvus');
    expect(componentsFor('online', binding)).not.toContain('milvus');
    expect(componentsFor('full', { ...binding, services: { ...binding.services, milvus: null } })).not.toContain('milvus');
  });

  it('backs up Milvus and etcd stopped together, records the outage, and both come back answering searches', async () => {
    seen.length = 0;
    const r = await runBackup(env.ctx, { targetId: 'usb', profile: 'full', components: ['manager', 'milvus'] }, op());
    setId = r.setId;
    const m = r.manifest.components.find((c) => c.name === 'milvus')!;
    expect(m.outageMs).toBeGreaterThan(0);
    expect(m.outageMs!).toBeLessThanOrEqual(m.durationMs);
    expect(m.items[0]).toMatchObject({ key: 'volumes', file: '/milvus/volumes.tar', tables: { [COLLECTION]: { rows: 300 } } });
    expect(m.items[0]!.bytes).toBeGreaterThan(1_000_000);
    const logs = seen.map((u) => u.log).filter(Boolean).join('\n');
    expect(logs).toMatch(/stopping milvus and etcd together/);
    expect(logs).toMatch(/back after \d+ ms/);
    expect(seen.some((u) => u.step?.id === 'backup-milvus' && (u.bytesDone ?? 0) > 0)).toBe(true);
    console.log(`milvus outage ${m.outageMs} ms, copy ${m.items[0]!.bytes} bytes, component ${m.durationMs} ms\n${logs}`);
    // Both running and healthy by the engine's own healthcheck, and the collection answers as before.
    await stack.waitHealthy();
    expect(await stack.nearest()).toEqual(before);
    expect((await listSets(env.ctx.repo('usb'))).find((s) => s.setId === setId)).toMatchObject({ status: 'good', components: ['manager', 'milvus'] });
  }, 600_000);

  it('drill: the snapshot restores into a scratch pair whose collection loads and answers; the live pair is untouched', async () => {
    const liveBefore = [stack.etcd, stack.milvus];
    const report = await runRestore(env.ctx, { targetId: 'usb', setId, mode: 'drill', components: ['milvus'] }, op());
    expect(report.passed).toBe(true);
    const checks = report.components[0]!.checks;
    expect(checks).toEqual(
      expect.arrayContaining([
        { item: `${COLLECTION} rows`, expected: '300', actual: '300', ok: true },
        { item: `${COLLECTION} loads`, expected: 'yes', actual: 'yes', ok: true },
        { item: `${COLLECTION} answers a search`, expected: 'yes', actual: 'yes', ok: true },
      ]),
    );
    // Same containers, still running, nothing left behind.
    expect([stack.etcd, stack.milvus]).toEqual(liveBefore);
    expect(await stack.health(stack.milvus)).toMatch(/^running/);
    expect(await stack.nearest()).toEqual(before);
    const left = await env.docker.listContainers({ all: true, filters: { label: [`medai.backup.scratch-of=${stack.project}-milvus-1`] } });
    expect(left).toEqual([]);
    const vols = (await env.docker.listVolumes()).Volumes?.filter((v) => v.Name.startsWith(stack.project) && v.Name.includes('-restore-')) ?? [];
    expect(vols).toEqual([]);
  }, 600_000);

  it('after the volumes are lost, an in-place restore brings the collection back: it loads and the nearest ids are the same', async () => {
    await stack.wipe();
    expect(await stack.hasCollection()).toBe(false);
    const report = await runRestore(env.ctx, { targetId: 'usb', setId, mode: 'in-place', confirm: stack.project, components: ['milvus'] }, op());
    expect(report.passed).toBe(true);
    expect(report.safetySetId).not.toBeNull();
    expect(report.components[0]!.checks.map((c) => c.item)).toContain(`${COLLECTION} answers a search (in place)`);
    await stack.waitHealthy();
    expect(await stack.hasCollection()).toBe(true);
    expect(await stack.load()).toBe('Success');
    expect(await stack.nearest()).toEqual(before);
    // The set-aside copy of the wiped state was removed after the swap verified.
    const leftovers = spawnSync('docker', ['run', '--rm', '-v', `${stack.project}_milvus-data:/m`, '-v', `${stack.project}_etcd-data:/e`, '--entrypoint', 'sh', 'medai-test/etcd:3.4', '-c', 'ls -a /m /e'], { encoding: 'utf8' });
    expect(leftovers.stdout).not.toMatch(/pre-restore/);
  }, 900_000);

  it('a restore that does not verify leaves the live Milvus as it was: refused with a clear code, nothing left behind', async () => {
    // A set whose manifest expects rows the snapshot does not hold (as a damaged or mismatched set would).
    const repo = env.ctx.repo('usb');
    const good = (await listSets(repo)).find((s) => s.setId === setId)!;
    expect(good.status).toBe('good');
    const manifestId = (await repo.snapshots([TAG])).find((s) => s.tags?.includes(setTag(setId)) && s.tags.includes('component:manifest'))!.id;
    const m = JSON.parse((await repo.readFile(manifestId, '/manifest.json')).toString('utf8')) as SnapshotManifest;
    const badId = `${setId}-bad`;
    const bad: SnapshotManifest = {
      ...m,
      setId: badId,
      components: m.components.map((c) => (c.name === 'milvus' ? { ...c, items: c.items.map((i) => ({ ...i, tables: { [COLLECTION]: { rows: 301, checksum: '' } } })) } : c)),
    };
    await repo.backupStream('manifest.json', Readable.from([Buffer.from(JSON.stringify(bad))]), { tags: [TAG, setTag(badId), `stack:${stack.project}`, 'component:manifest'], host: 'medai-backuptest-host' });
    const liveBefore = [stack.etcd, stack.milvus];
    const e = await errorOf(runRestore(env.ctx, { targetId: 'usb', setId: badId, mode: 'in-place', confirm: stack.project, components: ['milvus'] }, op()));
    expect(e.code).toBe('BACKUP_RESTORE_VERIFY_FAILED');
    expect(e.message.en).toMatch(/rows: 301 ≠ 300/);
    expect([stack.etcd, stack.milvus]).toEqual(liveBefore);
    await stack.waitHealthy();
    expect(await stack.nearest()).toEqual(before);
    const vols = (await env.docker.listVolumes()).Volumes?.filter((v) => v.Name.startsWith(stack.project) && v.Name.includes('-restore-')) ?? [];
    expect(vols).toEqual([]);
    const left = await env.docker.listContainers({ all: true, filters: { label: ['medai.backup.scratch=1'] } });
    // Only this stack's scratch pair and the Milvus helpers: other test files drill Redis and PostgreSQL at the same time.
    const ours = (c: (typeof left)[number]) => (c.Labels['medai.backup.scratch-of'] ?? '').startsWith(stack.project) || c.Names.some((n) => /medai-(backup|restore)-milvus/.test(n));
    expect(left.filter(ours)).toEqual([]);
  }, 600_000);

  it('fault: the target fills up mid-copy — a clear error code, no good set, and Milvus and etcd run again and answer', async () => {
    seen.length = 0;
    // 20 000 random 64-float vectors: ~5 MB that neither compression nor dedup can shrink below the 1 MiB disk.
    await stack.seedBulk(20_000);
    tmpfs = path.join(env.dir, 'small-disk');
    fs.mkdirSync(tmpfs);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'medai-backuptest-mv-tmpfs', tmpfs], { encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`mount tmpfs: ${m.stderr}`);
    await addTarget(env.ctx, { id: 'small', location: { kind: 'local', path: path.join(tmpfs, 'repo') }, credentials: {} });
    const e = await errorOf(runBackup(env.ctx, { targetId: 'small', profile: 'full', components: ['milvus'] }, op()));
    expect(e.code).toBe('BACKUP_TARGET_FULL');
    // It failed during the copy, with both stopped, and the backup itself started them again.
    const logs = seen.map((u) => u.log).filter(Boolean).join('\n');
    expect(logs).toMatch(/stopping milvus and etcd together[\s\S]*starting etcd and milvus again/);
    expect((await listSets(env.ctx.repo('small'))).filter((s) => s.status === 'good')).toEqual([]);
    // Restarted by the backup itself (not by the test): healthy by the engine's healthcheck, and searching.
    expect(await stack.health(stack.etcd)).toMatch(/^running/);
    expect(await stack.health(stack.milvus)).toMatch(/^running/);
    await stack.waitHealthy();
    expect(await stack.nearest()).toEqual(before);
  }, 600_000);
});
