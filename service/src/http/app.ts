import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { verifyJwt } from '../auth/jwt.js';
import { checkRate } from '../cache/rate-limit.js';
import { fail, ServiceError, unavailable } from '../errors.js';
import type { Service } from '../service.js';
import { chatRoutes } from './routes/chat.js';
import { documentRoutes } from './routes/documents.js';
import { embeddingRoutes } from './routes/embeddings.js';
import { opsRoutes } from './routes/ops.js';
import { searchRoutes } from './routes/search.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: string;
  }
}

const OPEN_ROUTES = new Set(['/health', '/ready']);

export interface AppOptions {
  logger?: boolean | { level: string; file?: string };
}

export async function buildApp(s: Service, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: s.config.MAX_BODY_BYTES,
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
  });
  let inflight = 0;

  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url ?? req.url;
    if (OPEN_ROUTES.has(route)) return;
    if (inflight >= s.config.MAX_CONCURRENT_REQUESTS) {
      s.metrics.rejected.inc({ reason: 'concurrency' });
      throw fail('TOO_MANY_CONCURRENT_REQUESTS', 503, `the service is serving ${inflight} requests, its limit (MAX_CONCURRENT_REQUESTS)`, { retryAfterSeconds: 1 });
    }
    inflight++;
    s.metrics.inflight.set(inflight);
    reply.raw.once('close', () => {
      inflight--;
      s.metrics.inflight.set(inflight);
    });
    req.principal = await authenticate(s, req);
    let decision;
    try {
      decision = await checkRate(s.redis, req.principal, s.config.RATE_LIMIT_PER_MINUTE);
    } catch (e) {
      // Limits are part of the service's safety: without Redis we refuse rather than run unlimited.
      throw unavailable('redis', e);
    }
    reply.header('x-ratelimit-limit', s.config.RATE_LIMIT_PER_MINUTE);
    reply.header('x-ratelimit-remaining', decision.remaining);
    if (!decision.allowed) {
      s.metrics.rejected.inc({ reason: 'rate' });
      throw fail('RATE_LIMITED', 429, `rate limit of ${s.config.RATE_LIMIT_PER_MINUTE} requests per minute reached for this key`, { retryAfterSeconds: decision.retryAfterSeconds });
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    s.metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    s.metrics.latency.observe({ method: req.method, route }, seconds);
    if (OPEN_ROUTES.has(route) || route === '/metrics') return;
    s.audit.record({
      principal: req.principal ?? 'anonymous',
      method: req.method,
      route,
      status: reply.statusCode,
      durationMs: reply.elapsedTime,
      requestId: req.id,
      clientIp: req.ip,
      body: s.config.AUDIT_STORE_BODIES ? req.body : undefined,
    });
  });

  app.setErrorHandler((err: Error, req, reply) => {
    let e: ServiceError;
    if (err instanceof ServiceError) e = err;
    else if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') e = fail('BODY_TOO_LARGE', 413, `request body is larger than ${s.config.MAX_BODY_BYTES} bytes (MAX_BODY_BYTES)`);
    else if ((err as { statusCode?: number }).statusCode === 400 || (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || (err as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      e = fail('BAD_REQUEST', (err as { statusCode?: number }).statusCode ?? 400, err.message, { fields: [{ field: 'body', message: err.message }] });
    } else if ((err as { statusCode?: number }).statusCode === 415) e = fail('UNSUPPORTED_MEDIA_TYPE', 415, 'send application/json');
    else {
      req.log.error({ err }, 'unhandled error');
      e = fail('INTERNAL', 500, `internal error (request ${req.id})`);
    }
    if (e.extra.retryAfterSeconds) reply.header('retry-after', String(e.extra.retryAfterSeconds));
    if (e.status >= 500 && e.status !== 503) req.log.error({ code: e.code }, e.message);
    void reply.status(e.status).send({ ...e.toJSON(), requestId: req.id });
  });

  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` }, requestId: req.id });
  });

  await app.register(opsRoutes(s));
  await app.register(embeddingRoutes(s));
  await app.register(documentRoutes(s));
  await app.register(searchRoutes(s));
  await app.register(chatRoutes(s));
  return app;
}

async function authenticate(s: Service, req: FastifyRequest): Promise<string> {
  const header = req.headers.authorization;
  const apiKeyHeader = req.headers['x-api-key'];
  const token = typeof apiKeyHeader === 'string' ? apiKeyHeader : header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (!token) throw fail('UNAUTHENTICATED', 401, 'send an API key (Authorization: Bearer mk_… or X-API-Key) or a JWT signed with JWT_SECRET');
  if (token.startsWith('mk_')) {
    let id: string | undefined;
    try {
      id = await s.keys.verify(token);
    } catch (e) {
      throw unavailable('postgres', e);
    }
    if (!id) throw fail('UNAUTHENTICATED', 401, 'API key unknown or revoked');
    return `key:${id}`;
  }
  const sub = await verifyJwt(token, s.config.JWT_SECRET);
  if (!sub) throw fail('UNAUTHENTICATED', 401, 'token invalid or expired');
  return `jwt:${sub}`;
}
