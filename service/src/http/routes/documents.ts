import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { claim, complete, release } from '../../cache/idempotency.js';
import { deleteDocument, getChunks, getDocument, saveDocument } from '../../db/documents-repo.js';
import { describe, fail, unavailable } from '../../errors.js';
import type { Service } from '../../service.js';
import { chunkText } from '../../text/chunker.js';
import { parse } from '../validate.js';

const ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, '1–128 letters, digits, . _ : - (starting with a letter or digit)');
const scalar = z.union([z.string().max(1024), z.number().finite(), z.boolean()]);

export const documentBody = z.object({
  id: ID,
  text: z.string().min(1, 'must not be empty').max(5_000_000, 'at most 5,000,000 characters'),
  title: z.string().max(1024).default(''),
  source: z.string().max(1024).default(''),
  lang: z.string().max(32).default(''),
  metadata: z
    .record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'keys are 1–64 letters, digits or _'), scalar)
    .refine((m) => Object.keys(m).length <= 64, 'at most 64 keys')
    .default({}),
});

type DocumentBody = z.infer<typeof documentBody>;

function contentHash(b: DocumentBody, model: string): string {
  return createHash('sha256').update(JSON.stringify([b.text, b.title, b.source, b.lang, b.metadata, model])).digest('hex');
}

async function db<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code) && !(e as { code: string }).code.startsWith('08') && !(e as { code: string }).code.startsWith('57')) {
      throw fail('DATABASE_ERROR', 500, `database error: ${describe(e)}`);
    }
    throw unavailable('postgres', e);
  }
}

export function documentRoutes(s: Service): FastifyPluginAsync {
  async function ingest(b: DocumentBody): Promise<{ status: number; body: Record<string, unknown> }> {
    const hash = contentHash(b, s.embedder.name);
    const existing = await db(getDocument(s.db, b.id));
    if (existing && existing.content_sha256 === hash) {
      return { status: 200, body: { id: b.id, status: 'unchanged', chunks: existing.chunk_count, model: existing.model } };
    }
    const chunks = chunkText(b.text, { maxTokens: s.embedder.tokenizer.maxTokens, overlapSentences: 1, countTokens: (t) => s.embedder.tokenizer.count(t) });
    const { vectors } = await s.embed(
      chunks.map((c) => c.text),
      'passage',
    );
    const rows = chunks.map((c, i) => ({ id: `${b.id}#${hash.slice(0, 12)}#${c.index}`, docId: b.id, source: b.source, lang: b.lang, metadata: b.metadata, vector: vectors[i]!, c }));
    // Vectors first: if PostgreSQL then fails, the orphans are invisible to search (it joins
    // on PostgreSQL rows) and the retry replaces them.
    await s.milvus.upsertDocument(b.id, rows);
    await db(
      saveDocument(
        s.db,
        { id: b.id, title: b.title, source: b.source, lang: b.lang, metadata: b.metadata, content_sha256: hash, model: s.embedder.name, chunk_count: chunks.length },
        rows.map((r) => ({ id: r.id, document_id: b.id, idx: r.c.index, text: r.c.text, tokens: r.c.tokens })),
      ),
    );
    return { status: existing ? 200 : 201, body: { id: b.id, status: existing ? 'updated' : 'created', chunks: chunks.length, model: s.embedder.name } };
  }

  return async (app) => {
    app.post('/v1/documents', async (req, reply) => {
      const b = parse(documentBody, req.body);
      const idemKey = req.headers['idempotency-key'];
      if (typeof idemKey !== 'string' || !idemKey) {
        const r = await ingest(b);
        return reply.status(r.status).send(r.body);
      }
      if (idemKey.length > 200) throw fail('VALIDATION_FAILED', 400, 'Idempotency-Key is longer than 200 characters', { fields: [{ field: 'Idempotency-Key', message: 'at most 200 characters' }] });
      const scope = req.principal ?? 'anonymous';
      let c;
      try {
        c = await claim(s.redis, scope, idemKey);
      } catch (e) {
        throw unavailable('redis', e);
      }
      if (c.state === 'done') return reply.status(c.response.status).header('idempotent-replayed', 'true').send(c.response.body);
      if (c.state === 'running') throw fail('IDEMPOTENCY_CONFLICT', 409, 'a request with this Idempotency-Key is still running', { retryAfterSeconds: 1 });
      try {
        const r = await ingest(b);
        await complete(s.redis, scope, idemKey, r).catch(() => undefined);
        return reply.status(r.status).send(r.body);
      } catch (e) {
        await release(s.redis, scope, idemKey).catch(() => undefined);
        throw e;
      }
    });

    app.get('/v1/documents/:id', async (req) => {
      const { id } = parse(z.object({ id: ID }), req.params, 'path');
      const d = await db(getDocument(s.db, id));
      if (!d) throw fail('DOCUMENT_NOT_FOUND', 404, `no document ${id}`);
      const chunks = await db(getChunks(s.db, id));
      return {
        id: d.id,
        title: d.title,
        source: d.source,
        lang: d.lang,
        metadata: d.metadata,
        model: d.model,
        contentSha256: d.content_sha256,
        createdAt: d.created_at,
        updatedAt: d.updated_at,
        chunks: chunks.map((c) => ({ id: c.id, index: c.idx, text: c.text, tokens: c.tokens })),
      };
    });

    app.delete('/v1/documents/:id', async (req, reply) => {
      const { id } = parse(z.object({ id: ID }), req.params, 'path');
      const d = await db(getDocument(s.db, id));
      if (!d) throw fail('DOCUMENT_NOT_FOUND', 404, `no document ${id}`);
      await s.milvus.deleteDocument(id);
      await db(deleteDocument(s.db, id));
      return reply.status(204).send();
    });
  };
}
