import pg from 'pg';
import { poolMax, type Config } from '../config/config.js';

export function createPool(c: Pick<Config, 'DATABASE_URL' | 'DB_POOL_SIZE' | 'DB_MAX_OVERFLOW' | 'DEPENDENCY_TIMEOUT_MS'>, onError?: (e: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: c.DATABASE_URL,
    max: poolMax(c as Config),
    // Idle burst connections above DB_POOL_SIZE close after 10 s.
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: Math.max(5000, c.DEPENDENCY_TIMEOUT_MS),
    query_timeout: 30_000,
    application_name: 'medical-ai-service',
  });
  // A server restart kills idle clients; without a listener that is an uncaught error.
  pool.on('error', (e) => onError?.(e));
  return pool;
}
