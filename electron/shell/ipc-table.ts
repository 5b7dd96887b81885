import { apiError, CallEnvelope, CallRequest, IPC, OperationId, type OperationEvent } from '../core/contract';
import type { Core } from '../core/core';

/** The part of an IpcMainInvokeEvent the handlers read; a plain object in tests. */
export interface IpcSenderEvent {
  senderFrame: { url: string } | null;
  sender: { id: number; send(channel: string, event: OperationEvent): void; once(event: 'destroyed', fn: () => void): void };
}

export type IpcHandler = (event: IpcSenderEvent, payload: unknown) => Promise<unknown>;

/** The desktop's native dialogs, passed in by main.ts (Electron's dialog module) and by tests. */
export interface NativeDialogs {
  pickBundleFile(): Promise<string | null>;
}

/**
 * Every IPC channel main answers, and how. Each handler first checks that the message
 * comes from the app's own page (Electron checklist item 17), then validates the payload
 * against the contract before the core sees it.
 */
export function buildIpcHandlers(
  core: Core,
  isTrustedSender: (frameUrl: string) => boolean,
  dialogs: NativeDialogs = { pickBundleFile: async () => null },
): Record<string, IpcHandler> {
  const attached = new Map<string, () => void>();
  const refuse = (event: IpcSenderEvent): CallEnvelope | undefined =>
    event.senderFrame && isTrustedSender(event.senderFrame.url)
      ? undefined
      : { ok: false, error: apiError('FORBIDDEN_ORIGIN', {}, `IPC from ${event.senderFrame?.url ?? 'an unknown frame'}`) };
  const invalid = (detail: string): CallEnvelope => ({ ok: false, error: apiError('INVALID_REQUEST', {}, detail) });

  return {
    [IPC.call]: async (event, payload) => {
      const refused = refuse(event);
      if (refused) return refused;
      const req = CallRequest.safeParse(payload);
      if (!req.success) return invalid(req.error.issues.map((i) => i.message).join('; '));
      return core.dispatch(req.data.method, req.data.params);
    },
    [IPC.attach]: async (event, payload) => {
      const refused = refuse(event);
      if (refused) return refused;
      const id = OperationId.safeParse(payload);
      if (!id.success) return invalid('operation id expected');
      const key = `${event.sender.id}:${id.data}`;
      if (!attached.has(key)) {
        try {
          attached.set(key, core.operations.attach(id.data, (e) => event.sender.send(IPC.event, e)));
        } catch (e) {
          return { ok: false, error: (e as { error?: unknown }).error ?? apiError('INTERNAL') };
        }
        event.sender.once('destroyed', () => attached.get(key)?.());
      }
      return { ok: true, result: null } satisfies CallEnvelope;
    },
    [IPC.pickBundleFile]: async (event) => {
      const refused = refuse(event);
      if (refused) return refused;
      return { ok: true, result: await dialogs.pickBundleFile() } satisfies CallEnvelope;
    },
    [IPC.detach]: async (event, payload) => {
      const refused = refuse(event);
      if (refused) return refused;
      const id = OperationId.safeParse(payload);
      if (!id.success) return invalid('operation id expected');
      const key = `${event.sender.id}:${id.data}`;
      attached.get(key)?.();
      attached.delete(key);
      return { ok: true, result: null } satisfies CallEnvelope;
    },
  };
}
