import type Docker from 'dockerode';
import { fail } from '../../contract';
import { execCollect } from './container-exec';

export type TableFacts = Record<string, { rows: number; checksum: string }>;

const psql = (db: string, sql: string) => ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql];

/** Runs SQL as the postgres OS user over the local socket (peer auth: no password needed). */
export async function pgQuery(docker: Docker, container: string, db: string, sql: string, component = 'postgres'): Promise<string[]> {
  const r = await execCollect(docker, container, psql(db, sql), { user: 'postgres' });
  if (r.code !== 0) throw fail('BACKUP_COMPONENT_FAILED', { component, reason: 'psql failed' }, r.stderr.trim().slice(-2000));
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

export async function listDatabases(docker: Docker, container: string): Promise<string[]> {
  return pgQuery(docker, container, 'postgres', "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres' ORDER BY 1");
}

/**
 * Row count and an order-independent checksum per table: the sum of the first 60 bits of
 * each row's md5 (numeric, so it cannot overflow). Order-independent because a restored
 * table stores its rows in a different physical order. One REPEATABLE READ transaction so
 * every table is counted at the same instant.
 */
export async function tableFacts(docker: Docker, container: string, db: string): Promise<TableFacts> {
  const tables = await pgQuery(
    docker,
    container,
    db,
    "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1",
  );
  if (tables.length === 0) return {};
  const parts = tables.map(
    (t) => `SELECT ${lit(t)}, count(*), coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint), 0)::text FROM ${t} r`,
  );
  const sql = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${parts.join(' UNION ALL ')}; COMMIT;`;
  const rows = await pgQuery(docker, container, db, sql);
  const facts: TableFacts = {};
  for (const line of rows) {
    const [name, count, sum] = line.split('|');
    if (name === undefined || count === undefined || sum === undefined) continue;
    facts[name] = { rows: Number(count), checksum: sum };
  }
  return facts;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
