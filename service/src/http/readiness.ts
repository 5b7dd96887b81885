import { checkSchema } from '../db/migrations.js';
import { describe, fail } from '../errors.js';
import type { Service } from '../service.js';

export interface DependencyCheck {
  ok: boolean;
  latencyMs: number;
  error?: string;
  [k: string]: unknown;
}

export interface Readiness {
  ready: boolean;
  checks: Record<'postgres' | 'redis' | 'milvus' | 'model', DependencyCheck>;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer in ${ms} ms`)), ms).unref())]);
}

async function timed(fn: () => Promise<Record<string, unknown> | void>, ms: number, what: string): Promise<DependencyCheck> {
  const t0 = performance.now();
  try {
    const extra = (await withTimeout(fn(), ms, what)) ?? {};
    return { ok: true, latencyMs: Math.round((performance.now() - t0) * 10) / 10, ...extra };
  } catch (e) {
    return { ok: false, latencyMs: Math.round((performance.now() - t0) * 10) / 10, error: describe(e), ...((e as { code?: string }).code ? { code: (e as { code?: string }).code } : {}) };
  }
}

/** Probes every dependency in parallel; each has its own timeout so one hung peer cannot stall the rest. */
export async function checkReadiness(s: Service): Promise<Readiness> {
  const ms = s.config.DEPENDENCY_TIMEOUT_MS;
  const [postgres, redis, milvus] = await Promise.all([
    timed(async () => ({ schemaVersion: await checkSchema(s.db) }), ms, 'postgres'),
    timed(async () => {
      if (s.redis.status !== 'ready') throw fail('REDIS_NOT_CONNECTED', 503, `connection ${s.redis.status}`);
      await s.redis.ping();
    }, ms, 'redis'),
    timed(async () => {
      await s.milvus.health();
      return { collection: s.milvus.collection };
    }, ms, 'milvus'),
  ]);
  const e = s.embedder;
  const model: DependencyCheck = {
    ok: true,
    latencyMs: 0,
    name: e.name,
    dimension: e.dimension,
    maxTokens: e.manifest.maxTokens,
    provider: e.provider,
    ...(e.providerNote ? { providerNote: e.providerNote } : {}),
  };
  const checks = { postgres, redis, milvus, model };
  for (const [k, v] of Object.entries(checks)) s.metrics.dependencyUp.set({ dependency: k }, v.ok ? 1 : 0);
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
