import { ConsistencyLevelEnum, DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { describe, fail, unavailable } from '../errors.js';
import { buildExpr, type SearchFilter } from './filter.js';

export interface VectorRow {
  id: string;
  docId: string;
  source: string;
  lang: string;
  metadata: Record<string, unknown>;
  vector: Float32Array;
}

export interface VectorHit {
  id: string;
  docId: string;
  score: number;
}

/** Collection name per model and dimension: vectors of two models never share an index. */
export function collectionName(prefix: string, model: string, dim: number): string {
  return `${prefix}_${model.replace(/[^A-Za-z0-9_]/g, '_')}_${dim}`.slice(0, 255);
}

export class MilvusStore {
  private ready: Promise<void> | undefined;
  /** When this instance last changed the collection (for read-your-writes, see search). */
  private lastWriteAt = 0;

  constructor(
    private readonly client: MilvusClient,
    readonly collection: string,
    private readonly dim: number,
    private readonly timeoutMs: number,
  ) {}

  static connect(host: string, port: number, collection: string, dim: number, timeoutMs: number): MilvusStore {
    const client = new MilvusClient({ address: `${host}:${port}`, timeout: 30_000, logLevel: 'error' });
    // The SDK says hello at construction and nobody awaits it: while Milvus is down that
    // rejection would be unhandled. Calls themselves reconnect through grpc on their own.
    client.connectPromise.catch(() => undefined);
    return new MilvusStore(client, collection, dim, timeoutMs);
  }

  async health(): Promise<void> {
    const t = new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs).unref());
    const r = await Promise.race([this.client.checkHealth(), t]);
    if (!r.isHealthy) throw fail('MILVUS_UNHEALTHY', 503, `unhealthy: ${(r.reasons ?? []).join('; ') || 'no reason given'}`);
  }

  /** Creates the collection and index on first use; remembered until an error says otherwise. */
  private ensure(): Promise<void> {
    this.ready ??= this.create().catch((e) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  private async create(): Promise<void> {
    const name = this.collection;
    const has = await this.client.hasCollection({ collection_name: name });
    if (!has.value) {
      await check(
        this.client.createCollection({
          collection_name: name,
          consistency_level: 'Strong',
          fields: [
            { name: 'id', data_type: DataType.VarChar, is_primary_key: true, max_length: 256 },
            { name: 'doc_id', data_type: DataType.VarChar, max_length: 256 },
            { name: 'source', data_type: DataType.VarChar, max_length: 1024 },
            { name: 'lang', data_type: DataType.VarChar, max_length: 32 },
            { name: 'metadata', data_type: DataType.JSON },
            { name: 'vector', data_type: DataType.FloatVector, dim: this.dim },
          ],
        }),
      );
      await check(
        this.client.createIndex({ collection_name: name, field_name: 'vector', index_type: 'HNSW', metric_type: 'COSINE', params: { M: 16, efConstruction: 200 } }),
      );
    }
    await check(this.client.loadCollectionSync({ collection_name: name }));
  }

  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      await this.ensure();
      return await fn();
    } catch (e) {
      // After a Milvus restart the collection may need loading again: retry once from scratch.
      this.ready = undefined;
      try {
        await this.ensure();
        return await fn();
      } catch (e2) {
        throw unavailable('milvus', e2 ?? e);
      }
    }
  }

  async upsertDocument(docId: string, rows: VectorRow[]): Promise<void> {
    this.lastWriteAt = Date.now();
    await this.guarded(async () => {
      await check(this.client.deleteEntities({ collection_name: this.collection, expr: `doc_id == ${JSON.stringify(docId)}` }));
      if (rows.length === 0) return;
      await check(
        this.client.insert({
          collection_name: this.collection,
          fields_data: rows.map((r) => ({ id: r.id, doc_id: r.docId, source: r.source, lang: r.lang, metadata: r.metadata, vector: Array.from(r.vector) })),
        }),
      );
    });
    this.lastWriteAt = Date.now();
  }

  async deleteDocument(docId: string): Promise<void> {
    this.lastWriteAt = Date.now();
    await this.guarded(() => check(this.client.deleteEntities({ collection_name: this.collection, expr: `doc_id == ${JSON.stringify(docId)}` })));
    this.lastWriteAt = Date.now();
  }

  async search(vector: Float32Array, topK: number, filter?: SearchFilter): Promise<VectorHit[]> {
    const expr = buildExpr(filter);
    return this.guarded(async () => {
      const r = await this.client.search({
        collection_name: this.collection,
        vector: Array.from(vector),
        limit: topK,
        ...(expr ? { filter: expr } : {}),
        output_fields: ['doc_id'],
        metric_type: 'COSINE',
        // Strong consistency waits for Milvus' next time tick (~200 ms per search), so it is
        // used only shortly after this instance wrote: a document is searchable as soon as
        // its ingest returned, and steady-state searches stay fast (Bounded, 5 s staleness,
        // which only other replicas' fresh writes can fall into).
        consistency_level: Date.now() - this.lastWriteAt < 6000 ? ConsistencyLevelEnum.Strong : ConsistencyLevelEnum.Bounded,
        params: { ef: Math.max(64, topK) },
      });
      if (r.status.error_code !== 'Success') throw new MilvusCallError(r.status.reason);
      return r.results.map((x) => ({ id: String(x.id), docId: String(x.doc_id), score: Number(x.score) }));
    });
  }

  /** Drops the collection (operators re-embedding with a new model; tests cleaning up). */
  async drop(): Promise<void> {
    this.ready = undefined;
    const has = await this.client.hasCollection({ collection_name: this.collection });
    if (has.value) await check(this.client.dropCollection({ collection_name: this.collection }));
  }

  async close(): Promise<void> {
    await this.client.closeConnection();
  }
}

class MilvusCallError extends Error {}

async function check(p: Promise<{ error_code?: string | number; reason?: string; status?: { error_code: string | number; reason: string } }>): Promise<void> {
  const r = await p;
  const code = r.status?.error_code ?? r.error_code;
  if (code !== undefined && code !== 'Success' && code !== 0) throw new MilvusCallError(`milvus: ${describe(r.status?.reason ?? r.reason)}`);
}
