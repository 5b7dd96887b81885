import type { FastifyPluginAsync } from 'fastify';
import type { Service } from '../../service.js';
import { checkReadiness } from '../readiness.js';

export const SERVICE_VERSION = '0.1.0';

export function opsRoutes(s: Service): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', async () => ({ status: 'ok', version: SERVICE_VERSION, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000) }));

    app.get('/ready', async (_req, reply) => {
      const r = await checkReadiness(s);
      if (!r.ready) reply.header('retry-after', '5');
      return reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'degraded', version: SERVICE_VERSION, checks: r.checks });
    });

    app.get('/metrics', async (_req, reply) => {
      reply.header('content-type', s.metrics.registry.contentType);
      return s.metrics.registry.metrics();
    });
  };
}
