import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { describe, fail, ServiceError } from '../../errors.js';
import type { Service } from '../../service.js';
import { parse } from '../validate.js';
import { runSearch, searchBody } from './search.js';

const message = z.object({ role: z.enum(['system', 'user', 'assistant', 'tool']), content: z.string().max(200_000) }).passthrough();
const chatBody = z
  .object({
    model: z.string().min(1).optional(),
    messages: z.array(message).min(1, 'must hold at least one message').max(200),
    stream: z.boolean().default(false),
    /** medai extension: retrieval settings; `false` forwards without adding context. */
    retrieval: z.union([z.literal(false), z.object({ topK: z.number().int().min(1).max(20).default(4), filter: searchBody.shape.filter })]).default({ topK: 4 }),
  })
  .passthrough();

/** Numbered context block the model is asked to cite; the sources go back to the client too. */
function contextMessage(hits: Awaited<ReturnType<typeof runSearch>>): string {
  const blocks = hits.map((h, i) => `[${i + 1}] ${h.title || h.documentId}${h.source ? ` (${h.source})` : ''}\n${h.text}`);
  return `Answer using the clinical reference passages below when they are relevant and cite them as [n]. If they do not answer the question, say so.\n\n${blocks.join('\n\n')}`;
}

export function chatRoutes(s: Service): FastifyPluginAsync {
  return async (app) => {
    app.post('/v1/chat/completions', async (req, reply) => {
      const base = s.config.OPENAI_BASE_URL;
      if (!base) throw fail('CHAT_NOT_CONFIGURED', 501, 'no upstream LLM configured', { remedy: 'Set OPENAI_BASE_URL (and OPENAI_API_KEY) to the hospital LLM server.' });
      const b = parse(chatBody, req.body);
      const { retrieval, ...rest } = b;
      const lastUser = [...b.messages].reverse().find((m) => m.role === 'user');
      let sources: Awaited<ReturnType<typeof runSearch>> = [];
      if (retrieval !== false && lastUser) sources = await runSearch(s, { query: lastUser.content, topK: retrieval.topK, filter: retrieval.filter });
      const messages = sources.length > 0 ? [{ role: 'system', content: contextMessage(sources) }, ...b.messages] : b.messages;
      const upstreamBody = { ...rest, model: b.model ?? s.config.OPENAI_MODEL ?? 'default', messages };
      let res: Response;
      try {
        res = await fetch(new URL('chat/completions', base.endsWith('/') ? base : `${base}/`), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(s.config.OPENAI_API_KEY ? { authorization: `Bearer ${s.config.OPENAI_API_KEY}` } : {}) },
          body: JSON.stringify(upstreamBody),
          signal: AbortSignal.timeout(300_000),
        });
      } catch (e) {
        throw new ServiceError('UPSTREAM_UNAVAILABLE', 502, `LLM upstream ${base} unreachable: ${describe(e)}`, { dependency: 'llm' });
      }
      const sourceHeader = Buffer.from(JSON.stringify(sources.map((h) => ({ documentId: h.documentId, chunkId: h.chunkId, score: h.score, source: h.source })))).toString('base64');
      reply.header('x-medai-sources', sourceHeader);
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        throw new ServiceError('UPSTREAM_ERROR', 502, `LLM upstream answered ${res.status}: ${text.slice(0, 500)}`, { dependency: 'llm' });
      }
      if (b.stream && res.body) {
        // Server-sent events pass through untouched, chunk by chunk.
        reply.header('content-type', res.headers.get('content-type') ?? 'text/event-stream');
        reply.header('cache-control', 'no-cache');
        return reply.send(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream));
      }
      const json = (await res.json()) as Record<string, unknown>;
      return { ...json, medai_sources: sources.map((h) => ({ documentId: h.documentId, chunkId: h.chunkId, score: h.score, source: h.source, title: h.title })) };
    });
  };
}
