import { toApiError, type ApiClient, type DesktopBridge } from '../contract';

declare global {
  interface Window {
    /** The Electron preload bridge (electron/preload.ts); absent in the web console. */
    medai?: DesktopBridge;
  }
}

/** The preload's bridge, with a rejected IPC turned into an error value like every other failure. */
export function wrapBridge(bridge: ApiClient): ApiClient {
  return {
    call: (method, params) => bridge.call(method, params).catch((e: unknown) => ({ ok: false as const, error: toApiError(e) })),
    attach: (operationId, onEvent) => bridge.attach(operationId, onEvent),
  };
}

/** The desktop's native bundle file dialog, or undefined in the web console (which uploads instead). */
export const desktopBundlePicker = (): (() => Promise<string | null>) | undefined =>
  typeof window.medai?.pickBundleFile === 'function' ? () => window.medai!.pickBundleFile() : undefined;
