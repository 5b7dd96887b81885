import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSocket, type SocketLike } from '../../renderer/src/api/event-socket';
import { HTTP, type OperationEvent } from '../../electron/core/contract';
import { ensureBuilt } from './support/build';
import { startConsole, type StartedConsole } from './support/console-process';

/**
 * The web console client's event socket, run in Node with the `ws` package against the
 * real console: the cases a page cannot easily stage (a second listener joining late,
 * several drops in a row) with the same code the page runs.
 */
describe('EventSocket against the real console', () => {
  let server: StartedConsole;
  let cookie: string;
  const opened: WebSocket[] = [];

  const openSocket = (): SocketLike => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${HTTP.events}`, { headers: { cookie, origin: server.url } });
    opened.push(ws);
    return ws as unknown as SocketLike;
  };
  const api = async (method: string, params: unknown) => {
    const res = await fetch(`${server.url}${HTTP.callPrefix}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(params),
    });
    return (await res.json()) as { ok: boolean; result: { operationId: string } };
  };
  const follow = (socket: EventSocket, id: string) => {
    const events: OperationEvent[] = [];
    const done = new Promise<void>((resolve) => {
      socket.attach(id, (e) => {
        events.push(e);
        if (e.type === 'done' || e.type === 'failed') resolve();
      });
    });
    return { events, done };
  };
  const seqs = (events: OperationEvent[]) => events.map((e) => e.seq);

  beforeAll(async () => {
    ensureBuilt();
    server = await startConsole();
    const res = await fetch(`${server.url}${HTTP.login}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: server.token }) });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^medai_session=/);
  });
  afterAll(async () => {
    for (const ws of opened) ws.terminate();
    await server?.stop();
  });

  it('gives a listener that joins late the whole history, and the first one nothing twice', async () => {
    const socket = new EventSocket(openSocket);
    const { result } = await api('diagnostics.selfTest', { steps: 5, stepMs: 150 });
    const first = follow(socket, result.operationId);
    await new Promise((r) => setTimeout(r, 400));
    const second = follow(socket, result.operationId);
    await Promise.all([first.done, second.done]);
    // 5 steps + the final percent + done, numbered from 0 without gaps or repeats, for both.
    const all = [0, 1, 2, 3, 4, 5, 6];
    expect(seqs(first.events)).toEqual(all);
    expect(seqs(second.events)).toEqual(all);
    socket.close();
  });

  it('survives repeated drops: reconnects, re-attaches and delivers each event once', async () => {
    const socket = new EventSocket(openSocket);
    const before = opened.length;
    const { result } = await api('diagnostics.selfTest', { steps: 8, stepMs: 250 });
    const run = follow(socket, result.operationId);
    for (const wait of [500, 700]) {
      await new Promise((r) => setTimeout(r, wait));
      opened.at(-1)?.terminate(); // the network drops: no close handshake
    }
    await run.done;
    expect(opened.length - before).toBeGreaterThanOrEqual(3);
    expect(seqs(run.events)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(run.events.at(-1)?.type).toBe('done');
    socket.close();
  });

  it('stops listening after detach', async () => {
    const socket = new EventSocket(openSocket);
    const { result } = await api('diagnostics.selfTest', { steps: 4, stepMs: 200 });
    const seen: number[] = [];
    const detach = socket.attach(result.operationId, (e) => seen.push(e.seq));
    await new Promise((r) => setTimeout(r, 300));
    detach();
    const count = seen.length;
    expect(count).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 900)); // the operation finishes meanwhile
    expect(seen.length).toBe(count);
    socket.close();
  });
});
