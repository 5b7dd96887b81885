import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, peer, startHarness, type Harness } from './support.js';

// Real outages: the peer processes are stopped and started again while the service runs.
// /ready must degrade with per-dependency detail, routes must answer a clear 503 with
// Retry-After, and everything must come back without restarting the service.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('outage');
  const r = await api(h, 'POST', '/v1/documents', { id: 'outage-doc', text: 'Digoxin toxicity causes nausea and visual disturbances.', source: 'cardio' });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
});
afterAll(async () => {
  for (const p of ['pg', 'redis', 'milvus'] as const) peer('start', p);
  await h?.close();
});

async function ready() {
  const get = () => fetch(`${h.url}/ready`);
  const r = await get().catch(() => get());
  return { status: r.status, json: await r.json(), retryAfter: r.headers.get('retry-after') };
}

async function waitReady(timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await ready();
    if (last.status === 200) return last;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return last!;
}

async function searchWorks() {
  const until = Date.now() + 60_000;
  let r;
  while (Date.now() < until) {
    r = await api(h, 'POST', '/v1/search', { query: 'digoxin side effects', topK: 1 });
    if (r.status === 200) return r;
    await new Promise((res) => setTimeout(res, 1000));
  }
  return r!;
}

describe.each([
  ['redis', 'redis'],
  ['milvus', 'milvus'],
  ['pg', 'postgres'],
] as const)('%s outage', (which, dependency) => {
  it(`degrades /ready and answers 503 while ${dependency} is down, then recovers without a restart`, async () => {
    peer('stop', which);
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.json.status).toBe('degraded');
    expect(r.retryAfter).toBe('5');
    expect(r.json.checks[dependency].ok).toBe(false);
    expect(r.json.checks[dependency].error).toBeTruthy();
    for (const other of ['postgres', 'redis', 'milvus', 'model'].filter((d) => d !== dependency)) expect(r.json.checks[other].ok).toBe(true);

    const s = await api(h, 'POST', '/v1/search', { query: 'digoxin side effects', topK: 1 });
    expect(s.status).toBe(503);
    expect(s.json.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(s.json.error.dependency).toBe(dependency);
    expect(s.json.error.message).toContain(dependency);
    expect(Number(s.headers.get('retry-after'))).toBeGreaterThan(0);
    // The process keeps serving liveness throughout.
    expect((await fetch(`${h.url}/health`)).status).toBe(200);

    peer('start', which);
    const back = await waitReady(120_000);
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    const ok = await searchWorks();
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.results[0].documentId).toBe('outage-doc');
  }, 400_000);
});
