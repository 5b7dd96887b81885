import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Service } from '../../service.js';
import { parse } from '../validate.js';

const MAX_INPUTS = 2048;
const MAX_CHARS = 100_000;

// OpenAI-compatible: POST /v1/embeddings {input, model, encoding_format}.
const body = z.object({
  input: z.union([
    z.string().min(1, 'must not be empty').max(MAX_CHARS, `at most ${MAX_CHARS} characters`),
    z.array(z.string().min(1, 'must not be empty').max(MAX_CHARS, `at most ${MAX_CHARS} characters`)).min(1, 'must hold at least one text').max(MAX_INPUTS, `at most ${MAX_INPUTS} texts`),
  ]),
  model: z.string().optional(),
  encoding_format: z.enum(['float', 'base64']).default('float'),
  user: z.string().optional(),
  /** medai extension: "query" or "passage" applies the model's prefixes (e5-style models). */
  input_type: z.enum(['query', 'passage', 'raw']).default('raw'),
});

export function embeddingRoutes(s: Service): FastifyPluginAsync {
  return async (app) => {
    app.post('/v1/embeddings', async (req) => {
      const b = parse(
        body.refine((v) => v.model === undefined || v.model === s.embedder.name, { message: `this service serves model ${s.embedder.name}`, path: ['model'] }),
        req.body,
      );
      const texts = typeof b.input === 'string' ? [b.input] : b.input;
      const { vectors, tokens } = await s.embed(texts, b.input_type);
      return {
        object: 'list',
        model: s.embedder.name,
        data: vectors.map((v, index) => ({
          object: 'embedding',
          index,
          embedding: b.encoding_format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v),
        })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      };
    });
  };
}
