// Runs sandboxed with context isolation: it may require only 'electron', and exposes
// exactly the contract's ApiClient to the page, nothing of Node or of ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC } from './core/contract/channels';
import type { CallEnvelope, DesktopBridge } from './core/contract/envelope';
import type { OperationEvent } from './core/contract/operation';

const bridge: DesktopBridge = {
  call: (method, params) => ipcRenderer.invoke(IPC.call, { method, params }),
  attach(operationId, onEvent) {
    const listener = (_e: unknown, event: OperationEvent) => {
      if (event.operationId === operationId) onEvent(event);
    };
    ipcRenderer.on(IPC.event, listener);
    void ipcRenderer.invoke(IPC.attach, operationId);
    return () => {
      ipcRenderer.off(IPC.event, listener);
      void ipcRenderer.invoke(IPC.detach, operationId);
    };
  },
  async pickBundleFile() {
    const answer = (await ipcRenderer.invoke(IPC.pickBundleFile)) as CallEnvelope<string | null>;
    return answer.ok ? answer.result : null;
  },
};

contextBridge.exposeInMainWorld('medai', bridge);
