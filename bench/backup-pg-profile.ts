// Where the time of a PostgreSQL backup goes: each piece of the pipeline timed on its own
// on the same pgbench database (not a benchmark of record; see backup-pg.bench.ts).
//   npx tsx bench/backup-pg-profile.ts            # MEDAI_BENCH_PGBENCH_SCALE=20 by default
import Docker from 'dockerode';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BackupConfig } from '../electron/core/backup/backup-config';
import { BackupContext } from '../electron/core/backup/backup-context';
import { execCollect, execStream } from '../electron/core/backup/snapshot/container-exec';
import { startPipeDump } from '../electron/core/backup/snapshot/pg-dump-source';
import { runBackup } from '../electron/core/backup/snapshot/run-backup';
import { addTarget } from '../electron/core/backup/targets/targets-service';
import { openState } from '../electron/core/state/open-state';
import { REPO_ROOT } from './bench-kit';

const SCALE = Number(process.env.MEDAI_BENCH_PGBENCH_SCALE ?? 20);
const PROJECT = 'medai-backuptest-profile';
const RESTIC = path.join(REPO_ROOT, 'resources', 'bin', 'restic');
const ONLY = (process.env.MEDAI_PROFILE_ONLY ?? '').split(',').filter(Boolean);

async function timed(label: string, f: () => Promise<unknown>): Promise<void> {
  if (ONLY.length && !ONLY.some((o) => label.includes(o))) return;
  const t0 = process.hrtime.bigint();
  const v = await f();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label.padEnd(78)} ${s.toFixed(2).padStart(7)} s${v !== undefined ? `  ${String(v).slice(0, 60)}` : ''}`);
}

async function sh(docker: Docker, id: string, cmd: string): Promise<string> {
  const r = await execCollect(docker, id, ['sh', '-c', cmd], { user: 'postgres' });
  if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout.trim();
}

function resticStdin(repo: string, pw: string, extra: string[], feed: (stdin: NodeJS.WritableStream) => Promise<void>): Promise<string> {
  const p = spawn(RESTIC, ['backup', '--json', '--stdin', '--stdin-filename', 'x.dump', ...extra], {
    env: { ...process.env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD_FILE: pw, RESTIC_CACHE_DIR: `${repo}.cache` },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  p.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`restic ${code}`));
      const s = JSON.parse(out.trim().split('\n').pop()!) as { data_added_packed: number };
      resolve(`added ${(s.data_added_packed / 1e6).toFixed(1)} MB`);
    });
    void feed(p.stdin);
  });
}

async function main(): Promise<void> {
  spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'build-restic.sh')], { stdio: 'inherit' });
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const work = fs.mkdtempSync('/var/tmp/medai-backuptest-profile-');
  const labels = { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'postgres', 'medai.backuptest': '1' };
  await docker.getContainer(`${PROJECT}-postgres-1`).remove({ force: true, v: true }).catch(() => undefined);
  const c = await docker.createContainer({ name: `${PROJECT}-postgres-1`, Image: 'medai-test/postgres:15', Env: ['POSTGRES_PASSWORD=profileprofile'], Labels: labels, HostConfig: { ShmSize: 256 * 1024 * 1024 } });
  await c.start();
  const dataDir = path.join(work, 'data');
  const db = openState(dataDir);
  try {
    for (let i = 0; i < 300; i++) {
      const r = await execCollect(docker, c.id, ['psql', '-At', '-c', 'select 1'], { user: 'postgres' }).catch(() => ({ code: 1 }));
      if (r.code === 0) break;
      await new Promise((res) => setTimeout(res, 300));
    }
    await sh(docker, c.id, `createdb bench && pgbench -i -q -s ${SCALE} bench 2>/dev/null && psql -X -d bench -c 'VACUUM ANALYZE' >/dev/null`);
    console.log(`pgbench -s ${SCALE}: database ${(Number(await sh(docker, c.id, "psql -XAt -d bench -c \"select pg_database_size('bench')\"")) / 1e6).toFixed(0)} MB`);
    const tables = ['pgbench_accounts', 'pgbench_branches', 'pgbench_history', 'pgbench_tellers'];
    const facts = (expr: string) => tables.map((t) => `SELECT count(*), ${expr} FROM ${t} r`).join(' UNION ALL ');
    const q = (sql: string) => sh(docker, c.id, `psql -XAt -d bench -c "${sql.replace(/"/g, '\\"')}" | tail -c 60 | tr '\\n' ' '`);

    // The database side, on its own.
    await timed('pg_dump -Fc > file (baseline)', () => sh(docker, c.id, 'pg_dump -Fc -d bench > /tmp/p.dump && rm /tmp/p.dump'));
    await timed('pg_dump -Fc -Z0 > /dev/null', () => sh(docker, c.id, 'pg_dump -Fc -Z0 -d bench > /dev/null'));
    await timed('facts: count(*) only', () => q(facts('0')));
    await timed('facts: r::text only (length sum)', () => q(facts('sum(length(r::text))')));
    await timed('facts: old md5 → bit(60) → numeric sum', () => q(facts("coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint), 0)::text")));
    await timed('facts: sum(hashtextextended(r::text, 0)) (int128 accumulator)', () => q(facts('coalesce(sum(hashtextextended(r::text, 0)), 0)::text')));
    await timed('facts: sum(hashtext(r::text)) 32-bit', () => q(facts('coalesce(sum(hashtext(r::text)), 0)::text')));
    await timed('facts: sum(hash_record_extended(r, 0)) (typed, PG14+)', () => q(facts('coalesce(sum(hash_record_extended(r, 0)), 0)::text')).catch((e: Error) => e.message.slice(0, 60)));

    // The transport: docker exec stream demuxed in Node.
    const oldThrough = async () => {
      const exec = await docker.getContainer(c.id).exec({ Cmd: ['pg_dump', '-Fc', '-Z0', '-d', 'bench'], User: 'postgres', AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const out = new PassThrough({ highWaterMark: 1 << 20 });
      let n = 0;
      out.on('data', (b: Buffer) => (n += b.length));
      docker.modem.demuxStream(stream, out, new PassThrough());
      await new Promise((r) => stream.on('end', r));
      return `${(n / 1e6).toFixed(0)} MB`;
    };
    const through = async (sha: boolean) => {
      const s = await execStream(docker, c.id, ['pg_dump', '-Fc', '-Z0', '-d', 'bench'], { user: 'postgres' });
      const h = createHash('sha256');
      let n = 0;
      s.stdout.on('data', (b: Buffer) => ((n += b.length), sha ? h.update(b) : undefined));
      await s.exitCode;
      return `${(n / 1e6).toFixed(0)} MB`;
    };
    await timed('docker exec pg_dump -Z0 → docker-modem demuxStream → discard (before)', () => oldThrough());
    await timed('docker exec pg_dump -Z0 → DockerDemux → discard', () => through(false));
    await timed('docker exec pg_dump -Z0 → DockerDemux + sha256 → discard', () => through(true));
    await timed('pg_dump container → named pipe → Node + sha256 → discard', async () => {
      const s = (await startPipeDump(docker, c.id, ['-Fc', '-Z0', '-d', 'bench'], path.join(work, 'pipe')))!;
      const h = createHash('sha256');
      s.stdout.on('data', (b: Buffer) => h.update(b));
      return `exit ${await s.exitCode}, ${(s.bytes() / 1e6).toFixed(0)} MB`;
    });
    await timed('docker exec pg_dump -Z0 | sha256sum (in the container)', () => sh(docker, c.id, 'pg_dump -Fc -Z0 -d bench | sha256sum'));

    // restic on its own, from a file on this host.
    const file = path.join(work, 'bench.dump');
    const s = await execStream(docker, c.id, ['pg_dump', '-Fc', '-Z0', '-d', 'bench'], { user: 'postgres' });
    await Promise.all([pipeline(s.stdout, fs.createWriteStream(file)), s.exitCode]);
    const pw = path.join(work, 'pw');
    fs.writeFileSync(path.join(work, 'pw'), 'profile-password', { mode: 0o600 });
    const fresh = (name: string) => {
      const r = path.join(work, name);
      spawnSync(RESTIC, ['init', '-q'], { env: { ...process.env, RESTIC_REPOSITORY: r, RESTIC_PASSWORD_FILE: pw } });
      return r;
    };
    const fromFile = (repo: string, extra: string[]) => resticStdin(repo, pw, extra, async (stdin) => void fs.createReadStream(file).pipe(stdin));
    await timed('sha256 of the dump file in Node', async () => {
      const h = createHash('sha256');
      for await (const b of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(b as Buffer);
    });
    await timed('restic backup --stdin < file, fresh repo, compression auto', () => fromFile(fresh('r-auto'), []));
    await timed('restic backup --stdin < file, fresh repo, compression off', () => fromFile(fresh('r-off'), ['--compression', 'off']));
    await timed('restic backup --stdin < file, fresh repo, compression max', () => fromFile(fresh('r-max'), ['--compression', 'max']));
    await timed('restic backup --stdin < file, same repo again (all dedup)', () => fromFile(path.join(work, 'r-auto'), []));
    const viaShell = (repo: string) => () =>
      new Promise<string>((resolve) => {
        const p = spawn('sh', ['-c', `docker exec -u postgres ${c.id} pg_dump -Fc -Z0 -d bench | ${RESTIC} backup -q --stdin --stdin-filename x.dump`], {
          env: { ...process.env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD_FILE: pw, RESTIC_CACHE_DIR: `${repo}.cache` },
          stdio: 'inherit',
        });
        p.on('close', (code) => resolve(`exit ${code}`));
      });
    await timed('shell: docker exec pg_dump -Z0 | restic --stdin (fresh repo, no Node)', viaShell(fresh('r-shell')));
    fs.rmSync(file);

    // The whole component, as the product runs it.
    new BackupConfig(db).setStack({ project: PROJECT, version: '1.0.0' });
    const ctx = new BackupContext(db, dataDir, { now: () => new Date() }, docker, { resticBinary: RESTIC, host: 'profile' });
    fs.mkdirSync(path.join(work, 't'));
    await addTarget(ctx, { id: 't', location: { kind: 'local', path: path.join(work, 't', 'repo') }, credentials: {} });
    const quiet = { progress: () => undefined, signal: new AbortController().signal };
    await timed('runBackup(postgres), fresh repo', () => runBackup(ctx, { targetId: 't', profile: 'online', components: ['postgres'] }, quiet).then((r) => `added ${(r.manifest.addedBytes / 1e6).toFixed(1)} MB`));
    await timed('runBackup(postgres), again', () => runBackup(ctx, { targetId: 't', profile: 'online', components: ['postgres'] }, quiet).then((r) => `added ${(r.manifest.addedBytes / 1e6).toFixed(1)} MB`));
  } finally {
    await c.remove({ force: true, v: true }).catch(() => undefined);
    db.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
