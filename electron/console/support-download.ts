import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { apiError, SUPPORT_BUNDLE_DOWNLOAD_PATH } from '../core/contract';
import type { Core } from '../core/core';
import { BUNDLE_NAME, supportDir } from '../core/diagnostics/bundle/output-path';

/**
 * Download of a diagnostics bundle through the web console. Behind the console's onRequest
 * hook like every /api/ route (session or token, Host and Origin checked). Only a plain
 * file name of the data directory's support/ folder is served: no path, no link out of it.
 */
export function resolveSupportBundle(dataDir: string, name: string): string | undefined {
  if (!BUNDLE_NAME.test(name)) return undefined;
  const dir = supportDir(dataDir);
  const file = path.join(dir, name);
  try {
    const real = fs.realpathSync(file);
    if (path.dirname(real) !== fs.realpathSync(dir) || !fs.lstatSync(file).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

export function registerSupportDownload(app: FastifyInstance, core: Core): void {
  app.get(`${SUPPORT_BUNDLE_DOWNLOAD_PATH}:name`, async (req, reply) => {
    const { name } = req.params as { name: string };
    const file = resolveSupportBundle(core.deps.dataDir, name);
    if (!file) return reply.code(404).type('application/json').send({ ok: false, error: apiError('DIAGNOSTICS_FILE_NOT_FOUND', { name }) });
    reply.header('Content-Disposition', `attachment; filename="${name}"`);
    reply.header('Content-Length', fs.statSync(file).size);
    return reply.code(200).type('application/gzip').send(fs.createReadStream(file));
  });
}
