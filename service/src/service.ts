import type { Redis } from 'ioredis';
import type pg from 'pg';
import { EmbeddingCache } from './cache/embedding-cache.js';
import { createRedis } from './cache/redis.js';
import type { Config } from './config/config.js';
import { ApiKeyVerifier } from './auth/api-keys.js';
import { AuditWriter } from './db/audit.js';
import { checkSchema } from './db/migrations.js';
import { createPool } from './db/pool.js';
import { describe, fail } from './errors.js';
import { DynamicBatcher } from './model/batcher.js';
import { Embedder } from './model/embedder.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { collectionName, MilvusStore } from './vector/milvus-store.js';

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface Service {
  config: Config;
  db: pg.Pool;
  redis: Redis;
  milvus: MilvusStore;
  embedder: Embedder;
  cache: EmbeddingCache;
  audit: AuditWriter;
  keys: ApiKeyVerifier;
  metrics: Metrics;
  startedAt: number;
  /** Embeds texts through the cache and the dynamic batcher. */
  embed(texts: string[], kind: 'query' | 'passage' | 'raw'): Promise<{ vectors: Float32Array[]; tokens: number }>;
  close(): Promise<void>;
}

/**
 * Wires the service. The model must load (a missing or corrupt model is a configuration
 * error); PostgreSQL, Redis and Milvus may be down at start: /ready reports them and the
 * service recovers when they come back. Only a schema newer than this build stops it.
 */
export async function createService(config: Config, log: Logger): Promise<Service> {
  let depth = () => 0;
  const metrics = createMetrics(() => depth());
  const embedder = await Embedder.load({ modelsDir: config.MODELS_DIR, name: config.MODEL_NAME, provider: config.EXECUTION_PROVIDER, threads: config.WORKER_THREADS });
  await embedder.embed(['warm-up']);
  metrics.provider.set({ provider: embedder.provider, model: embedder.name, dimension: String(embedder.dimension) }, 1);
  log.info({ model: embedder.name, dimension: embedder.dimension, provider: embedder.provider, note: embedder.providerNote || undefined }, 'model loaded');

  const db = createPool(config, (e) => log.warn({ err: describe(e) }, 'postgres connection lost'));
  try {
    await checkSchema(db);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SCHEMA_TOO_NEW') {
      await db.end();
      await embedder.close();
      throw e;
    }
    log.warn({ err: describe(e) }, 'database schema not verified at start; /ready reports it');
  }
  const redis = createRedis(config);
  redis.on('error', () => undefined); // reconnects on its own; /ready reports the state
  // Give the first connection a moment so the first requests do not race it; a Redis that
  // is down at start only delays startup by DEPENDENCY_TIMEOUT_MS.
  await new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const t = setTimeout(resolve, config.DEPENDENCY_TIMEOUT_MS).unref();
    redis.once('ready', () => {
      clearTimeout(t);
      resolve();
    });
  });
  const milvus = MilvusStore.connect(config.MILVUS_HOST, config.MILVUS_PORT, collectionName(config.MILVUS_COLLECTION_PREFIX, embedder.name, embedder.dimension), embedder.dimension, config.DEPENDENCY_TIMEOUT_MS);
  const cache = new EmbeddingCache(redis, embedder.name, config.EMBEDDING_CACHE_TTL_SECONDS);
  const audit = new AuditWriter(db, (n) => metrics.auditDropped.inc(n));
  const keys = new ApiKeyVerifier(db, config.SECRET_KEY);

  const batcher = new DynamicBatcher<{ v: Float32Array; n: number }>(
    async (texts) => {
      const r = await embedder.embed(texts);
      metrics.tokens.inc(r.tokens);
      return r.vectors.map((v, i) => ({ v, n: r.lengths[i] ?? 0 }));
    },
    config.MAX_BATCH_SIZE,
    config.BATCH_WAIT_MS,
    {
      onBatch: (size, seconds) => {
        metrics.batchSize.observe(size);
        metrics.batchSeconds.observe(seconds);
      },
    },
  );

  depth = () => batcher.depth;
  const m = embedder.manifest;
  async function embed(texts: string[], kind: 'query' | 'passage' | 'raw') {
    const prefix = kind === 'query' ? m.queryPrefix : kind === 'passage' ? m.passagePrefix : '';
    const inputs = prefix ? texts.map((t) => prefix + t) : texts;
    const cached = await cache.getMany(inputs);
    const missIdx: number[] = [];
    cached.forEach((v, i) => v ?? missIdx.push(i));
    metrics.cache.inc({ result: 'hit' }, texts.length - missIdx.length);
    metrics.cache.inc({ result: 'miss' }, missIdx.length);
    const vectors = cached.slice();
    const missTexts = missIdx.map((i) => inputs[i]!);
    // A request larger than one batch is split so it never holds the model for long.
    const parts: Promise<{ v: Float32Array; n: number }[]>[] = [];
    for (let i = 0; i < missTexts.length; i += config.MAX_BATCH_SIZE) parts.push(batcher.submit(missTexts.slice(i, i + config.MAX_BATCH_SIZE)));
    let computed: { v: Float32Array; n: number }[];
    try {
      computed = (await Promise.all(parts)).flat();
    } catch (e) {
      throw fail('MODEL_INFERENCE_FAILED', 500, `embedding failed: ${describe(e)}`);
    }
    let tokens = 0;
    computed.forEach((r, j) => {
      vectors[missIdx[j]!] = r.v;
      tokens += r.n;
    });
    void cache.setMany(missIdx.map((i, j) => [inputs[i]!, computed[j]!.v]));
    // Cache hits still count their tokens, as an OpenAI-compatible client expects.
    cached.forEach((v, i) => {
      if (v) tokens += Math.min(embedder.tokenizer.maxTokens, embedder.tokenizer.count(inputs[i]!));
    });
    return { vectors: vectors as Float32Array[], tokens };
  }

  return {
    config,
    db,
    redis,
    milvus,
    embedder,
    cache,
    audit,
    keys,
    metrics,
    startedAt: Date.now(),
    embed,
    async close() {
      await audit.close().catch(() => undefined);
      await milvus.close().catch(() => undefined);
      redis.disconnect();
      await db.end().catch(() => undefined);
      await embedder.close().catch(() => undefined);
    },
  };
}
