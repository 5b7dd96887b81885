import type { ComponentManifest } from '../../contract';
import type { ComponentBackup } from './component';
import { execStream } from './container-exec';
import { listDatabases, tableFacts } from './pg-facts';
import { findServiceContainer } from './stack-locator';
import { streamIntoRepo } from './stream-into-repo';

/**
 * PostgreSQL, online: `pg_dump -Fc -Z0` per database inside the db container, streamed
 * straight into restic. Uncompressed on purpose: restic compresses and dedups, and a
 * compressed dump changes entirely when a little data changes (docs: measurements).
 * Row counts and checksums per table go into the manifest; restores are checked against them.
 */
export const backupPostgres: ComponentBackup = async (env) => {
  const container = await findServiceContainer(env.docker, env.binding.project, env.binding.services.postgres);
  const items: ComponentManifest['items'] = [];
  const dbs = await listDatabases(env.docker, container);
  const globals = await execStream(env.docker, container, ['pg_dumpall', '--globals-only', '--no-role-passwords'], { user: 'postgres' });
  const g = await streamIntoRepo(env.repo, 'postgres/globals.sql', globals.stdout, globals.exitCode, env.common('postgres', 'globals'), {
    component: 'postgres',
    stderr: globals.stderr,
    abort: globals.abort,
  });
  env.added(g.dataAdded);
  items.push({ key: 'globals', snapshotId: g.snapshotId, file: '/postgres/globals.sql', bytes: g.bytes, sha256: g.sha256 });
  for (const db of dbs) {
    env.progress({ log: `postgres: ${db}: counting rows` });
    const tables = await tableFacts(env.docker, container, db);
    env.progress({ log: `postgres: ${db}: dumping` });
    const dump = await execStream(env.docker, container, ['pg_dump', '-Fc', '-Z0', '-d', db], { user: 'postgres' });
    const common = { ...env.common('postgres', db), onProgress: (p: { bytesDone?: number }) => env.progress({ bytesDone: p.bytesDone }) };
    const r = await streamIntoRepo(env.repo, `postgres/${db}.dump`, dump.stdout, dump.exitCode, common, { component: 'postgres', stderr: dump.stderr, abort: dump.abort });
    env.added(r.dataAdded);
    items.push({ key: db, snapshotId: r.snapshotId, file: `/postgres/${db}.dump`, bytes: r.bytes, sha256: r.sha256, tables });
  }
  return { name: 'postgres', items };
};
