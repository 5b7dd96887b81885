import type { PgBase } from '../../contract';
import { ident, lit } from './pg-facts';

/**
 * Differential PostgreSQL backups: the hourly run stores, for each table with a single
 * integer primary key whose columns are unchanged since the last full dump, only the rows
 * written since that dump's snapshot and the keys that still exist — not the whole table.
 *
 * "Written since" is a filter on the row's `xmin` (the transaction that wrote this row
 * version). PostgreSQL keeps a row's raw xmin when it freezes it (since 9.4), so every row
 * inserted or updated after the full's snapshot has an xmin of at least that snapshot's
 * xmin. The filter may take a few older rows too (transactions that were already done when
 * the full was taken but numbered above its xmin); the restore replaces rows by key, so
 * more rows than needed cost bytes, never correctness. Deleted rows are found by key:
 * the differential records the key ranges that exist, and the restore deletes the rest.
 * Every restore checks the result against the rows and checksums of every table taken in
 * the differential's own snapshot, as for a full.
 */

/** A table a differential can store as a difference; names quoted as in the table facts. */
export interface KeyedTable {
  schema: string;
  table: string;
  /** The primary key column, quoted. */
  key: string;
  /** Every column with its type, in order: a table whose columns changed is stored whole. */
  columns: string;
  /** The columns COPY reads and writes (generated columns left out), quoted. */
  copy: string;
}

export interface DumpSnapshotInfo {
  /** pg_control's system identifier: a cluster made anew (wiped volume, initdb) has another. */
  cluster: string;
  xmin: bigint;
  /** By the quoted qualified name (`schema.table`, as in the facts). */
  tables: Record<string, KeyedTable>;
}

/**
 * Run in the dump's own transaction: its snapshot's xmin and every ordinary table with a
 * single-column int2/int4/int8 primary key. One JSON line.
 */
export const SNAPSHOT_INFO_SQL = `SELECT json_build_object('cluster', (SELECT system_identifier::text FROM pg_control_system()), 'xmin', pg_snapshot_xmin(pg_current_snapshot())::text, 'tables', coalesce((
  SELECT json_object_agg(format('%I.%I', n.nspname, c.relname), json_build_object(
    'schema', n.nspname, 'table', c.relname, 'key', quote_ident(a.attname),
    'columns', (SELECT string_agg(quote_ident(x.attname) || ' ' || format_type(x.atttypid, x.atttypmod) || CASE WHEN x.attgenerated <> '' THEN ' generated' ELSE '' END, ', ' ORDER BY x.attnum)
                FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attnum > 0 AND NOT x.attisdropped),
    'copy', (SELECT string_agg(quote_ident(x.attname), ', ' ORDER BY x.attnum)
             FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attnum > 0 AND NOT x.attisdropped AND x.attgenerated = '')))
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary AND i.indnkeyatts = 1
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)), '{}'::json));`;

export function parseSnapshotInfo(line: string): DumpSnapshotInfo {
  const raw = JSON.parse(line) as { cluster: string; xmin: string; tables: Record<string, KeyedTable> };
  return { cluster: raw.cluster, xmin: BigInt(raw.xmin), tables: raw.tables };
}

/** What a full dump records so that later differentials can be taken against it. */
export const toPgBase = (info: DumpSnapshotInfo): PgBase => ({
  cluster: info.cluster,
  xmin: info.xmin.toString(),
  tables: Object.fromEntries(Object.entries(info.tables).map(([name, t]) => [name, { key: t.key, columns: t.columns }])),
});

/**
 * A differential's rows are found by comparing 32-bit transaction ids relative to now, which
 * is exact only within 2^31 transactions; far inside that, the next full is due anyway.
 */
export const MAX_TRANSACTIONS_SINCE_BASE = 1n << 30n;

export type DifferentialPlan = { tables: KeyedTable[]; since: string } | { reason: string };

/** Which tables of the current snapshot can be stored as a difference against `base`. */
export function planDifferential(base: PgBase, now: DumpSnapshotInfo): DifferentialPlan {
  // Transaction ids only order rows within one cluster: one initialised anew since (a wiped
  // volume restored from a backup) counts from the start again, and its rows would look old.
  if (base.cluster !== now.cluster) return { reason: 'the database cluster is not the one the full backup was taken from' };
  const baseXmin = BigInt(base.xmin);
  const span = now.xmin - baseXmin;
  if (span < 0n || span >= MAX_TRANSACTIONS_SINCE_BASE) return { reason: `${span} transactions since the full backup` };
  const since = baseXmin % (1n << 32n);
  // 0–2 are PostgreSQL's special transaction ids, never a row's real writer.
  if (since < 3n) return { reason: 'the full backup was taken at a transaction id wraparound' };
  const tables = Object.entries(now.tables)
    .filter(([name, t]) => base.tables[name]?.key === t.key && base.tables[name]?.columns === t.columns)
    .map(([, t]) => t)
    .sort((a, b) => (a.schema + '.' + a.table < b.schema + '.' + b.table ? -1 : 1));
  if (tables.length === 0) return { reason: 'no keyed table is unchanged since the full backup' };
  return { tables, since: since.toString() };
}

export const qualified = (t: Pick<KeyedTable, 'schema' | 'table'>) => `${ident(t.schema)}.${ident(t.table)}`;

/** pg_dump `--exclude-table-data` for one table: both parts double-quoted, so matched exactly. */
export const excludeDataArg = (t: Pick<KeyedTable, 'schema' | 'table'>) => `--exclude-table-data=${qualified(t)}`;

/**
 * The psql input that writes a differential's delta script to standard output, in the
 * dump's snapshot (imported by id): per table the changed rows as COPY data into a
 * temporary table, the delete of keys that no longer exist, then replace-by-key. The script
 * is plain SQL for `psql -1`, readable and restorable without this app.
 */
export function deltaScriptSql(snapshot: string, since: string, tables: KeyedTable[]): string {
  const out = (sql: string) => `SELECT ${lit(sql)};`;
  const lines = [
    'SET client_encoding = UTF8;',
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;',
    `SET TRANSACTION SNAPSHOT ${lit(snapshot)};`,
    // COPY text as pg_dump writes it, and read back with the same settings.
    "SET LOCAL DateStyle = 'ISO'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 3;",
    out(`-- medai differential: rows written since transaction ${since} and the keys that exist, for ${tables.length} table(s)`),
    out("SET client_encoding = 'UTF8'; SET DateStyle = 'ISO'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3;"),
  ];
  tables.forEach((t, i) => {
    const name = qualified(t);
    const temp = `medai_delta_${i + 1}`;
    lines.push(
      out(`CREATE TEMP TABLE ${temp} AS SELECT ${t.copy} FROM ONLY ${name} WITH NO DATA;`),
      out(`COPY ${temp} (${t.copy}) FROM stdin;`),
      `COPY (SELECT ${t.copy} FROM ONLY ${name} WHERE age(xmin) <= age(${lit(since)}::xid)) TO STDOUT;`,
      out('\\.'),
      // The keys that exist, as ranges: one range for a gapless key (the usual case, no
      // window pass), else the islands of consecutive keys.
      `SELECT format('DELETE FROM ONLY %s WHERE NOT (%s::int8 <@ %L::int8multirange);', ${lit(name)}, ${lit(t.key)}, (
         SELECT CASE WHEN n = 0 THEN '{}' WHEN hi::numeric - lo + 1 = n THEN format('{[%s,%s]}', lo, hi)
           ELSE (SELECT range_agg(int8range(a, b, '[]'))::text FROM (SELECT min(k) a, max(k) b FROM (SELECT ${t.key}::int8 k, ${t.key}::int8 - row_number() OVER (ORDER BY ${t.key}) g FROM ONLY ${name}) x GROUP BY g) y) END
         FROM (SELECT count(*) n, min(${t.key})::int8 lo, max(${t.key})::int8 hi FROM ONLY ${name}) s));`,
      out(`DELETE FROM ONLY ${name} AS t USING ${temp} AS d WHERE t.${t.key} = d.${t.key};`),
      out(`INSERT INTO ${name} (${t.copy}) OVERRIDING SYSTEM VALUE SELECT ${t.copy} FROM ${temp};`),
      out(`DROP TABLE ${temp};`),
    );
  });
  lines.push('COMMIT;');
  return lines.join('\n') + '\n';
}
