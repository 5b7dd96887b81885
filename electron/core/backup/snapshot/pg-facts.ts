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
 * How a table's checksum is computed. Backup and restore must use the same one, so the
 * method travels in the checksum itself: `h1:<sum>` is the current one, a bare number is
 * what manifests written before it hold (still checked the old way on restore).
 *
 * Both are order-independent (a restored table stores its rows in another physical order):
 * a sum of one hash per row's text form, in numeric, so it cannot overflow.
 * - legacy: the first 60 bits of md5(row text), via text → bit(60) → bigint (slow: 3× h1).
 * - h1: hashtextextended(row text, 0), 64 bits, summed by PostgreSQL's int128 accumulator.
 * The row's text form depends on output settings, so h1 pins them: a scratch server or a
 * changed default (TimeZone, DateStyle) must not turn a good restore into a mismatch.
 */
export type ChecksumMethod = 'h1' | 'legacy';

export const methodOf = (checksum: string | undefined): ChecksumMethod => (checksum === undefined || checksum.startsWith('h1:') ? 'h1' : 'legacy');

/** The method the recorded facts of one database were taken with (h1 for an empty record). */
export const methodOfFacts = (facts: TableFacts | undefined): ChecksumMethod => methodOf(Object.values(facts ?? {})[0]?.checksum);

const SETTINGS: Record<ChecksumMethod, string> = {
  h1: "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex';",
  legacy: '',
};

const rowSum: Record<ChecksumMethod, string> = {
  h1: "'h1:' || coalesce(sum(hashtextextended(r::text, 0)), 0)::text",
  legacy: "coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint), 0)::text",
};

/** The user tables of the connected database, as quoted qualified names. */
export const LIST_TABLES_SQL =
  "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1";

/**
 * One query returning `name|rows|checksum` per table. It runs inside the caller's
 * transaction: at backup that is the transaction whose snapshot pg_dump uses, so the facts
 * describe exactly the rows in the dump (the table list is read in the same transaction).
 */
export function factsSql(tables: string[], method: ChecksumMethod): string {
  if (tables.length === 0) return '';
  return `${SETTINGS[method]} ${tables.map((t) => `SELECT ${lit(t)}, count(*), ${rowSum[method]} FROM ${t} r`).join(' UNION ALL ')};`;
}

export function parseFacts(lines: string[]): TableFacts {
  const facts: TableFacts = {};
  for (const line of lines) {
    const [name, count, sum] = line.split('|');
    if (name === undefined || count === undefined || sum === undefined) continue;
    facts[name] = { rows: Number(count), checksum: sum };
  }
  return facts;
}

/**
 * Row counts and checksums of every table of a database, in one REPEATABLE READ
 * transaction so every table is counted at the same instant. Used on restore (the backup
 * takes them inside the dump's snapshot instead, see pg-snapshot-session.ts).
 */
export async function tableFacts(docker: Docker, container: string, db: string, method: ChecksumMethod = 'h1'): Promise<TableFacts> {
  const tables = await pgQuery(docker, container, db, LIST_TABLES_SQL);
  if (tables.length === 0) return {};
  return parseFacts(await pgQuery(docker, container, db, `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${factsSql(tables, method)} COMMIT;`));
}

/** SQL quoting for names and values this code builds statements from. */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
