import { toApiError, type ApiClient } from '../contract';

declare global {
  interface Window {
    /** The Electron preload bridge (electron/preload.ts); absent in the web console. */
    medai?: ApiClient;
  }
}

/** The preload's bridge, with a rejected IPC turned into an error value like every other failure. */
export function wrapBridge(bridge: ApiClient): ApiClient {
  return {
    call: (method, params) => bridge.call(method, params).catch((e: unknown) => ({ ok: false as const, error: toApiError(e) })),
    attach: (operationId, onEvent) => bridge.attach(operationId, onEvent),
  };
}
