import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';

export function createRedis(c: Pick<Config, 'REDIS_URL' | 'REDIS_PASSWORD' | 'DEPENDENCY_TIMEOUT_MS'>): Redis {
  return new Redis(c.REDIS_URL, {
    ...(c.REDIS_PASSWORD ? { password: c.REDIS_PASSWORD } : {}),
    // Fail fast while Redis is down instead of queueing requests in memory; keep
    // reconnecting in the background so the service recovers without a restart.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: c.DEPENDENCY_TIMEOUT_MS,
    // Generous per command: on a saturated CPU a healthy Redis can answer late; a dead one
    // fails at once (closed socket, no offline queue). /ready uses DEPENDENCY_TIMEOUT_MS.
    commandTimeout: Math.max(5000, c.DEPENDENCY_TIMEOUT_MS),
    retryStrategy: (times) => Math.min(200 * times, 2000),
    lazyConnect: false,
  });
}
