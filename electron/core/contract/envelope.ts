import { z } from 'zod';
import { ApiError } from './errors';
import type { MethodName, Request, Response } from './methods';
import { OperationEvent, OperationId } from './operation';

/** What a face sends: one method and its parameters. */
export const CallRequest = z.object({ method: z.string().min(1), params: z.unknown().optional() }).strict();

/** What every face receives back: the result or an error value, never a thrown exception. */
export const CallEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: ApiError }).strict(),
]);
export type CallEnvelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

/** Messages on the console's event socket. */
export const SocketClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('attach'), operationId: OperationId }).strict(),
  z.object({ type: z.literal('detach'), operationId: OperationId }).strict(),
]);
export type SocketClientMessage = z.infer<typeof SocketClientMessage>;
export const SocketServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: OperationEvent }).strict(),
  z.object({ type: z.literal('error'), error: ApiError }).strict(),
]);
export type SocketServerMessage = z.infer<typeof SocketServerMessage>;

/**
 * The client side of the contract, implemented by the Electron preload bridge and by
 * the web console client alike; the renderer only ever talks to this.
 */
export interface ApiClient {
  call<M extends MethodName>(method: M, params: Request<M>): Promise<CallEnvelope<Response<M>>>;
  /** Replays the operation's past events, then streams new ones until detached. */
  attach(operationId: string, onEvent: (event: OperationEvent) => void): () => void;
}

/** What only the desktop app adds to the client: its native dialogs (the web console uploads instead). */
export interface DesktopBridge extends ApiClient {
  /** Opens the system's file dialog for an offline bundle; resolves with the chosen path, or null when cancelled. */
  pickBundleFile(): Promise<string | null>;
}
