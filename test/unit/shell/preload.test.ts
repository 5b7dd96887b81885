import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../../electron/core/contract';

// The preload runs inside Electron; here its only edge, the 'electron' module, is replaced
// by a recorder so the test sees exactly what the page is given and what goes over IPC.
const exposed: Record<string, unknown> = {};
const invoked: Array<[string, unknown]> = [];
const listeners = new Map<string, (e: unknown, payload: unknown) => void>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, payload: unknown) => {
      invoked.push([channel, payload]);
      return { ok: true, result: null };
    },
    on: (channel: string, fn: (e: unknown, p: unknown) => void) => listeners.set(channel, fn),
    off: (channel: string) => listeners.delete(channel),
  },
}));

describe('preload bridge', () => {
  beforeEach(async () => {
    invoked.length = 0;
    await import('../../../electron/preload');
  });

  it('exposes exactly the contract client under window.medai, nothing of Node or ipcRenderer', () => {
    expect(Object.keys(exposed)).toEqual(['medai']);
    const api = exposed.medai as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['attach', 'call', 'pickBundleFile']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('sends calls on the contract call channel as {method, params}', async () => {
    const api = exposed.medai as { call(m: string, p: unknown): Promise<unknown> };
    await api.call('engine.status', {});
    expect(invoked).toEqual([[IPC.call, { method: 'engine.status', params: {} }]]);
  });

  it('asks main for the native bundle dialog and returns the chosen path', async () => {
    const api = exposed.medai as { pickBundleFile(): Promise<string | null> };
    await expect(api.pickBundleFile()).resolves.toBeNull(); // the recorder answers {ok, result: null}: cancelled
    expect(invoked).toEqual([[IPC.pickBundleFile, undefined]]);
  });

  it('delivers only the attached operation’s events and detaches', () => {
    const api = exposed.medai as { attach(id: string, fn: (e: unknown) => void): () => void };
    const got: unknown[] = [];
    const detach = api.attach('op_aaaaaaaaaa', (e) => got.push(e));
    expect(invoked).toContainEqual([IPC.attach, 'op_aaaaaaaaaa']);
    listeners.get(IPC.event)!({}, { operationId: 'op_bbbbbbbbbb', seq: 0 });
    listeners.get(IPC.event)!({}, { operationId: 'op_aaaaaaaaaa', seq: 0 });
    expect(got).toEqual([{ operationId: 'op_aaaaaaaaaa', seq: 0 }]);
    detach();
    expect(invoked).toContainEqual([IPC.detach, 'op_aaaaaaaaaa']);
    expect(listeners.has(IPC.event)).toBe(false);
  });
});
