import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupConfig } from '../../../electron/core/backup/backup-config';
import { runRestore } from '../../../electron/core/backup/restore/run-restore';
import { RunsStore } from '../../../electron/core/backup/runs-store';
import { listSets } from '../../../electron/core/backup/snapshot/backup-sets';
import { runBackup } from '../../../electron/core/backup/snapshot/run-backup';
import { addTarget, updateTarget } from '../../../electron/core/backup/targets/targets-service';
import { CLI_PATH, REPO_ROOT } from '../../support/built-cli';
import { ensureRestic, ensureSftp, errorOf, makeBackupEnv, RESTIC } from './backup-fixtures';
import { startTestStack, type TestStack } from './stack-fixture';

const op = () => ({ progress: () => undefined, signal: new AbortController().signal });
describe('backup faults: a clear error, earlier snapshots intact, nothing partial listed as good, the stack untouched', () => {
  let env: ReturnType<typeof makeBackupEnv>;
  let stack: TestStack;
  let tmpfs: string;
  beforeAll(async () => {
    ensureRestic();
    const b = spawnSync('node', ['scripts/build-node.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
    env = makeBackupEnv('backuptest-faults');
    stack = await startTestStack(env.docker);
    await stack.waitReady();
    await stack.seed(2000);
    new BackupConfig(env.db).setStack({ project: stack.project, version: '1.4.0' });
    fs.mkdirSync(path.join(env.dir, 'disk'));
    await addTarget(env.ctx, { id: 'usb', location: { kind: 'local', path: path.join(env.dir, 'disk', 'repo') }, credentials: {} });
    // A small disk that fills up midway: a 20 MiB tmpfs.
    tmpfs = path.join(env.dir, 'small-disk');
    fs.mkdirSync(tmpfs);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'medai-backuptest-tmpfs', tmpfs], { encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`mount tmpfs: ${m.stderr}`);
  });
  afterAll(async () => {
    if (tmpfs) spawnSync('umount', [tmpfs]);
    await stack?.stop();
    env?.cleanup();
  });

  it('target unreachable: refused before the stack is touched, recorded as failed', async () => {
    const sftp = ensureSftp();
    await addTarget(env.ctx, {
      id: 'nas',
      location: { kind: 'sftp', host: sftp.host, port: sftp.port, user: sftp.user, path: `${sftp.base}/faults-${Date.now()}` },
      credentials: { sshPrivateKey: fs.readFileSync(sftp.key, 'utf8') },
    });
    await runBackup(env.ctx, { targetId: 'nas', profile: 'online' }, op());
    const before = await stack.fingerprint();
    const loc = env.ctx.targets.get('nas').location;
    if (loc.kind !== 'sftp') throw new Error('sftp');
    await updateTarget(env.ctx, { id: 'nas', location: { ...loc, port: 1 } });
    expect((await errorOf(runBackup(env.ctx, { targetId: 'nas', profile: 'online' }, op()))).code).toBe('BACKUP_TARGET_UNREACHABLE');
    expect(new RunsStore(env.db).list({ targetId: 'nas', limit: 1 })[0]).toMatchObject({ state: 'failed', error: { code: 'BACKUP_TARGET_UNREACHABLE' } });
    await updateTarget(env.ctx, { id: 'nas', location: loc });
    const sets = await listSets(env.ctx.repo('nas'));
    expect(sets.map((s) => s.status)).toEqual(['good']);
    expect(await stack.fingerprint()).toBe(before);
  });

  it('disk full midway: a clear error, the earlier set still restores, the partial one is not good', async () => {
    await addTarget(env.ctx, { id: 'small', location: { kind: 'local', path: path.join(tmpfs, 'repo') }, credentials: {} });
    const first = await runBackup(env.ctx, { targetId: 'small', profile: 'online' }, op());
    // ~60 MB of incompressible rows: more than the 20 MiB disk can take.
    await stack.sql("CREATE TABLE blobs AS SELECT g AS id, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 400) i) AS b FROM generate_series(1, 4000) g");
    const e = await errorOf(runBackup(env.ctx, { targetId: 'small', profile: 'online' }, op()));
    expect(e.code).toBe('BACKUP_TARGET_FULL');
    await stack.sql('DROP TABLE blobs');
    const sets = await listSets(env.ctx.repo('small'));
    expect(sets.filter((s) => s.status === 'good').map((s) => s.setId)).toEqual([first.setId]);
    const drill = await runRestore(env.ctx, { targetId: 'small', setId: first.setId, mode: 'drill' }, op());
    expect(drill.passed).toBe(true);
  });

  it('the manager killed mid-backup: the set is incomplete, the repository checks, the next backup works', async () => {
    await stack.sql("CREATE TABLE blobs2 AS SELECT g AS id, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 400) i) AS b FROM generate_series(1, 3000) g");
    const child = spawn('node', [CLI_PATH, '--data-dir', env.dataDir, '--json', 'backup', 'run', 'usb', '--profile', 'online'], { env: { ...process.env, MEDAI_RESTIC: RESTIC } });
    let outText = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no dump progress: ${outText}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        outText += d.toString();
        if (outText.includes('medai: dumping')) {
          clearTimeout(timer);
          // Let some of the dump flow, then kill the manager outright.
          setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 700);
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    // restic dies with its manager (parent-death signal): no orphan goes on to commit the
    // truncated dump or hold the repository lock. The kernel delivers it at once; allow a moment.
    const repoPath = path.join(env.dir, 'disk', 'repo');
    const resticAlive = () => spawnSync('pgrep', ['-f', `restic.*--stdin`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)
      .some((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(repoPath);
        } catch {
          return false; // gone between pgrep and the read
        }
      });
    for (let i = 0; i < 20 && resticAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(resticAlive()).toBe(false);
    await stack.sql('DROP TABLE blobs2');
    const sets = await listSets(env.ctx.repo('usb'));
    expect(sets.some((s) => s.status === 'good')).toBe(false);
    expect(new RunsStore(env.db).list({ targetId: 'usb', kind: 'backup', limit: 1 })[0]!.state).toBe('interrupted');
    await expect(env.ctx.repo('usb').check(100)).resolves.toMatchObject({ ok: true });
    // The dead holder's lock is taken over: the next backup runs.
    const next = await runBackup(env.ctx, { targetId: 'usb', profile: 'online' }, op());
    expect((await listSets(env.ctx.repo('usb'))).find((s) => s.setId === next.setId)?.status).toBe('good');
  });

  it('a corrupted pack file: verify says so; a set stored before it still restores', async () => {
    const repoDir = path.join(env.dir, 'disk', 'repo');
    const packs = () => new Set(fs.readdirSync(path.join(repoDir, 'data'), { recursive: true }).map(String).filter((f) => /[0-9a-f]{64}$/.test(f)));
    const good = (await listSets(env.ctx.repo('usb'))).find((s) => s.status === 'good')!;
    const before = packs();
    await stack.sql("INSERT INTO patients (name, note) SELECT 'late ' || g, md5(g::text) FROM generate_series(1, 3000) g");
    await runBackup(env.ctx, { targetId: 'usb', profile: 'online' }, op());
    const fresh = [...packs()].filter((p) => !before.has(p));
    expect(fresh.length).toBeGreaterThan(0);
    const victim = path.join(repoDir, 'data', fresh[0]!);
    fs.chmodSync(victim, 0o600);
    const fd = fs.openSync(victim, 'r+');
    fs.writeSync(fd, Buffer.from('corrupted by the fault test'), 0, 27, 200);
    fs.closeSync(fd);
    expect((await errorOf(env.ctx.repo('usb').check(100))).code).toBe('BACKUP_REPO_CORRUPT');
    const drill = await runRestore(env.ctx, { targetId: 'usb', setId: good.setId, mode: 'drill' }, op());
    expect(drill.passed).toBe(true);
    fs.rmSync(path.join(env.dir, 'disk', 'repo'), { recursive: true, force: true });
    env.ctx.targets.remove('usb');
    env.ctx.secrets('usb').remove();
  });

  it('a wrong password: refused clearly, nothing written, the stack untouched', async () => {
    fs.mkdirSync(path.join(env.dir, 'disk2'));
    await addTarget(env.ctx, { id: 'usb2', location: { kind: 'local', path: path.join(env.dir, 'disk2', 'repo') }, credentials: {} });
    const right = env.ctx.secrets('usb2').readPassword()!;
    const before = await stack.fingerprint();
    await updateTarget(env.ctx, { id: 'usb2', repositoryPassword: 'wrong-password-for-test' });
    expect((await errorOf(runBackup(env.ctx, { targetId: 'usb2', profile: 'online' }, op()))).code).toBe('BACKUP_WRONG_PASSWORD');
    await updateTarget(env.ctx, { id: 'usb2', repositoryPassword: right });
    expect(await listSets(env.ctx.repo('usb2'))).toEqual([]);
    expect(await stack.fingerprint()).toBe(before);
  });

  it('a snapshot from a newer stack version: refused before anything changes', async () => {
    new BackupConfig(env.db).setStack({ version: '2.0.0' });
    const { setId } = await runBackup(env.ctx, { targetId: 'usb2', profile: 'online' }, op());
    new BackupConfig(env.db).setStack({ version: '1.4.0' });
    await stack.sql("INSERT INTO patients (name) VALUES ('after the snapshot')");
    const before = await stack.fingerprint();
    const e = await errorOf(runRestore(env.ctx, { targetId: 'usb2', setId, mode: 'in-place', confirm: stack.project }, op()));
    expect(e.code).toBe('BACKUP_SNAPSHOT_TOO_NEW');
    expect(e.message.en).toContain('2.0.0');
    expect(await stack.fingerprint()).toBe(before);
    expect((await listSets(env.ctx.repo('usb2'))).length).toBe(1);
  });

  it('a check killed where nobody reaps it: the zombie\'s exclusive lock is cleared and the next backup runs', async () => {
    // restic calls a zombie alive and keeps its lock; a process whose parent never waits (here
    // `sleep`, as PID 1 in a container without an init) leaves one when restic is killed.
    const { repository, passwordFile, cacheDir } = env.ctx.repo('usb2').access;
    const locksDir = path.join(repository, 'locks');
    const resticEnv = { PATH: process.env.PATH!, RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: passwordFile, RESTIC_CACHE_DIR: cacheDir };
    let parent: ReturnType<typeof spawn> | undefined;
    for (let attempt = 0; attempt < 10 && !parent; attempt++) {
      const sh = spawn('sh', ['-c', `${RESTIC} check --read-data >/dev/null 2>&1 & exec sleep 120`], { env: resticEnv, stdio: 'ignore' });
      // Kill restic the moment its lock exists, before the check ends and removes it.
      for (let i = 0; i < 2000 && fs.readdirSync(locksDir).length === 0; i++) await new Promise((r) => setTimeout(r, 2));
      const pid = spawnSync('pgrep', ['-P', String(sh.pid)], { encoding: 'utf8' }).stdout.trim();
      if (pid && fs.readdirSync(locksDir).length > 0) {
        spawnSync('kill', ['-STOP', pid]);
        if (fs.readdirSync(locksDir).length > 0) {
          spawnSync('kill', ['-KILL', pid]);
          parent = sh;
          continue;
        }
      }
      sh.kill('SIGKILL');
    }
    expect(parent, 'could not catch restic check holding its lock').toBeDefined();
    try {
      const zombie = spawnSync('ps', ['-o', 'stat=', '--ppid', String(parent!.pid)], { encoding: 'utf8' }).stdout.trim();
      expect(zombie).toMatch(/^Z/);
      expect(fs.readdirSync(locksDir).length).toBeGreaterThan(0);
      // restic's own unlock keeps it: the backup would fail with BACKUP_REPO_LOCKED without us.
      expect(spawnSync(RESTIC, ['unlock'], { env: resticEnv }).status).toBe(0);
      expect(fs.readdirSync(locksDir).length).toBeGreaterThan(0);
      const next = await runBackup(env.ctx, { targetId: 'usb2', profile: 'online' }, op());
      expect((await listSets(env.ctx.repo('usb2'))).find((s) => s.setId === next.setId)?.status).toBe('good');
      expect(fs.readdirSync(locksDir)).toEqual([]);
    } finally {
      parent!.kill('SIGKILL');
    }
  });
});
