import path from 'node:path';
import type { ComponentManifest } from '../../contract';
import type { ComponentBackup, ComponentEnv } from './component';
import { execStream } from './container-exec';
import { startExecDump, startPipeDump, type DumpSource } from './pg-dump-source';
import { deltaScriptSql, excludeDataArg, parseSnapshotInfo, planDifferential, SNAPSHOT_INFO_SQL, toPgBase } from './pg-differential';
import { listDatabases } from './pg-facts';
import { openSnapshotSession } from './pg-snapshot-session';
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
  const session = await openSnapshotSession(env.docker, container, db);
  try {
    const info = parseSnapshotInfo((await session.query(SNAPSHOT_INFO_SQL))[0] ?? '{"cluster":"","xmin":"0","tables":{}}');
    const base = env.pgBaseFor ? await env.pgBaseFor(db) : null;
    const plan = base ? planDifferential(base.base, info) : null;
    if (plan && 'reason' in plan) env.progress({ log: `postgres: ${db}: dumped whole, not as a differential (${plan.reason})` });
    const diff = base && plan && 'tables' in plan ? { base, ...plan } : null;
    const tags = diff ? [`base:${diff.base.setId}`] : [];
    const common = { ...env.common('postgres', db), onProgress: (p: { bytesDone?: number }) => env.progress({ bytesDone: p.bytesDone }) };
    const tagged = { ...common, tags: [...common.tags, ...tags] };
    const into = (s: DumpSource) => streamIntoRepo(env.repo, `postgres/${db}.dump`, s.stdout, s.exitCode, tagged, { component: 'postgres', stderr: s.stderr, abort: s.abort });
    const args = ['-Fc', '-Z0', `--snapshot=${session.snapshot}`, ...(diff ? diff.tables.map(excludeDataArg) : []), '-d', db];
    const source = (await startPipeDump(env.docker, container, args, path.join(env.dataDir, 'backup-tmp'))) ?? (await startExecDump(env.docker, container, args));
    env.progress({ log: `postgres: ${db}: dumping (${source.via})${diff ? `, ${diff.tables.length} table(s) as a differential against set ${diff.base.setId}` : ''}, and counting rows in the same snapshot` });
    // restic is started only once pg_dump runs (starting it earlier, to overlap its key
    // derivation, left a lock behind whenever the manager was killed in that window).
    const stored = into(source);
    stored.catch(() => undefined);
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
    const item: Item = { key: db, snapshotId: r.snapshotId, file: `/postgres/${db}.dump`, bytes: r.bytes, sha256: r.sha256, tables };
    if (!diff) return { ...item, pgBase: toPgBase(info) };
    // The delta is read in the same snapshot, so it is taken while the session still holds it.
    const delta = await execStream(env.docker, container, ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db], { user: 'postgres', withStdin: true });
    delta.stdin!.end(deltaScriptSql(session.snapshot, diff.since, diff.tables));
    const d = await streamIntoRepo(env.repo, `postgres/${db}.delta.sql`, delta.stdout, delta.exitCode, tagged, { component: 'postgres', stderr: delta.stderr, abort: delta.abort });
    env.added(d.dataAdded);
    env.progress({ log: `postgres: ${db}: delta of ${diff.tables.length} table(s): ${d.bytes} bytes` });
    return {
      ...item,
      differential: {
        baseSetId: diff.base.setId,
        baseSnapshotId: diff.base.snapshotId,
        baseFile: diff.base.file,
        deltaSnapshotId: d.snapshotId,
        deltaFile: `/postgres/${db}.delta.sql`,
        deltaBytes: d.bytes,
        tables: diff.tables.map((t) => ({ schema: t.schema, table: t.table })),
      },
    };
  } finally {
    await session.close();
  }
}
