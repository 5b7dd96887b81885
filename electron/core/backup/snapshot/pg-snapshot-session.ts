import type Docker from 'dockerode';
import { fail } from '../../contract';
import { execStream, type ExecStream } from './container-exec';
import { factsSql, LIST_TABLES_SQL, parseFacts, type TableFacts } from './pg-facts';

/**
 * A REPEATABLE READ transaction held open in the db container while a database is dumped:
 * it exports its snapshot for `pg_dump --snapshot`, and takes the table facts (rows and
 * checksums) itself, in that same snapshot and while the dump runs. So the facts in the
 * manifest describe exactly the rows in the dump, even with writers active, and cost no
 * time of their own on top of the dump. The snapshot stays importable until close().
 */
export interface SnapshotSession {
  /** pg_export_snapshot()'s id, for `pg_dump --snapshot`. */
  snapshot: string;
  /** Runs SQL in the held transaction and returns its output lines (not while facts() runs). */
  query(sql: string): Promise<string[]>;
  /** Starts the facts query in the held transaction (call once pg_dump has been started). */
  facts(): Promise<TableFacts>;
  /** Ends the transaction: call after pg_dump finished (it imports the snapshot at its start). */
  close(): Promise<void>;
}

const MARK = '@@medai-end@@';

export async function openSnapshotSession(docker: Docker, container: string, db: string): Promise<SnapshotSession> {
  const s = await execStream(docker, container, ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db], { user: 'postgres', withStdin: true });
  const lines = reader(s);
  const send = (sql: string) => void s.stdin!.write(`${sql}\nSELECT '${MARK}';\n`);
  send('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();');
  const [snapshot] = await lines.until(MARK);
  if (!snapshot || !/^[0-9A-F-]+$/i.test(snapshot)) {
    s.abort();
    throw fail('BACKUP_COMPONENT_FAILED', { component: 'postgres', reason: `${db}: could not export a snapshot` }, s.stderr().trim().slice(-2000));
  }
  let closed = false;
  return {
    snapshot,
    async query(sql: string) {
      send(sql);
      return lines.until(MARK);
    },
    async facts() {
      send(LIST_TABLES_SQL + ';');
      const tables = await lines.until(MARK);
      if (tables.length === 0) return {};
      send(factsSql(tables, 'h1'));
      return parseFacts(await lines.until(MARK));
    },
    async close() {
      if (closed) return;
      closed = true;
      s.stdin!.end('COMMIT;\n');
      await s.exitCode;
    },
  };
}

/** Reads psql's output up to each marker line; fails with psql's error if it exits first. */
function reader(s: ExecStream) {
  let buf = '';
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  s.stdout.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      queue.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
    wake?.();
  });
  s.stdout.on('end', () => {
    ended = true;
    wake?.();
  });
  return {
    async until(mark: string): Promise<string[]> {
      const out: string[] = [];
      for (;;) {
        while (queue.length) {
          const l = queue.shift()!;
          if (l === mark) return out;
          out.push(l);
        }
        if (ended) throw fail('BACKUP_COMPONENT_FAILED', { component: 'postgres', reason: 'psql failed' }, s.stderr().trim().slice(-2000));
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    },
  };
}
