import { describe, expect, it } from 'vitest';
import { deltaScriptSql, excludeDataArg, MAX_TRANSACTIONS_SINCE_BASE, parseSnapshotInfo, planDifferential, toPgBase, type KeyedTable } from '../../../electron/core/backup/snapshot/pg-differential';

const table = (t: string, columns = 'id integer, v text', schema = 'public'): KeyedTable => ({ schema, table: t, key: 'id', columns, copy: 'id, v' });
const info = (xmin: bigint, ...tables: KeyedTable[]) => ({ cluster: '7301', xmin, tables: Object.fromEntries(tables.map((t) => [`${t.schema}.${t.table}`, t])) });

describe('which tables a differential stores as a difference', () => {
  const base = toPgBase(info(5000n, table('a'), table('b'), table('c')));
  it('takes the keyed tables whose key and columns are as in the full', () => {
    const plan = planDifferential(base, info(9000n, table('a'), table('b', 'id integer, v text, extra integer'), table('new')));
    expect(plan).toEqual({ tables: [table('a')], since: '5000' });
  });
  it('dumps whole when no table qualifies, or too many transactions passed, or the full sat at a wraparound', () => {
    expect(planDifferential(base, info(9000n, table('new')))).toEqual({ reason: expect.stringContaining('no keyed table') });
    expect(planDifferential(base, info(5000n + MAX_TRANSACTIONS_SINCE_BASE, table('a')))).toEqual({ reason: expect.stringContaining('transactions since') });
    expect(planDifferential(base, info(4000n, table('a')))).toEqual({ reason: expect.stringContaining('transactions since') });
    expect(planDifferential(toPgBase(info(1n << 32n, table('a'))), info((1n << 32n) + 10n, table('a')))).toEqual({ reason: expect.stringContaining('wraparound') });
    // A cluster initialised anew counts transactions from the start: its restored rows would look old.
    expect(planDifferential(base, { ...info(9000n, table('a')), cluster: '9999' })).toEqual({ reason: expect.stringContaining('cluster') });
  });
  it('compares 32-bit transaction ids relative to the full: the 64-bit xmin is reduced', () => {
    const far = toPgBase(info((3n << 32n) + 777n, table('a')));
    expect(planDifferential(far, info((3n << 32n) + 900n, table('a')))).toEqual({ tables: [table('a')], since: '777' });
  });
  it('reads the snapshot line the database writes', () => {
    const parsed = parseSnapshotInfo('{"cluster" : "7301", "xmin" : "123", "tables" : {"public.a" : {"schema" : "public", "table" : "a", "key" : "id", "columns" : "id integer", "copy" : "id"}}}');
    expect(parsed.xmin).toBe(123n);
    expect(toPgBase(parsed)).toEqual({ cluster: '7301', xmin: '123', tables: { 'public.a': { key: 'id', columns: 'id integer' } } });
  });
});

describe('the delta script and the dump around it', () => {
  it('excludes exactly the differential tables from the dump, quoted', () => {
    expect(excludeDataArg({ schema: 'public', table: 'Odd "name" *' })).toBe('--exclude-table-data="public"."Odd ""name"" *"');
  });
  it('reads the rows in the dump snapshot and writes a script that replaces them by key', () => {
    const sql = deltaScriptSql('00000003-0000001B-1', '5000', [table("it's")]);
    expect(sql).toContain("SET TRANSACTION SNAPSHOT '00000003-0000001B-1';");
    expect(sql).toContain(`COPY (SELECT id, v FROM ONLY "public"."it's" WHERE age(xmin) <= age('5000'::xid)) TO STDOUT;`);
    // Script text goes out as SQL literals: a quote in a name is doubled, not an injection.
    expect(sql).toContain(`SELECT 'DELETE FROM ONLY "public"."it''s" AS t USING medai_delta_1 AS d WHERE t.id = d.id;';`);
    expect(sql.trim().endsWith('COMMIT;')).toBe(true);
  });
});
