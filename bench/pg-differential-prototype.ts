// Prototype, not product code: would a row-level *differential* PostgreSQL backup meet the
// "< 5 % after 1 % of rows change" goal, and does it restore to the same data? Measured on
// the same pgbench data as backup-pg.bench.ts (see docs/en/backup-restore/design.md#next-differential-postgresql-backups).
//   npx tsx bench/pg-differential-prototype.ts      # MEDAI_BENCH_PGBENCH_SCALE=70 by default
//
// The idea: a full dump records its snapshot's xmin. A later differential stores
//  - a pg_dump of everything but the big keyed table's rows (schema, sequences, small tables),
//  - the rows whose xmin is newer than the full's (PostgreSQL keeps a row's raw xmin even
//    after freezing, so "changed since" is a filter, not a second copy of the table),
//  - the table's key ranges (to find deleted rows), as one psql script.
// Restore = the differential's schema, the full's rows of that table, the script, then the
// indexes and constraints; checked by comparing every table's rows and checksum with the live one.
import Docker from 'dockerode';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execCollect } from '../electron/core/backup/snapshot/container-exec';
import { REPO_ROOT } from './bench-kit';

const SCALE = Number(process.env.MEDAI_BENCH_PGBENCH_SCALE ?? 70);
const RESTIC = path.join(REPO_ROOT, 'resources', 'bin', 'restic');
const NAME = 'medai-backuptest-differential-proto';
const TABLES = ['pgbench_accounts', 'pgbench_branches', 'pgbench_history', 'pgbench_tellers'];

async function main(): Promise<void> {
  spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'build-restic.sh')], { stdio: 'inherit' });
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const work = fs.mkdtempSync('/var/tmp/medai-backuptest-proto-');
  const env = { ...process.env, RESTIC_REPOSITORY: path.join(work, 'repo'), RESTIC_PASSWORD: 'prototype', RESTIC_CACHE_DIR: path.join(work, 'cache') };
  spawnSync(RESTIC, ['init', '-q'], { env });
  await docker.getContainer(NAME).remove({ force: true, v: true }).catch(() => undefined);
  const c = await docker.createContainer({ name: NAME, Image: 'medai-test/postgres:15', Env: ['POSTGRES_PASSWORD=prototype'], Labels: { 'medai.backuptest': '1' }, HostConfig: { ShmSize: 256 << 20 } });
  await c.start();
  const sh = async (cmd: string) => {
    const r = await execCollect(docker, c.id, ['sh', '-c', cmd], { user: 'postgres' });
    if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const q = (sql: string, db = 'bench') => sh(`psql -X -At -v ON_ERROR_STOP=1 -d ${db} <<'SQL'\n${sql}\nSQL`);
  /** A command's stdout (run in the db container) into the repository; returns bytes added. */
  const store = (name: string, cmd: string) =>
    new Promise<number>((resolve, reject) => {
      const p = spawn('bash', ['-c', `set -o pipefail; docker exec -u postgres ${NAME} sh -c "$CMD" | ${RESTIC} backup --json --stdin --stdin-filename ${name}`], { env: { ...env, CMD: cmd }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (b: Buffer) => (out += b.toString()));
      p.on('close', (code) => (code === 0 ? resolve((JSON.parse(out.trim().split('\n').pop()!) as { data_added_packed: number }).data_added_packed) : reject(new Error(`${name}: exit ${code}`))));
    });
  /** A stored file back into a command in the db container. */
  const load = (name: string, cmd: string) => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${RESTIC} dump latest --path /${name} /${name} | docker exec -i -u postgres ${NAME} sh -c "$CMD"`], { env: { ...env, CMD: cmd }, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`restore ${name} into ${cmd}: exit ${r.status}`);
  };
  const facts = (db: string) => q(TABLES.map((t) => `SELECT '${t}', count(*), sum(hashtextextended(r::text, 0)) FROM ${t} r`).join(' UNION ALL ') + ' ORDER BY 1', db);
  const t = () => process.hrtime.bigint();
  const secs = (t0: bigint) => `${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2)} s`;
  try {
    for (let i = 0; i < 300 && (await sh('psql -At -c "select 1"').catch(() => '')) !== '1'; i++) await new Promise((r) => setTimeout(r, 300));
    await sh(`createdb bench && pgbench -i -q -s ${SCALE} bench 2>/dev/null`);
    console.log(`pgbench -s ${SCALE}: ${(Number(await q("select pg_database_size('bench')")) / 1e6).toFixed(0)} MB`);

    // Full. The prototype reads xmin just before pg_dump opens its snapshot: never later than
    // the dump's own, so the differential can only include more rows, never miss one.
    const baseXmin = BigInt(await q('SELECT pg_snapshot_xmin(pg_current_snapshot())'));
    const full = await store('full.dump', 'pg_dump -Fc -Z0 -d bench');
    console.log(`full: stored ${(full / 1e6).toFixed(2)} MB`);

    // 1 % of rows change, as in the benchmark of record; plus deletes and inserts so the
    // key ranges and the upsert are exercised by the restore check below.
    await q('UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid % 100 = 0');
    const changeOnly = await differential('d1');
    console.log(`differential after 1 % of rows UPDATEd: stored ${(changeOnly.added / 1e6).toFixed(3)} MB = ${((changeOnly.added / full) * 100).toFixed(2)} % of the full (${changeOnly.time})`);
    await q(`DELETE FROM pgbench_accounts WHERE aid BETWEEN 1000 AND 1999 OR aid % 7919 = 0; INSERT INTO pgbench_accounts SELECT ${SCALE * 100_000} + g, 1, g, '' FROM generate_series(1, 5000) g; UPDATE pgbench_branches SET bbalance = bbalance + 5; INSERT INTO pgbench_history VALUES (1, 1, 1, 1, now(), 'x')`);
    const mixed = await differential('d2');
    console.log(`differential after updates, deletes (gaps) and inserts: stored ${(mixed.added / 1e6).toFixed(3)} MB (${mixed.time})`);

    // Restore the full + the second differential into a fresh database; compare with live.
    const t0 = t();
    await sh('createdb restored');
    load('d2.rest.dump', 'pg_restore --exit-on-error --section=pre-data -d restored');
    load('d2.rest.dump', 'pg_restore --exit-on-error --section=data -d restored');
    load('full.dump', 'pg_restore --exit-on-error --data-only -t pgbench_accounts -d restored');
    load('d2.delta.sql', 'psql -X -q -v ON_ERROR_STOP=1 -1 -d restored');
    load('d2.rest.dump', 'pg_restore --exit-on-error --section=post-data -d restored');
    const [live, restored] = [await facts('bench'), await facts('restored')];
    console.log(`restore of full + differential: ${secs(t0)}; rows and checksums ${live === restored ? 'EQUAL to' : 'DIFFERENT from'} the live database`);
    if (live !== restored) {
      console.log(`live:\n${live}\nrestored:\n${restored}`);
      process.exitCode = 1;
    }

    async function differential(name: string): Promise<{ added: number; time: string }> {
      const t0 = t();
      const rest = await store(`${name}.rest.dump`, 'pg_dump -Fc -Z0 --exclude-table-data=public.pgbench_accounts -d bench');
      const since = (baseXmin % 4294967296n).toString();
      // One psql session, one snapshot: the changed rows and the key ranges agree.
      const script = [
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;',
        String.raw`\qecho 'CREATE TEMP TABLE d AS SELECT * FROM pgbench_accounts WITH NO DATA;'`,
        String.raw`\qecho 'COPY d FROM stdin;'`,
        `COPY (SELECT * FROM pgbench_accounts WHERE age(xmin) <= age('${since}'::xid)) TO STDOUT;`,
        String.raw`\qecho '\\.'`,
        `SELECT format('DELETE FROM pgbench_accounts WHERE NOT (aid::int8 <@ %L::int8multirange);', coalesce(range_agg(int8range(lo, hi, '[]')), '{}')) FROM (SELECT min(aid) lo, max(aid) hi FROM (SELECT aid, aid - row_number() OVER (ORDER BY aid) g FROM pgbench_accounts) x GROUP BY g) y;`,
        String.raw`\qecho 'DELETE FROM pgbench_accounts a USING d WHERE a.aid = d.aid;'`,
        String.raw`\qecho 'INSERT INTO pgbench_accounts SELECT * FROM d;'`,
        'COMMIT;',
      ].join('\n');
      const delta = await store(`${name}.delta.sql`, `psql -X -At -q -v ON_ERROR_STOP=1 -d bench <<'SQL'\n${script}\nSQL`);
      return { added: rest + delta, time: secs(t0) };
    }
  } finally {
    await c.remove({ force: true, v: true }).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
