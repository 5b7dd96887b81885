import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

// Vectors keyed by model and the text's sha256; values are raw float32 bytes.
export class EmbeddingCache {
  constructor(
    private readonly redis: Redis,
    private readonly model: string,
    private readonly ttlSeconds: number,
  ) {}

  key(text: string): string {
    return `emb:${this.model}:${createHash('sha256').update(text).digest('hex')}`;
  }

  /** Best effort: a cache outage costs speed, not answers. */
  async getMany(texts: string[]): Promise<(Float32Array | undefined)[]> {
    if (this.ttlSeconds === 0 || texts.length === 0) return texts.map(() => undefined);
    try {
      const vals = await this.redis.mgetBuffer(...texts.map((t) => this.key(t)));
      return vals.map((b) => (b ? new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) : undefined));
    } catch {
      return texts.map(() => undefined);
    }
  }

  async setMany(entries: Array<[string, Float32Array]>): Promise<void> {
    if (this.ttlSeconds === 0 || entries.length === 0) return;
    try {
      const m = this.redis.multi();
      for (const [t, v] of entries) m.set(this.key(t), Buffer.from(v.buffer, v.byteOffset, v.byteLength), 'EX', this.ttlSeconds);
      await m.exec();
    } catch {
      // see getMany
    }
  }
}
