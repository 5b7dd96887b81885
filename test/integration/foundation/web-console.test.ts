import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureBuiltCli, runBuiltCli, startConsoleProcess, type ConsoleProcess } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';

const tmp = makeTempDir('console');
let consoleProc: ConsoleProcess;
let token: string;

beforeAll(async () => {
  ensureBuiltCli();
  consoleProc = await startConsoleProcess(tmp.dir);
  token = consoleProc.token!;
});
afterAll(async () => {
  await consoleProc?.stop();
  tmp.cleanup();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${consoleProc.url}${path}`, init);
const callWith = (method: string, headers: Record<string, string>, body: unknown = {}) =>
  api(`/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Raw HTTP so the test controls the Host header, which fetch does not let it set. */
function rawGet(port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => resolve(Number(data.split(' ')[1])));
    s.on('error', reject);
  });
}

describe('web console', () => {
  it('prints the token once at first start and keeps it owner-only', async () => {
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(consoleProc.tokenFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(consoleProc.tokenFile, 'utf8').trim()).toBe(token);
    const second = await startConsoleProcess(tmp.dir);
    try {
      expect(second.token).toBeUndefined();
      expect(second.tokenFile).toBe(consoleProc.tokenFile);
    } finally {
      await second.stop();
    }
  });

  it('answers 401 without the token, also with a wrong one', async () => {
    const none = await callWith('engine.status', {});
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('UNAUTHORIZED');
    expect((await callWith('engine.status', { authorization: 'Bearer wrong' })).status).toBe(401);
    const badLogin = await api('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'nope' }) });
    expect(badLogin.status).toBe(401);
  });

  it('serves the API with the token, the same answer as the CLI', async () => {
    const r = await callWith('engine.status', { authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.ok).toBe(true);
    expect(body.result.serverVersion).toBe(execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim());
  });

  it('signs in with the token into an HttpOnly, SameSite=Strict session cookie', async () => {
    const login = await api('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    expect((await callWith('settings.get', { cookie: session })).status).toBe(200);
    await api('/api/logout', { method: 'POST', headers: { cookie: session } });
    expect((await callWith('settings.get', { cookie: session })).status).toBe(401);
  });

  it('refuses a request from a page of another origin, even with a valid token', async () => {
    const r = await callWith('settings.get', { authorization: `Bearer ${token}`, origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe('FORBIDDEN_ORIGIN');
  });

  it('refuses a foreign Host header (DNS rebinding) and accepts its own names', async () => {
    expect(await rawGet(consoleProc.port, 'evil.example', '/api/session')).toBe(403);
    expect(await rawGet(consoleProc.port, `127.0.0.1:${consoleProc.port}`, '/api/session')).toBe(200);
    expect(await rawGet(consoleProc.port, `localhost:${consoleProc.port}`, '/api/session')).toBe(200);
  });

  it('rejects malformed parameters with a field-level 400', async () => {
    const r = await callWith('settings.update', { authorization: `Bearer ${token}` }, { language: 'klingon' });
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.error.code).toBe('INVALID_REQUEST');
    expect(body.error.detail).toMatch(/^language:/);
  });

  it('listens on 127.0.0.1 only by default', async () => {
    const hexPort = consoleProc.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = fs
      .readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .concat(fs.existsSync('/proc/net/tcp6') ? fs.readFileSync('/proc/net/tcp6', 'utf8').split('\n') : [])
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A');
    expect(listening.map((f) => f[1])).toEqual([`0100007F:${hexPort}`]);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      const reached = await new Promise<boolean>((resolve) => {
        const s = net.connect(consoleProc.port, external.address, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      expect(reached).toBe(false);
    }
  });

  it('refuses to bind beyond loopback unless a support session is opened explicitly', () => {
    const r = runBuiltCli(['--data-dir', tmp.dir, '--lang', 'en', 'console', '--host', '192.0.2.10', '--port', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--support-session');
    const all = runBuiltCli(['--data-dir', tmp.dir, '--lang', 'en', 'console', '--host', '0.0.0.0', '--support-session']);
    expect(all.code).toBe(3);
  });

  it('streams an operation over the event socket to a late subscriber, from first event to result', async () => {
    const started = await (await callWith('diagnostics.selfTest', { authorization: `Bearer ${token}` }, { steps: 4, stepMs: 50 })).json();
    const operationId = started.result.operationId as string;
    await new Promise((r) => setTimeout(r, 120));
    const ws = new WebSocket(`${consoleProc.url.replace('http', 'ws')}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    const events: Array<{ type: string; seq: number }> = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'attach', operationId })));
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString());
        if (msg.type === 'error') reject(new Error(msg.error.code));
        events.push(msg.event);
        if (msg.event.type === 'done') resolve();
      });
      ws.on('error', reject);
    });
    ws.close();
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.at(-1)).toMatchObject({ type: 'done', result: { steps: 4 } });
  });

  it('refuses the event socket to a foreign origin and to the unauthenticated', async () => {
    for (const headers of [{ authorization: `Bearer ${token}`, origin: 'https://evil.example' }, {}]) {
      const code = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${consoleProc.url.replace('http', 'ws')}/api/events`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
      expect(code === 401 || code === 403, `status ${code}`).toBe(true);
    }
  });

  it('lets the CLI in another process follow an operation the console runs', async () => {
    const started = await (await callWith('diagnostics.selfTest', { authorization: `Bearer ${token}` }, { steps: 5, stepMs: 100 })).json();
    const r = runBuiltCli(['--data-dir', tmp.dir, '--lang', 'en', 'operation', 'watch', started.result.operationId]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[5/5] Self-test step 5');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('100%');
  });
});
