import type { Redis } from 'ioredis';

// Idempotency-Key: the first request with a key runs; a retry with the same key gets the
// stored response; a concurrent duplicate gets 409 while the first is still running.
export interface StoredResponse {
  status: number;
  body: unknown;
}

const TTL_SECONDS = 24 * 3600;

export type Claim = { state: 'new' } | { state: 'running' } | { state: 'done'; response: StoredResponse };

export async function claim(redis: Redis, scope: string, key: string): Promise<Claim> {
  const k = `idem:${scope}:${key}`;
  const ok = await redis.set(k, JSON.stringify({ state: 'running' }), 'EX', 300, 'NX');
  if (ok === 'OK') return { state: 'new' };
  const raw = await redis.get(k);
  if (!raw) return claim(redis, scope, key);
  const v = JSON.parse(raw) as { state: string; response?: StoredResponse };
  return v.state === 'done' && v.response ? { state: 'done', response: v.response } : { state: 'running' };
}

export async function complete(redis: Redis, scope: string, key: string, response: StoredResponse): Promise<void> {
  await redis.set(`idem:${scope}:${key}`, JSON.stringify({ state: 'done', response }), 'EX', TTL_SECONDS);
}

export async function release(redis: Redis, scope: string, key: string): Promise<void> {
  await redis.del(`idem:${scope}:${key}`);
}
