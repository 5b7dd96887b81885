import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC, type OperationEvent } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { systemClock } from '../../../electron/core/clock';
import { openState } from '../../../electron/core/state/open-state';
import { buildIpcHandlers, type IpcSenderEvent } from '../../../electron/shell/ipc-table';
import { makeTempDir } from '../../support/temp-dir';

const APP_URL = 'file:///opt/medai/dist/renderer/index.html';
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(): { core: Core; handlers: ReturnType<typeof buildIpcHandlers> } {
  const t = makeTempDir('ipc');
  const db = openState(t.dir);
  cleanups.push(() => {
    db.close();
    t.cleanup();
  });
  const dockerEndpoint = { socketPath: '/nonexistent.sock', timeoutSeconds: 1 };
  const core = createCore({ dataDir: t.dir, db, docker: new Docker({ socketPath: '/nonexistent.sock' }), dockerEndpoint, clock: systemClock });
  return { core, handlers: buildIpcHandlers(core, (url) => url === APP_URL || url.startsWith(`${APP_URL}#`)) };
}

function sender(url: string | null, sent: OperationEvent[] = []): IpcSenderEvent {
  return { senderFrame: url === null ? null : { url }, sender: { id: 7, send: (_c, e) => sent.push(e), once: () => undefined } };
}

describe('IPC handler table', () => {
  it('answers exactly the contract channels', () => {
    expect(Object.keys(setup().handlers).sort()).toEqual([IPC.attach, IPC.call, IPC.detach, IPC.pickBundleFile].sort());
  });

  it('serves a call from the app page', async () => {
    const { handlers } = setup();
    expect(await handlers[IPC.call]!(sender(`${APP_URL}#/dashboard`), { method: 'settings.get', params: {} })).toEqual({ ok: true, result: { language: null } });
  });

  it('refuses a message from any other frame, also a missing one', async () => {
    const { handlers } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', null]) {
      const r = await handlers[IPC.call]!(sender(url), { method: 'settings.get', params: {} });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    }
  });

  it('opens the native bundle dialog only for the app page', async () => {
    const t = makeTempDir('ipc-dialog');
    const db = openState(t.dir);
    cleanups.push(() => {
      db.close();
      t.cleanup();
    });
    const core = createCore({ dataDir: t.dir, db, docker: new Docker({ socketPath: '/nonexistent.sock' }), dockerEndpoint: { socketPath: '/nonexistent.sock', timeoutSeconds: 1 }, clock: systemClock });
    let opened = 0;
    const handlers = buildIpcHandlers(core, (url) => url === APP_URL, { pickBundleFile: async () => (opened++, '/media/usb/stack-1.0.0.medai-bundle') });
    expect(await handlers[IPC.pickBundleFile]!(sender(APP_URL), undefined)).toEqual({ ok: true, result: '/media/usb/stack-1.0.0.medai-bundle' });
    expect(await handlers[IPC.pickBundleFile]!(sender('https://evil.example/'), undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    expect(opened).toBe(1);
  });

  it('rejects malformed payloads by the schema before the core sees them', async () => {
    const { handlers } = setup();
    for (const payload of [null, 'settings.get', { method: 42 }, { method: 'settings.get', params: {}, extra: 1 }]) {
      expect(await handlers[IPC.call]!(sender(APP_URL), payload)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(await handlers[IPC.call]!(sender(APP_URL), { method: 'settings.update', params: { language: 42 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', detail: expect.stringMatching(/^language:/) },
    });
    expect(await handlers[IPC.attach]!(sender(APP_URL), { id: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('streams operation events to the attached window', async () => {
    const { core, handlers } = setup();
    const started = (await handlers[IPC.call]!(sender(APP_URL), { method: 'diagnostics.selfTest', params: { steps: 2, stepMs: 1 } })) as {
      result: { operationId: string };
    };
    const sent: OperationEvent[] = [];
    expect(await handlers[IPC.attach]!(sender(APP_URL, sent), started.result.operationId)).toEqual({ ok: true, result: null });
    await core.operations.waitFor(started.result.operationId);
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.at(-1)).toMatchObject({ type: 'done', result: { steps: 2 } });
    expect(sent.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });
});
