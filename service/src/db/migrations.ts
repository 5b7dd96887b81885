import type pg from 'pg';
import { fail, unavailable } from '../errors.js';

// Versioned, append-only. Never edit a released migration; add the next one. The manager
// runs `medai-service migrate` at install and upgrade; the service itself only checks.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'documents, chunks, api keys, audit',
    sql: `
      CREATE TABLE documents (
        id text PRIMARY KEY,
        title text NOT NULL DEFAULT '',
        source text NOT NULL DEFAULT '',
        lang text NOT NULL DEFAULT '',
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        content_sha256 text NOT NULL,
        model text NOT NULL,
        chunk_count integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE chunks (
        id text PRIMARY KEY,
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx integer NOT NULL,
        text text NOT NULL,
        tokens integer NOT NULL
      );
      CREATE INDEX chunks_document_idx ON chunks(document_id, idx);
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        key_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        principal text NOT NULL,
        method text NOT NULL,
        route text NOT NULL,
        status integer NOT NULL,
        duration_ms real NOT NULL,
        request_id text NOT NULL,
        client_ip text,
        body jsonb
      );
      CREATE INDEX audit_log_at_idx ON audit_log(at);
      CREATE INDEX audit_log_principal_idx ON audit_log(principal, at);
    `,
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
const LOCK_ID = 727_001; // advisory lock: two migrators never interleave

async function ensureTable(c: pg.PoolClient | pg.Pool): Promise<void> {
  await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
}

export async function currentVersion(db: pg.Pool): Promise<number> {
  // Two statements: PostgreSQL resolves table names at parse time, even in an untaken branch.
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!exists.rows[0]?.t) return 0;
  const r = await db.query<{ v: number | null }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
  return Number(r.rows[0]?.v ?? 0);
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
}

export async function migrate(db: pg.Pool, onStep?: (m: Migration) => void): Promise<MigrateResult> {
  let client: pg.PoolClient;
  try {
    client = await db.connect();
  } catch (e) {
    throw unavailable('postgres', e);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await ensureTable(client);
    const from = Number((await client.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]?.v ?? 0);
    if (from > SCHEMA_VERSION) throw schemaTooNew(from);
    const applied: number[] = [];
    for (const m of MIGRATIONS.filter((x) => x.version > from).sort((a, b) => a.version - b.version)) {
      onStep?.(m);
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations(version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw fail('MIGRATION_FAILED', 500, `migration ${m.version} (${m.name}) failed: ${String(e)}`);
      }
      applied.push(m.version);
    }
    return { from, to: Math.max(from, SCHEMA_VERSION), applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    client.release();
  }
}

export function schemaTooNew(found: number) {
  return fail('SCHEMA_TOO_NEW', 500, `database schema version ${found} is newer than this service (${SCHEMA_VERSION})`, {
    remedy: 'This service is older than the database: run the matching or a newer service version (the manager rolls back both together).',
  });
}

export function schemaOutdated(found: number) {
  return fail('SCHEMA_OUTDATED', 500, `database schema version ${found} is older than this service (${SCHEMA_VERSION})`, {
    remedy: 'Run the migrations: medai-service migrate (the manager does this at install and upgrade).',
  });
}

/** Throws unless the schema is exactly the one this service was built for. */
export async function checkSchema(db: pg.Pool): Promise<number> {
  const v = await currentVersion(db);
  if (v > SCHEMA_VERSION) throw schemaTooNew(v);
  if (v < SCHEMA_VERSION) throw schemaOutdated(v);
  return v;
}
