import {
  apiError,
  CallEnvelope,
  HTTP,
  type ApiClient,
  type ApiError,
  type MethodName,
  type Request,
  type Response,
} from '../contract';
import { EventSocket, type SocketLike } from './event-socket';
import { SESSION_EXPIRED, sessionEvents } from './session-events';

/** Where the event socket lives, relative to the page the console served. */
export function eventsUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${HTTP.events}`;
}

/** Reads any console answer as a CallEnvelope; anything else becomes an error value. */
export async function readEnvelope(res: globalThis.Response): Promise<CallEnvelope> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { ok: false, error: apiError('INTERNAL', {}, `the console answered HTTP ${res.status} without JSON`) };
  }
  const parsed = CallEnvelope.safeParse(body);
  return parsed.success
    ? (parsed.data as CallEnvelope)
    : { ok: false, error: apiError('INTERNAL', {}, `the console answered HTTP ${res.status} outside the contract`) };
}

/** fetch() rejects only when nothing answered: the console process is gone or the network is. */
export const unreachable = (e: unknown): ApiError =>
  apiError('CONSOLE_UNREACHABLE', {}, e instanceof Error ? e.message : String(e));

/**
 * The web console's ApiClient: calls are POSTs with the session cookie, operation events
 * come over one shared WebSocket.
 */
export function createWebClient(
  openSocket: () => SocketLike = () => new WebSocket(eventsUrl(window.location)) as unknown as SocketLike,
): ApiClient {
  const socket = new EventSocket(openSocket, (error) => console.warn(`[medai] event socket: ${error.code}`, error.detail ?? ''));
  async function call<M extends MethodName>(method: M, params: Request<M>): Promise<CallEnvelope<Response<M>>> {
    let res: globalThis.Response;
    try {
      res = await fetch(`${HTTP.callPrefix}${encodeURIComponent(method)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(params ?? {}),
      });
    } catch (e) {
      return { ok: false, error: unreachable(e) };
    }
    const envelope = await readEnvelope(res);
    if (!envelope.ok && envelope.error.code === 'UNAUTHORIZED') sessionEvents.dispatchEvent(new Event(SESSION_EXPIRED));
    return envelope as CallEnvelope<Response<M>>;
  }
  return { call, attach: (operationId, onEvent) => socket.attach(operationId, onEvent) };
}
