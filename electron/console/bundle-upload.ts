import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { BUNDLE_UPLOAD_PATH, toApiError, type CallEnvelope } from '../core/contract';
import type { Core } from '../core/core';
import { realStatFs } from '../core/bundle/disk-space';
import { receiveUpload } from '../core/bundle/upload-store';

/**
 * The web console's bundle upload: the request body streams to disk as it arrives (a
 * bundle is hundreds of megabytes; the console's 1 MiB JSON limit does not apply here).
 * Same sign-in and Host/Origin checks as every /api/ route (the console's onRequest hook).
 */
export async function registerBundleUpload(app: FastifyInstance, core: Core): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    scope.post(BUNDLE_UPLOAD_PATH, { bodyLimit: Number.MAX_SAFE_INTEGER }, async (req, reply) => {
      let envelope: CallEnvelope;
      try {
        const result = await receiveUpload(core.deps.dataDir, req.body as Readable, Number(req.headers['content-length']), core.deps.bundle?.statfs ?? realStatFs);
        envelope = { ok: true, result };
      } catch (e) {
        envelope = { ok: false, error: toApiError(e) };
      }
      return reply.code(envelope.ok ? 200 : envelope.error.code === 'INVALID_REQUEST' ? 400 : 200).type('application/json').send(envelope);
    });
  });
}
