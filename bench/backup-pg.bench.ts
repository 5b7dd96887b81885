// Backup of a ≥ 1 GiB PostgreSQL database (pgbench data; `backup-pg-notes`: text-heavy rows) in the stack’s own db image:
// our streamed pg_dump → restic against plain `pg_dump -Fc > file` in the same run, the
// size of a second backup after 1% of rows changed (scattered updates and appends), the
// time of a full in-place restore (RTO), and restic 0.14 vs the shipped 0.18 restore speed.
import Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BackupContext } from '../electron/core/backup/backup-context';
import { BackupConfig } from '../electron/core/backup/backup-config';
import type { SnapshotManifest } from '../electron/core/contract';
import { runRestore } from '../electron/core/backup/restore/run-restore';
import { execCollect } from '../electron/core/backup/snapshot/container-exec';
import { runBackup } from '../electron/core/backup/snapshot/run-backup';
import { addTarget } from '../electron/core/backup/targets/targets-service';
import { openState } from '../electron/core/state/open-state';
import { REPO_ROOT, type Benchmark, type Series } from './bench-kit';

const SCALE = Number(process.env.MEDAI_BENCH_PGBENCH_SCALE ?? 70);
/**
 * How each data set is made and changed by 1% (scattered updates, appends). `notes` repeats
 * the measurements on text-heavy rows (clinical-note-like prose from a word list), where
 * compression costs real CPU: pgbench's blank filler makes zlib nearly free.
 */
const DATASETS = {
  pgbench: {
    describe: `pgbench -s ${SCALE}`,
    init: async (docker: Docker, id: string) => {
      const init = await execCollect(docker, id, ['pgbench', '-i', '-q', '-s', String(SCALE), 'bench'], { user: 'postgres' });
      if (init.code !== 0) throw new Error(init.stderr);
    },
    table: 'pgbench_accounts',
    update: 'UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid % 100 = 0',
    append: (rows: number) => `INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT ${rows} + g, 1, 0, repeat('x', 84) FROM generate_series(1, ${Math.round(rows / 100)}) g`,
  },
  notes: {
    describe: `clinical-note-like text, ${SCALE * 16_000} rows`,
    init: async (docker: Docker, id: string) => {
      await psql(docker, id, 'CREATE TABLE clinical_notes (id bigint PRIMARY KEY, patient_id int NOT NULL, written_at timestamptz NOT NULL, body text NOT NULL)');
      await psql(docker, id, `INSERT INTO clinical_notes SELECT g, (random() * 100000)::int, now() - random() * interval '3 years', ${NOTE_BODY('g')} FROM generate_series(1, ${SCALE * 16_000}) g`);
    },
    table: 'clinical_notes',
    update: `UPDATE clinical_notes SET body = body || ' addendum: reviewed.' WHERE id % 100 = 0`,
    append: (rows: number) => `INSERT INTO clinical_notes SELECT ${rows} + g, (random() * 100000)::int, now(), ${NOTE_BODY('g')} FROM generate_series(1, ${Math.round(rows / 100)}) g`,
  },
} as const;

// ~60 words of a small clinical vocabulary in random order: prose-like redundancy (zlib ≈ 3:1).
const WORDS = 'patient admitted with chest pain shortness of breath fever cough history of hypertension diabetes mellitus type 2 no known drug allergies blood pressure heart rate respiratory rate temperature oxygen saturation on room air examination reveals clear lungs regular rhythm no murmurs abdomen soft non tender plan continue metformin lisinopril aspirin follow up in two weeks labs ordered complete blood count basic metabolic panel troponin ecg shows sinus rhythm chest x-ray unremarkable discharged in stable condition 患者 主诉 胸痛 发热 咳嗽 既往 高血压 糖尿病 查体 双肺 呼吸音 清 心律 齐 腹软 无压痛 诊断 处理 建议 复查 血常规 心电图 出院'.split(' ');
const NOTE_BODY = (seed: string) => `(SELECT string_agg(w[1 + floor(random() * ${WORDS.length})::int], ' ') FROM (SELECT ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}] AS w) v, generate_series(1, 40 + (${seed} % 40)))`;
const PROJECT = 'medai-backuptest-bench';
const quiet = { progress: () => undefined, signal: new AbortController().signal };
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const kb = (n: number) => `${(n / 1e3).toFixed(0)} kB`;

async function psql(docker: Docker, id: string, sql: string, db = 'bench'): Promise<string> {
  const r = await execCollect(docker, id, ['psql', '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { user: 'postgres' });
  if (r.code !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * The floor under any restic-based backup on this machine, measured beside ours: the
 * serialisation alone, restic alone on the same dump read from a file, and the two
 * together (pg_dump container → named pipe → `restic --stdin-from-command cat`) with
 * nothing of ours in between — no facts, no relay through this process, no probe or
 * manifest. Ours can only approach the last one; the baseline ratio it can reach is set here.
 */
function resticFloor(docker: Docker, id: string, work: string) {
  const restic = path.join(REPO_ROOT, 'resources', 'bin', 'restic');
  const env = { ...process.env, RESTIC_PASSWORD: 'bench-floor', RESTIC_CACHE_DIR: path.join(work, 'floor-cache') };
  const run = (args: string[], opts: { input?: string } = {}) => {
    const r = spawnSync(restic, args, { env, stdio: [opts.input ? fs.openSync(opts.input, 'r') : 'ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`restic ${args[0]}: ${r.stderr}`);
  };
  const repo = (name: string) => {
    const dir = path.join(work, name);
    run(['init', '-q', '--repo', dir]);
    return dir;
  };
  const z0: Series = { label: 'floor: pg_dump -Fc -Z0 > /dev/null (serialisation only)', samples: [] };
  const alone: Series = { label: 'floor: restic backup --stdin of the same dump from a file (restic only)', samples: [] };
  const both: Series = { label: 'floor: pg_dump container → pipe → restic --stdin-from-command (nothing of ours)', samples: [] };
  const start: Series = { label: 'restic start-up (cat config: key derivation, one per invocation)', samples: [] };
  return {
    series: [z0, alone, both, start],
    async round(n: number) {
      const [tz] = await timed(() => execCollect(docker, id, ['sh', '-c', 'pg_dump -Fc -Z0 -d bench > /dev/null'], { user: 'postgres' }));
      z0.samples.push(tz);
      const info = await docker.getContainer(id).inspect();
      const password = (info.Config.Env ?? []).find((e) => e.startsWith('POSTGRES_PASSWORD='))!.split('=')[1]!;
      const fifoDir = fs.mkdtempSync(path.join(work, 'floor-fifo-'));
      spawnSync('mkfifo', ['-m', '0600', path.join(fifoDir, 'f')]);
      const viaPipe = repo(`floor-pipe-${n}`);
      const [tb] = await timed(async () => {
        const sidecar = spawnSync('docker', ['run', '-d', '--rm', '--network', `container:${info.Id}`, '-v', `${fifoDir}:/medai-dump`, '-e', `PGPASSWORD=${password}`, '--entrypoint', 'pg_dump', info.Image, '-Fc', '-Z0', '-d', 'bench', '--no-sync', '-h', '127.0.0.1', '-U', 'postgres', '-f', '/medai-dump/f']);
        if (sidecar.status !== 0) throw new Error(`docker run: ${sidecar.stderr}`);
        run(['backup', '-q', '--repo', viaPipe, '--stdin-filename', 'bench.dump', '--stdin-from-command', '--', 'cat', path.join(fifoDir, 'f')]);
      });
      both.samples.push(tb);
      const file = path.join(work, 'floor.dump');
      const dump = await execCollect(docker, id, ['sh', '-c', 'pg_dump -Fc -Z0 -d bench > /tmp/floor.dump'], { user: 'postgres' });
      if (dump.code !== 0) throw new Error(dump.stderr);
      spawnSync('docker', ['cp', `${id}:/tmp/floor.dump`, file]);
      await execCollect(docker, id, ['rm', '-f', '/tmp/floor.dump']);
      const fromFile = repo(`floor-file-${n}`);
      const [ta] = await timed(async () => run(['backup', '-q', '--repo', fromFile, '--stdin', '--stdin-filename', 'bench.dump'], { input: file }));
      alone.samples.push(ta);
      const [ts] = await timed(async () => run(['cat', 'config', '--repo', fromFile]));
      start.samples.push(ts);
      for (const d of [file, fifoDir, viaPipe, fromFile]) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const v = await f();
  return [Number(process.hrtime.bigint() - t0) / 1e9, v];
}

/** Whether a set's PostgreSQL dump is whole or a differential (and of which tables). */
const kindOf = (m: SnapshotManifest) => {
  const d = m.components.find((c) => c.name === 'postgres')?.items.find((i) => i.key === 'bench')?.differential;
  return d ? `differential against set ${d.baseSetId}: ${d.tables.map((t) => t.table).join(', ')} (delta ${mb(d.deltaBytes)})` : 'whole dump';
};

const backupPg = (kind: keyof typeof DATASETS): Benchmark => ({
  name: kind === 'pgbench' ? 'backup-pg' : `backup-pg-${kind}`,
  description: `backup of a ${DATASETS[kind].describe} database: ours vs pg_dump -Fc > file; incremental size; full restore (RTO)`,
  async run() {
    spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'build-restic.sh')], { stdio: 'inherit' });
    const docker = new Docker({ socketPath: '/var/run/docker.sock' });
    const work = fs.mkdtempSync('/var/tmp/medai-backuptest-bench-');
    const dataDir = path.join(work, 'data');
    const db = openState(dataDir);
    const ctx = new BackupContext(db, dataDir, { now: () => new Date() }, docker, { resticBinary: path.join(REPO_ROOT, 'resources', 'bin', 'restic'), host: 'bench' });
    const labels = { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'postgres', 'medai.backuptest': '1' };
    await docker.getContainer(`${PROJECT}-postgres-1`).remove({ force: true, v: true }).catch(() => undefined);
    const c = await docker.createContainer({ name: `${PROJECT}-postgres-1`, Image: 'medai-test/postgres:15', Env: ['POSTGRES_PASSWORD=benchbenchbench'], Labels: labels, HostConfig: { ShmSize: 256 * 1024 * 1024 } });
    await c.start();
    try {
      for (let i = 0; i < 300; i++) {
        const r = await execCollect(docker, c.id, ['psql', '-At', '-c', 'select 1'], { user: 'postgres' }).catch(() => ({ code: 1 }));
        if (r.code === 0) break;
        await new Promise((res) => setTimeout(res, 300));
      }
      await execCollect(docker, c.id, ['createdb', 'bench'], { user: 'postgres' });
      const data = DATASETS[kind];
      console.log(`  ${data.describe} …`);
      await data.init(docker, c.id);
      const dbSize = Number(await psql(docker, c.id, "select pg_database_size('bench')"));
      new BackupConfig(db).setStack({ project: PROJECT, version: '1.0.0' });

      // Ours is the whole postgres component as a run takes it: repository probe, roles,
      // the dump with its table facts (rows + checksums, same snapshot), and the manifest.
      const ours: Series = { label: 'ours: postgres component (pg_dump -Z0 → pipe → restic, + table facts)', samples: [] };
      const logs: string[] = [];
      const logged = { progress: (u: { log?: string }) => void (u.log ? logs.push(u.log) : undefined), signal: quiet.signal };
      const plain: Series = { label: 'pg_dump -Fc > file', samples: [] };
      let firstAdded = 0;
      let dumpBytes = 0;
      let fullSnapshot = '';
      const floor = resticFloor(docker, c.id, work);
      for (let round = 0; round < 2; round++) {
        const [tPlain] = await timed(() => execCollect(docker, c.id, ['sh', '-c', 'pg_dump -Fc -d bench > /tmp/plain.dump && rm /tmp/plain.dump'], { user: 'postgres' }));
        plain.samples.push(tPlain);
        await floor.round(round);
        const id = `bench${round}`;
        fs.mkdirSync(path.join(work, id));
        await addTarget(ctx, { id, location: { kind: 'local', path: path.join(work, id, 'repo') }, credentials: {} });
        const [tOurs, r] = await timed(() => runBackup(ctx, { targetId: id, profile: 'online', components: ['postgres'] }, logged));
        ours.samples.push(tOurs);
        firstAdded = r.manifest.addedBytes;
        dumpBytes = r.manifest.totalBytes;
        fullSnapshot = r.manifest.components[0]!.items.find((i) => i.key === 'bench')!.snapshotId;
      }
      // Incremental after 1% of rows updated, scattered (every 100th row).
      await psql(docker, c.id, data.update);
      const [tIncr, incr] = await timed(() => runBackup(ctx, { targetId: 'bench1', profile: 'online', components: ['postgres'] }, quiet));
      // Incremental after 1% of rows appended.
      const rows = Number(await psql(docker, c.id, `select count(*) from ${data.table}`));
      await psql(docker, c.id, data.append(rows));
      const [tAppend, append] = await timed(() => runBackup(ctx, { targetId: 'bench1', profile: 'online', components: ['postgres'] }, quiet));
      // Full restore in place into the running stack (safety snapshot + side-by-side + verify + swap).
      const [tRestore, report] = await timed(() => runRestore(ctx, { targetId: 'bench1', setId: append.setId, mode: 'in-place', confirm: PROJECT, components: ['postgres'] }, quiet));
      // restic 0.14 (Debian 12) vs 0.18 (shipped): restore the same full dump to disk.
      const snap = fullSnapshot;
      const repo = ctx.repo('bench1').access;
      const envFor = { ...process.env, RESTIC_REPOSITORY: repo.repository, RESTIC_PASSWORD_FILE: repo.passwordFile, RESTIC_CACHE_DIR: repo.cacheDir };
      const restoreWith = (bin: string) => {
        const out = path.join(work, `restore-${path.basename(path.dirname(bin))}`);
        const t0 = process.hrtime.bigint();
        const r = spawnSync(bin, ['restore', snap, '--target', out], { env: envFor, stdio: ['ignore', 'ignore', 'pipe'] });
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        if (r.status !== 0) throw new Error(`${bin} restore: ${r.stderr}`);
        fs.rmSync(out, { recursive: true, force: true });
        return s;
      };
      const r18 = restoreWith(path.join(REPO_ROOT, 'resources', 'bin', 'restic'));
      const r14 = fs.existsSync('/usr/bin/restic') ? restoreWith('/usr/bin/restic') : NaN;
      return {
        baseline: 'pg_dump -Fc > file',
        series: [ours, plain, ...floor.series, { label: 'restic 0.18 restore (shipped)', samples: [r18] }, { label: 'restic 0.14 restore (Debian 12)', samples: [r14] }],
        notes: {
          data: data.describe,
          'database size': mb(dbSize),
          'dump transport': logs.filter((l) => /dumping|direct pipe failed/.test(l)).join(' | '),
          'dump stream (uncompressed)': mb(dumpBytes),
          'ours throughput (database bytes / s)': `${mb(dbSize / Math.min(...ours.samples))}/s`,
          'first backup, stored in repository': mb(firstAdded),
          'second backup after 1% rows UPDATEd (scattered)': `${kb(incr.manifest.addedBytes)} = ${((incr.manifest.addedBytes / firstAdded) * 100).toFixed(1)}% of the first, ${tIncr.toFixed(1)} s`,
          'second backup after 1% rows APPENDed': `${kb(append.manifest.addedBytes)} = ${((append.manifest.addedBytes / firstAdded) * 100).toFixed(1)}% of the first, ${tAppend.toFixed(1)} s`,
          'second backups (hourly profile)': kindOf(incr.manifest) + ' | ' + kindOf(append.manifest),
          'full in-place restore of the newest set incl. safety snapshot, verify, swap (RTO)': `${tRestore.toFixed(1)} s, passed=${report.passed} (${kindOf(append.manifest)})`,
          'restore throughput 0.18 vs 0.14': `${mb(dumpBytes / r18)}/s vs ${mb(dumpBytes / r14)}/s`,
        },
      };
    } finally {
      await c.remove({ force: true, v: true }).catch(() => undefined);
      db.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
});

export const backupPgBench = backupPg('pgbench');
export const backupPgNotesBench = backupPg('notes');
