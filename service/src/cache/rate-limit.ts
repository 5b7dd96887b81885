import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

// Fixed one-minute windows per principal, shared by every service replica through Redis.
export async function checkRate(redis: Redis, principal: string, perMinute: number, now = Date.now()): Promise<RateDecision> {
  const window = Math.floor(now / 60_000);
  const key = `rl:${principal}:${window}`;
  const res = await redis.multi().incr(key).expire(key, 61).exec();
  const count = Number(res?.[0]?.[1] ?? 0);
  const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
  return { allowed: count <= perMinute, remaining: Math.max(0, perMinute - count), retryAfterSeconds };
}
