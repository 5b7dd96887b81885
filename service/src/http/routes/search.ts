import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { chunksByIds } from '../../db/documents-repo.js';
import { unavailable } from '../../errors.js';
import type { Service } from '../../service.js';
import { parse } from '../validate.js';

export const searchBody = z.object({
  query: z.string().min(1, 'must not be empty').max(10_000, 'at most 10,000 characters'),
  topK: z.number().int().min(1).max(100).default(5),
  minScore: z.number().min(-1).max(1).optional(),
  filter: z
    .object({
      documentIds: z.array(z.string().max(128)).max(1000).optional(),
      source: z.string().max(1024).optional(),
      lang: z.string().max(32).optional(),
      metadata: z.record(z.string(), z.union([z.string().max(1024), z.number().finite(), z.boolean()])).optional(),
    })
    .strict()
    .optional(),
});

export type SearchBody = z.infer<typeof searchBody>;

export interface SearchHitOut {
  chunkId: string;
  documentId: string;
  index: number;
  score: number;
  text: string;
  title: string;
  source: string;
  lang: string;
  metadata: Record<string, unknown>;
}

export async function runSearch(s: Service, b: SearchBody): Promise<SearchHitOut[]> {
  const [q] = (await s.embed([b.query], 'query')).vectors;
  const hits = await s.milvus.search(q!, b.topK, b.filter);
  let rows;
  try {
    rows = await chunksByIds(
      s.db,
      hits.map((h) => h.id),
    );
  } catch (e) {
    throw unavailable('postgres', e);
  }
  // PostgreSQL holds the truth: vectors without a row (a half-finished ingest) are skipped.
  return hits
    .filter((h) => rows.has(h.id) && (b.minScore === undefined || h.score >= b.minScore))
    .map((h) => {
      const r = rows.get(h.id)!;
      return { chunkId: h.id, documentId: r.document_id, index: r.idx, score: h.score, text: r.text, title: r.title, source: r.source, lang: r.lang, metadata: r.metadata };
    });
}

export function searchRoutes(s: Service): FastifyPluginAsync {
  return async (app) => {
    app.post('/v1/search', async (req) => {
      const b = parse(searchBody, req.body);
      return { model: s.embedder.name, results: await runSearch(s, b) };
    });
  };
}
