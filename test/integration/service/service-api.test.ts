import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../service/src/auth/jwt.js';
import { Embedder } from '../../../service/src/model/embedder.js';
import { api, ROOT, startHarness, waitReady, type Harness } from './support.js';

// The whole service against real PostgreSQL 15, Redis 7, Milvus 2.3 and the real model.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('api');
});
afterAll(async () => {
  await h?.close();
});

const cos = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('auth', () => {
  it('refuses requests without or with a bad credential, accepts an API key and a JWT', async () => {
    const none = await fetch(`${h.url}/v1/search`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('UNAUTHENTICATED');
    expect((await api({ ...h, key: 'mk_0123456789abcdef_' + 'A'.repeat(43) }, 'POST', '/v1/embeddings', { input: 'x' })).status).toBe(401);
    expect((await api({ ...h, key: await signJwt('ward-7', 'wrong-secret-'.repeat(4)) }, 'POST', '/v1/embeddings', { input: 'x' })).status).toBe(401);
    const jwt = await signJwt('ward-7', h.config.JWT_SECRET);
    expect((await api({ ...h, key: jwt }, 'POST', '/v1/embeddings', { input: 'x' })).status).toBe(200);
    expect((await api(h, 'POST', '/v1/embeddings', { input: 'x' })).status).toBe(200);
    // /health and /ready are open; /metrics is not.
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
  });

  it('stores only a hash of API keys', async () => {
    const c = new pg.Client({ connectionString: h.config.DATABASE_URL });
    await c.connect();
    const rows = (await c.query('SELECT key_hash FROM api_keys')).rows as { key_hash: string }[];
    await c.end();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(h.key).not.toContain(r.key_hash);
    }
  });
});

describe('/ready and /metrics', () => {
  it('is ready with every dependency and names the model and execution provider', async () => {
    const r = await waitReady(h);
    const j = await r.json();
    expect(r.status, JSON.stringify(j)).toBe(200);
    expect(j.status).toBe('ready');
    for (const d of ['postgres', 'redis', 'milvus', 'model']) expect(j.checks[d].ok).toBe(true);
    expect(j.checks.model).toMatchObject({ name: 'all-MiniLM-L6-v2', dimension: 384, provider: 'cpu' });
    expect(j.checks.postgres.schemaVersion).toBe(1);
  });

  it('exports request counts, latencies, batch sizes, queue depth and the provider', async () => {
    const m = await api(h, 'GET', '/metrics');
    expect(m.status).toBe(200);
    for (const name of ['medai_http_requests_total', 'medai_http_request_duration_seconds_bucket', 'medai_embedding_batch_size_bucket', 'medai_embedding_queue_depth', 'medai_process_resident_memory_bytes']) {
      expect(m.text).toContain(name);
    }
    expect(m.text).toMatch(/medai_execution_provider_info\{provider="cpu",model="all-MiniLM-L6-v2",dimension="384"\} 1/);
  });
});

describe('/v1/embeddings', () => {
  it('answers in the OpenAI shape with the same vectors as a raw session run', async () => {
    const texts = ['Chest pain radiating to the left arm', '胸痛向左臂放射'];
    const r = await api(h, 'POST', '/v1/embeddings', { input: texts, model: 'all-MiniLM-L6-v2' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ object: 'list', model: 'all-MiniLM-L6-v2', data: [{ object: 'embedding', index: 0 }, { object: 'embedding', index: 1 }] });
    expect(r.json.data[0].embedding).toHaveLength(384);
    expect(r.json.usage.prompt_tokens).toBeGreaterThan(5);
    const raw = await Embedder.load({ modelsDir: h.config.MODELS_DIR, name: 'all-MiniLM-L6-v2', provider: 'cpu', threads: 1 });
    const ref = await raw.embed(texts);
    await raw.close();
    expect(cos(r.json.data[0].embedding, Array.from(ref.vectors[0]!))).toBeGreaterThan(0.9999);
    expect(cos(r.json.data[1].embedding, Array.from(ref.vectors[1]!))).toBeGreaterThan(0.9999);
    const b64 = await api(h, 'POST', '/v1/embeddings', { input: texts[0], encoding_format: 'base64' });
    const buf = Buffer.from(b64.json.data[0].embedding, 'base64');
    expect(buf.length).toBe(384 * 4);
  });

  it('batches concurrent requests into fewer forward passes', async () => {
    const before = await batchCount();
    const n = 24;
    const rs = await Promise.all(Array.from({ length: n }, (_, i) => api(h, 'POST', '/v1/embeddings', { input: `unique batching probe number ${i} ${Date.now()}` })));
    expect(rs.every((r) => r.status === 200)).toBe(true);
    const passes = (await batchCount()) - before;
    expect(passes).toBeGreaterThan(0);
    expect(passes).toBeLessThan(n);
  });

  it('serves repeated texts from the Redis cache', async () => {
    const text = `cache probe ${Date.now()}`;
    await api(h, 'POST', '/v1/embeddings', { input: text });
    const hits = await cacheHits();
    const again = await api(h, 'POST', '/v1/embeddings', { input: text });
    expect(again.status).toBe(200);
    expect((await cacheHits()) - hits).toBe(1);
  });

  it('gives field-level 400s and refuses a model it does not serve', async () => {
    const r = await api(h, 'POST', '/v1/embeddings', { input: [], encoding_format: 'hex' });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('VALIDATION_FAILED');
    const fields = r.json.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toContain('input');
    expect(fields).toContain('encoding_format');
    const m = await api(h, 'POST', '/v1/embeddings', { input: 'x', model: 'text-embedding-3-large' });
    expect(m.status).toBe(400);
    expect(m.json.error.fields[0]).toMatchObject({ field: 'model' });
    const bad = await api(h, 'POST', '/v1/embeddings', '{"input": ');
    expect(bad.status).toBe(400);
  });

  it('refuses bodies over MAX_BODY_BYTES with 413', async () => {
    const r = await api(h, 'POST', '/v1/embeddings', { input: 'x'.repeat(h.config.MAX_BODY_BYTES + 10) });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('BODY_TOO_LARGE');
  });
});

describe('/v1/documents and /v1/search', () => {
  const passages = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/medical-qa/passages.json'), 'utf8')) as Array<{ id: string; lang: string; category: string; title: string; text: string }>;
  const questions = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/medical-qa/questions.json'), 'utf8')) as Array<{ q: string; lang: string; answer: string }>;

  it('ingests the labelled set, idempotently by document id', async () => {
    for (const p of passages) {
      const r = await api(h, 'POST', '/v1/documents', { id: p.id, text: p.text, title: p.title, source: `fixture:${p.id}`, lang: p.lang, metadata: { category: p.category } });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json.chunks).toBeGreaterThan(0);
    }
    const p = passages[0]!;
    const again = await api(h, 'POST', '/v1/documents', { id: p.id, text: p.text, title: p.title, source: `fixture:${p.id}`, lang: p.lang, metadata: { category: p.category } });
    expect(again.json.status).toBe('unchanged');
  });

  it('finds the right passage: recall@5 on the labelled questions', async () => {
    const byLang: Record<string, { hit: number; n: number }> = {};
    for (const q of questions) {
      const r = await api(h, 'POST', '/v1/search', { query: q.q, topK: 5 });
      expect(r.status).toBe(200);
      const ids = r.json.results.map((x: { documentId: string }) => x.documentId);
      const s = (byLang[q.lang] ??= { hit: 0, n: 0 });
      s.n++;
      if (ids.includes(q.answer)) s.hit++;
    }
    const all = Object.values(byLang).reduce((a, b) => ({ hit: a.hit + b.hit, n: a.n + b.n }), { hit: 0, n: 0 });
    console.log('recall@5', JSON.stringify(byLang), (all.hit / all.n).toFixed(2));
    expect(byLang.en!.hit / byLang.en!.n).toBeGreaterThanOrEqual(0.8);
    expect(all.hit / all.n).toBeGreaterThanOrEqual(0.8);
  });

  it('returns chunks with scores and source, and applies metadata, language and id filters', async () => {
    const r = await api(h, 'POST', '/v1/search', { query: 'blood pressure medicines', topK: 3, filter: { metadata: { category: 'cardiology' } } });
    expect(r.status).toBe(200);
    expect(r.json.results.length).toBeGreaterThan(0);
    for (const x of r.json.results) {
      expect(x.metadata.category).toBe('cardiology');
      expect(x.source).toMatch(/^fixture:/);
      expect(typeof x.score).toBe('number');
      expect(x.text.length).toBeGreaterThan(10);
    }
    const zh = await api(h, 'POST', '/v1/search', { query: 'blood pressure', topK: 10, filter: { lang: 'zh' } });
    expect(zh.json.results.every((x: { lang: string }) => x.lang === 'zh')).toBe(true);
    const ids = await api(h, 'POST', '/v1/search', { query: 'treatment', topK: 10, filter: { documentIds: ['en-asthma', 'zh-tb'] } });
    expect(new Set(ids.json.results.map((x: { documentId: string }) => x.documentId))).toEqual(new Set(['en-asthma', 'zh-tb']));
    const injection = await api(h, 'POST', '/v1/search', { query: 'x', filter: { source: '" || doc_id != "' } });
    expect(injection.status).toBe(200);
    expect(injection.json.results).toEqual([]);
    const badKey = await api(h, 'POST', '/v1/search', { query: 'x', filter: { metadata: { 'a"]': 1 } } });
    expect(badKey.status).toBe(400);
  });

  it('keeps Chinese text intact through chunking, storage and retrieval', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `第${i + 1}条：糖尿病患者应监测血糖，注意低血糖反应。`).join('') + 'Patients should also monitor their feet! 最后一句。';
    const r = await api(h, 'POST', '/v1/documents', { id: 'zh-long', text, title: '糖尿病随访', lang: 'zh', source: '内分泌科指南' });
    expect(r.status).toBe(201);
    expect(r.json.chunks).toBeGreaterThan(1);
    const d = await api(h, 'GET', '/v1/documents/zh-long');
    expect(d.status).toBe(200);
    expect(d.json.title).toBe('糖尿病随访');
    expect(d.json.source).toBe('内分泌科指南');
    for (const c of d.json.chunks) {
      expect(c.text).not.toContain('\uFFFD');
      expect(c.text).toMatch(/[。！]$/); // chunks end on sentence punctuation
      expect(c.tokens).toBeLessThanOrEqual(256);
    }
    // Every sentence survives (overlap may repeat one, nothing is lost or garbled).
    const joined = d.json.chunks.map((c: { text: string }) => c.text).join('');
    for (let i = 1; i <= 40; i++) expect(joined).toContain(`第${i}条：糖尿病患者应监测血糖，注意低血糖反应。`);
    const s = await api(h, 'POST', '/v1/search', { query: '糖尿病患者应监测血糖', topK: 3, filter: { documentIds: ['zh-long'] } });
    expect(s.json.results[0].text).toContain('糖尿病患者应监测血糖');
  });

  it('updates, reads and deletes a document; deleted chunks leave search', async () => {
    const doc = { id: 'tmp-doc', text: 'Gout flares are treated with colchicine or NSAIDs.', source: 's1', metadata: { v: 1 } };
    expect((await api(h, 'POST', '/v1/documents', doc)).status).toBe(201);
    const up = await api(h, 'POST', '/v1/documents', { ...doc, text: 'Gout flares are treated with colchicine, NSAIDs or corticosteroids.', metadata: { v: 2 } });
    expect(up.json.status).toBe('updated');
    const got = await api(h, 'GET', '/v1/documents/tmp-doc');
    expect(got.json.metadata).toEqual({ v: 2 });
    expect(got.json.chunks[0].text).toContain('corticosteroids');
    const s1 = await api(h, 'POST', '/v1/search', { query: 'gout treatment', topK: 5, filter: { documentIds: ['tmp-doc'] } });
    expect(s1.json.results).toHaveLength(1); // the old version's vector is gone
    expect((await api(h, 'DELETE', '/v1/documents/tmp-doc')).status).toBe(204);
    expect((await api(h, 'GET', '/v1/documents/tmp-doc')).status).toBe(404);
    expect((await api(h, 'DELETE', '/v1/documents/tmp-doc')).status).toBe(404);
    const s2 = await api(h, 'POST', '/v1/search', { query: 'gout treatment', topK: 5, filter: { documentIds: ['tmp-doc'] } });
    expect(s2.json.results).toEqual([]);
  });

  it('replays a request with the same Idempotency-Key', async () => {
    const body = { id: 'idem-doc', text: 'Hyperkalaemia can cause cardiac arrhythmias.' };
    const a = await api(h, 'POST', '/v1/documents', body, { 'idempotency-key': 'k-1' });
    const b = await api(h, 'POST', '/v1/documents', { ...body, text: 'changed' }, { 'idempotency-key': 'k-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.json).toEqual(a.json);
  });

  it('validates documents field by field', async () => {
    const r = await api(h, 'POST', '/v1/documents', { id: '../etc', text: '', metadata: { 'bad key': { nested: 1 } } });
    expect(r.status).toBe(400);
    const fields = r.json.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['id', 'text']));
    expect(fields.some((f: string) => f.startsWith('metadata'))).toBe(true);
  });
});

describe('audit', () => {
  it('records who called what, without request bodies by default', async () => {
    await h.service.audit.flush();
    const c = new pg.Client({ connectionString: h.config.DATABASE_URL });
    await c.connect();
    const rows = (await c.query("SELECT principal, method, route, status, body FROM audit_log WHERE route = '/v1/documents' AND status = 201")).rows;
    const unauth = (await c.query("SELECT count(*)::int AS n FROM audit_log WHERE principal = 'anonymous' AND status = 401")).rows[0].n;
    await c.end();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0].principal).toMatch(/^key:[0-9a-f]{16}$/);
    expect(rows.every((r: { body: unknown }) => r.body === null)).toBe(true);
    expect(unauth).toBeGreaterThan(0);
  });
});

async function metric(name: string): Promise<number> {
  const m = await api(h, 'GET', '/metrics');
  const line = m.text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : 0;
}
const batchCount = () => metric('medai_embedding_batch_size_count');
const cacheHits = () => metric('medai_embedding_cache_total{result="hit"}');
