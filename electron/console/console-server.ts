import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import {
  apiError,
  CallEnvelope,
  HTTP,
  SocketClientMessage,
  toApiError,
  type ApiError,
  type SocketServerMessage,
} from '../core/contract';
import type { Core } from '../core/core';
import { registerBundleUpload } from './bundle-upload';
import { registerSupportDownload } from './support-download';
import { tokensEqual } from './console-token';
import { createRequestGuard } from './request-guard';

export interface ConsoleOptions {
  core: Core;
  token: string;
  /** 127.0.0.1 unless a support session was opened explicitly. */
  host: string;
  port: number;
  /** The built renderer; absent in API-only tests. */
  rendererDir?: string;
  docsDir?: string;
}

export interface RunningConsole {
  url: string;
  port: number;
  server: FastifyInstance;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'medai_session';

/** Allows the renderer's own scripts only; antd injects its styles at run time, hence 'unsafe-inline' for styles alone. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const readCookie = (header: string | undefined, name: string): string | undefined =>
  header
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

function send(reply: FastifyReply, status: number, envelope: CallEnvelope): FastifyReply {
  return reply.code(status).type('application/json').send(envelope);
}

/** The web console: the renderer over HTTP, the API at /api/call/:method, operation events over a WebSocket. */
export async function startConsole(opts: ConsoleOptions): Promise<RunningConsole> {
  const sessions = new Set<string>();
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  // The guard needs the bound port, known only after listen; it is set before the first request.
  let guard = createRequestGuard(opts.port);

  const authorized = (cookieHeader: string | undefined, authHeader: string | undefined): boolean => {
    const session = readCookie(cookieHeader, SESSION_COOKIE);
    if (session && sessions.has(session)) return true;
    const bearer = authHeader?.startsWith('Bearer ') ? authHeader.slice(7) : undefined;
    return bearer !== undefined && tokensEqual(bearer, opts.token);
  };

  app.addHook('onRequest', async (req, reply) => {
    reply.header('Content-Security-Policy', CONSOLE_CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    if (!guard.hostAllowed(req.headers.host) || !guard.originAllowed(req.headers.origin)) {
      return send(reply, 403, { ok: false, error: apiError('FORBIDDEN_ORIGIN', {}, `host=${req.headers.host ?? ''} origin=${req.headers.origin ?? ''}`) });
    }
    const open = req.url === HTTP.login || req.url === HTTP.session || !req.url.startsWith('/api/');
    if (!open && !authorized(req.headers.cookie, req.headers.authorization)) {
      return send(reply, 401, { ok: false, error: apiError('UNAUTHORIZED') });
    }
    return undefined;
  });

  app.post(HTTP.login, async (req, reply) => {
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !tokensEqual(token, opts.token)) return send(reply, 401, { ok: false, error: apiError('UNAUTHORIZED') });
    const session = randomBytes(24).toString('base64url');
    sessions.add(session);
    reply.header('Set-Cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
    return send(reply, 200, { ok: true, result: { signedIn: true } });
  });

  app.get(HTTP.session, async (req, reply) =>
    send(reply, 200, { ok: true, result: { signedIn: authorized(req.headers.cookie, req.headers.authorization) } }),
  );

  app.post(HTTP.logout, async (req, reply) => {
    const session = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (session) sessions.delete(session);
    reply.header('Set-Cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return send(reply, 200, { ok: true, result: { signedIn: false } });
  });

  app.post(`${HTTP.callPrefix}:method`, async (req, reply) => {
    const { method } = req.params as { method: string };
    const envelope = await opts.core.dispatch(method, req.body ?? {});
    const status = envelope.ok ? 200 : envelope.error.code === 'INVALID_REQUEST' || envelope.error.code === 'UNKNOWN_METHOD' ? 400 : 200;
    return send(reply, status, envelope);
  });

  await registerBundleUpload(app, opts.core);
  registerSupportDownload(app, opts.core);

  app.get(HTTP.events, { websocket: true }, (socket) => {
    const detachers = new Map<string, () => void>();
    const post = (m: SocketServerMessage) => socket.send(JSON.stringify(m));
    const postError = (error: ApiError) => post({ type: 'error', error });
    socket.on('message', (raw: Buffer) => {
      let msg: SocketClientMessage;
      try {
        msg = SocketClientMessage.parse(JSON.parse(raw.toString('utf8')));
      } catch (e) {
        return postError(apiError('INVALID_REQUEST', {}, (e as Error).message));
      }
      if (msg.type === 'detach') {
        detachers.get(msg.operationId)?.();
        detachers.delete(msg.operationId);
        return undefined;
      }
      if (detachers.has(msg.operationId)) return undefined;
      try {
        detachers.set(msg.operationId, opts.core.operations.attach(msg.operationId, (event) => post({ type: 'event', event })));
      } catch (e) {
        postError(toApiError(e));
      }
      return undefined;
    });
    socket.on('close', () => detachers.forEach((d) => d()));
  });

  if (opts.docsDir && fs.existsSync(opts.docsDir)) {
    await app.register(fastifyStatic, { root: opts.docsDir, prefix: HTTP.docs, decorateReply: false });
  }
  if (opts.rendererDir && fs.existsSync(opts.rendererDir)) {
    await app.register(fastifyStatic, { root: opts.rendererDir, prefix: '/', decorateReply: false });
  }

  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(opts.host);
  guard = createRequestGuard(port, loopback ? [] : [opts.host]);
  const shownHost = opts.host === '::1' ? '[::1]' : opts.host;
  return { url: `http://${shownHost}:${port}`, port, server: app, close: () => app.close() };
}
