import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { ComponentManifest } from '../../contract';
import type { ComponentBackup, ComponentEnv } from './component';
import { execStream } from './container-exec';
import { startExecDump, startPipeDump, type DumpSource } from './pg-dump-source';
import { listDatabases } from './pg-facts';
import { openSnapshotSession, type SnapshotSession } from './pg-snapshot-session';
import { findServiceContainer } from './stack-locator';
import { streamIntoRepo } from './stream-into-repo';

type Item = ComponentManifest['items'][number];

/**
 * PostgreSQL, online: `pg_dump -Fc -Z0` per database streamed straight into restic.
 * Uncompressed on purpose: restic compresses and dedups, and a compressed dump changes
 * entirely when a little data changes (docs: measurements).
 *
 * Each database is dumped in the snapshot of a transaction held open for it, and that
 * transaction counts the rows and checksums every table while the dump runs: the manifest's
 * facts are the dump's facts, and restores are checked against them. The roles (globals)
 * go into the repository at the same time as the first database.
 */
export const backupPostgres: ComponentBackup = async (env) => {
  const container = await findServiceContainer(env.docker, env.binding.project, env.binding.services.postgres);
  const dbs = await listDatabases(env.docker, container);
  const globals = backupGlobals(env, container);
  globals.catch(() => undefined);
  const items: Item[] = [];
  try {
    for (const db of dbs) items.push(await backupDatabase(env, container, db));
  } catch (e) {
    await globals.catch(() => undefined);
    throw e;
  }
  return { name: 'postgres', items: [await globals, ...items] };
};

async function backupGlobals(env: ComponentEnv, container: string): Promise<Item> {
  const globals = await execStream(env.docker, container, ['pg_dumpall', '--globals-only', '--no-role-passwords'], { user: 'postgres' });
  const g = await streamIntoRepo(env.repo, 'postgres/globals.sql', globals.stdout, globals.exitCode, env.common('postgres', 'globals'), {
    component: 'postgres',
    stderr: globals.stderr,
    abort: globals.abort,
  });
  env.added(g.dataAdded);
  return { key: 'globals', snapshotId: g.snapshotId, file: '/postgres/globals.sql', bytes: g.bytes, sha256: g.sha256 };
}

async function backupDatabase(env: ComponentEnv, container: string, db: string): Promise<Item> {
  const common = { ...env.common('postgres', db), onProgress: (p: { bytesDone?: number }) => env.progress({ bytesDone: p.bytesDone }) };
  const into = (s: Pick<DumpSource, 'stdout' | 'exitCode' | 'stderr' | 'abort'>) =>
    streamIntoRepo(env.repo, `postgres/${db}.dump`, s.stdout, s.exitCode, common, { component: 'postgres', stderr: s.stderr, abort: s.abort });
  // restic needs about half a second (key derivation, lock) before it reads a byte: start
  // it first, so that overlaps with opening the snapshot and starting pg_dump.
  const early = laterSource();
  const stored = into(early);
  stored.catch(() => undefined);
  let session: SnapshotSession | null = null;
  try {
    session = await openSnapshotSession(env.docker, container, db);
    const args = ['-Fc', '-Z0', `--snapshot=${session.snapshot}`, '-d', db];
    const source = (await startPipeDump(env.docker, container, args, path.join(env.dataDir, 'backup-tmp'))) ?? (await startExecDump(env.docker, container, args));
    early.connect(source);
    env.progress({ log: `postgres: ${db}: dumping (${source.via}) and counting rows in the same snapshot` });
    // Started after pg_dump so the dump, the longer of the two, gets going first.
    const facts = session.facts();
    facts.catch(() => undefined);
    let r: Awaited<ReturnType<typeof into>>;
    try {
      r = await stored;
    } catch (e) {
      // The direct pipe could not connect (password changed since the container started,
      // an engine that cannot bind-mount this host's folders): nothing was sent, so the
      // same snapshot is dumped over exec instead.
      if (source.via !== 'pipe' || source.bytes() > 0) throw e;
      env.progress({ log: `postgres: ${db}: direct pipe failed (${source.stderr().trim().split('\n').pop() ?? ''}); dumping over docker exec` });
      r = await into(await startExecDump(env.docker, container, args));
    }
    const tables = await facts;
    env.added(r.dataAdded);
    return { key: db, snapshotId: r.snapshotId, file: `/postgres/${db}.dump`, bytes: r.bytes, sha256: r.sha256, tables };
  } catch (e) {
    // Failed before pg_dump ran: end restic's input with a failure so it commits nothing.
    early.fail();
    await stored.catch(() => undefined);
    throw e;
  } finally {
    await session?.close();
  }
}

/** A dump source whose producer is attached later; until then restic waits for bytes. */
function laterSource() {
  const stdout = new PassThrough({ highWaterMark: 1 << 20 });
  let source: DumpSource | null = null;
  let settle!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (settle = resolve));
  return {
    stdout,
    exitCode,
    stderr: () => source?.stderr() ?? '',
    abort: () => source?.abort(),
    connect(s: DumpSource) {
      source = s;
      s.stdout.once('error', (e) => stdout.destroy(e));
      s.stdout.pipe(stdout);
      void s.exitCode.then(settle);
    },
    fail() {
      if (source) return;
      stdout.end();
      settle(-1);
    },
  };
}
