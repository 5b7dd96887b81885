import type Docker from 'dockerode';
import { fail, type ComponentManifest, type PgDifferential, type RestoreReport } from '../../contract';
import type { ResticRepo } from '../restic/restic-repo';
import { execCollect, execStream } from '../snapshot/container-exec';
import { ident, lit, methodOfFacts, pgQuery, tableFacts } from '../snapshot/pg-facts';
import { compareTables } from './compare';

type Check = RestoreReport['components'][number]['checks'][number];
type Item = ComponentManifest['items'][number];

/** Streams one file from the repository into a command (pg_restore, psql) inside the container. */
async function streamInto(docker: Docker, container: string, repo: ResticRepo, snapshotId: string, file: string, cmd: string[]): Promise<void> {
  const restore = await execStream(docker, container, cmd, { user: 'postgres', withStdin: true });
  const dump = repo.dumpStream(snapshotId, file);
  dump.stream.pipe(restore.stdin as NodeJS.WritableStream);
  restore.stdout.resume();
  // pg_restore of one section, or of a few tables' rows, reads the archive only as far as it
  // needs and exits: the rest of the stream is not wanted, so restic is stopped then.
  let consumerDone = false;
  const consumer = restore.exitCode.then((code) => {
    consumerDone = true;
    dump.stream.unpipe();
    // Drained, so the stream ends and restic's exit is seen once it is killed.
    dump.stream.resume();
    dump.kill();
    restore.stdin?.end();
    return code;
  });
  const [code] = await Promise.all([consumer, dump.done.catch((e: unknown) => (consumerDone ? undefined : Promise.reject(e)))]);
  if (code !== 0) throw fail('BACKUP_RESTORE_FAILED', { component: 'postgres', reason: `${cmd[0]} exit ${code}` }, restore.stderr().trim().slice(-2000));
}

const pgRestore = (db: string, ...args: string[]) => ['pg_restore', '--exit-on-error', ...args, '-d', db];

/**
 * A differential: its own dump's schema and data (everything but the differential tables'
 * rows), then those tables' rows from the base set's full dump, then the delta script
 * (changed rows replaced by key, deleted keys removed), and last the indexes, constraints
 * and triggers — so the delta is applied before any key or trigger exists, and a delta
 * that left duplicates would fail at the primary key.
 */
async function restoreDifferential(docker: Docker, container: string, repo: ResticRepo, item: Item, diff: PgDifferential, db: string, log: (s: string) => void): Promise<void> {
  await streamInto(docker, container, repo, item.snapshotId, item.file, pgRestore(db, '--section=pre-data', '--section=data'));
  const bySchema = new Map<string, string[]>();
  for (const t of diff.tables) bySchema.set(t.schema, [...(bySchema.get(t.schema) ?? []), t.table]);
  for (const [schema, tables] of bySchema) {
    log(`postgres: ${db}: rows of ${tables.length} table(s) in ${schema} from the full backup of set ${diff.baseSetId}`);
    await streamInto(docker, container, repo, diff.baseSnapshotId, diff.baseFile, pgRestore(db, '--data-only', '-n', schema, ...tables.flatMap((t) => ['-t', t])));
  }
  log(`postgres: ${db}: applying the differential (${diff.deltaBytes} bytes)`);
  await streamInto(docker, container, repo, diff.deltaSnapshotId, diff.deltaFile, ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-d', db]);
  await streamInto(docker, container, repo, item.snapshotId, item.file, pgRestore(db, '--section=post-data'));
}

/** Roles first (ownership needs them); "already exists" is expected on a live server. */
async function restoreGlobals(docker: Docker, container: string, repo: ResticRepo, item: Item): Promise<void> {
  const sql = (await repo.readFile(item.snapshotId, item.file)).toString('utf8');
  const s = await execStream(docker, container, ['psql', '-X', '-q', '-d', 'postgres'], { user: 'postgres', withStdin: true });
  s.stdout.resume();
  s.stdin!.end(sql);
  await s.exitCode;
}

/**
 * Side by side: each database is restored into a fresh database next to the live one,
 * checked against the manifest, and only then swapped in by two renames. A failed or
 * mismatching restore drops the fresh copy and leaves the live database as it was.
 */
export async function restorePostgres(
  docker: Docker,
  container: string,
  repo: ResticRepo,
  component: ComponentManifest,
  opts: { swap: boolean; tag: string; log: (s: string) => void },
): Promise<Check[]> {
  const checks: Check[] = [];
  const globals = component.items.find((i) => i.key === 'globals');
  if (globals) await restoreGlobals(docker, container, repo, globals);
  for (const item of component.items.filter((i) => i.key !== 'globals')) {
    const db = item.key;
    const fresh = `${db}__restore_${opts.tag}`.slice(0, 63);
    await pgQuery(docker, container, 'postgres', `DROP DATABASE IF EXISTS ${ident(fresh)}`, 'postgres');
    await pgQuery(docker, container, 'postgres', `CREATE DATABASE ${ident(fresh)}`, 'postgres');
    try {
      opts.log(`postgres: restoring ${db} into ${fresh}`);
      if (item.differential) await restoreDifferential(docker, container, repo, item, item.differential, fresh, opts.log);
      else await streamInto(docker, container, repo, item.snapshotId, item.file, pgRestore(fresh));
      const found = compareTables(db, item.tables, await tableFacts(docker, container, fresh, methodOfFacts(item.tables)));
      checks.push(...found);
      const bad = found.filter((c) => !c.ok);
      if (bad.length) throw fail('BACKUP_RESTORE_VERIFY_FAILED', { component: `postgres/${db}`, reason: bad.map((c) => `${c.item}: ${c.expected} ≠ ${c.actual}`).join('; ').slice(0, 400) });
      if (opts.swap) await swapDatabases(docker, container, db, fresh, opts.tag);
      else await pgQuery(docker, container, 'postgres', `DROP DATABASE IF EXISTS ${ident(fresh)}`, 'postgres');
    } catch (e) {
      await execCollect(docker, container, ['psql', '-X', '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${ident(fresh)} WITH (FORCE)`], { user: 'postgres' });
      throw e;
    }
  }
  return checks;
}

/** Renames the live database aside, the verified copy in, then drops the old one. */
async function swapDatabases(docker: Docker, container: string, db: string, fresh: string, tag: string): Promise<void> {
  const exists = (await pgQuery(docker, container, 'postgres', `SELECT 1 FROM pg_database WHERE datname = ${lit(db)}`)).length > 0;
  const old = `${db}__pre_restore_${tag}`.slice(0, 63);
  if (exists) {
    // Closed to new sessions first, so the service cannot reconnect between kill and rename.
    await pgQuery(
      docker,
      container,
      'postgres',
      `ALTER DATABASE ${ident(db)} WITH ALLOW_CONNECTIONS false; SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE datname = ${lit(db)} AND pid <> pg_backend_pid(); ALTER DATABASE ${ident(db)} RENAME TO ${ident(old)}`,
    );
  }
  await pgQuery(docker, container, 'postgres', `ALTER DATABASE ${ident(fresh)} RENAME TO ${ident(db)}`);
  if (exists) await pgQuery(docker, container, 'postgres', `DROP DATABASE ${ident(old)} WITH (FORCE)`);
}
