import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { systemClock } from '../../../electron/core/clock';
import { openState } from '../../../electron/core/state/open-state';
import { makeTempDir } from '../../support/temp-dir';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function core(): Core {
  const t = makeTempDir('core');
  const db = openState(t.dir);
  cleanups.push(() => {
    db.close();
    t.cleanup();
  });
  // Engine methods are covered by the integration tests on the real engine.
  const dockerEndpoint = { socketPath: '/nonexistent/docker.sock', timeoutSeconds: 1 };
  return createCore({ dataDir: t.dir, db, docker: new Docker({ socketPath: dockerEndpoint.socketPath }), dockerEndpoint, clock: systemClock });
}

describe('core dispatch', () => {
  it('refuses an unknown method with UNKNOWN_METHOD', async () => {
    const r = await core().dispatch('stack.destroyEverything', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', detail: 'stack.destroyEverything' } });
  });

  it('names the offending field of an invalid request', async () => {
    const r = await core().dispatch('settings.update', { language: 'fr' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('INVALID_REQUEST');
    expect(!r.ok && r.error.detail).toMatch(/^language:/);
  });

  it('refuses unexpected fields rather than ignoring them', async () => {
    const r = await core().dispatch('settings.get', { admin: true });
    expect(!r.ok && r.error.code).toBe('INVALID_REQUEST');
  });

  it('stores and returns settings', async () => {
    const c = core();
    expect(await c.dispatch('settings.get', {})).toEqual({ ok: true, result: { language: null } });
    expect(await c.dispatch('settings.update', { language: 'en' })).toEqual({ ok: true, result: { language: 'en' } });
    expect(await c.dispatch('settings.get', undefined)).toEqual({ ok: true, result: { language: 'en' } });
  });

  it('starts an operation, answers with its id, and lists it', async () => {
    const c = core();
    const r = await c.dispatch('diagnostics.selfTest', { steps: 2, stepMs: 1 });
    expect(r.ok).toBe(true);
    const { operationId } = (r as { result: { operationId: string } }).result;
    expect(operationId).toMatch(/^op_/);
    const last = await c.operations.waitFor(operationId);
    expect(last).toMatchObject({ type: 'done', result: { steps: 2 } });
    const list = await c.dispatch('operations.list', {});
    expect(list.ok && (list.result as Array<{ id: string }>).map((o) => o.id)).toContain(operationId);
  });

  it('reports an engine that is not there as an error value, not an exception', async () => {
    const r = await core().dispatch('engine.status', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'ENGINE_SOCKET_MISSING' } });
  });
});
