import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startHarness } from '../test/integration/service/support';
import { REPO_ROOT, type Benchmark, type Series } from './bench-kit';

// p50 / p99 of POST /v1/search at 1, 16 and 100 concurrent clients (autocannon), with the
// embedding cache off so every request runs the model, Milvus and PostgreSQL. Baseline:
// the same path without HTTP — in-process embed + Milvus search + PostgreSQL fetch, one at
// a time. RSS sampled while under load (the bench and the service share one process).
const SECONDS = Number(process.env.MEDAI_BENCH_SEARCH_SECONDS ?? 10);

export const serviceSearchBench: Benchmark = {
  name: 'service-search',
  description: 'POST /v1/search latency at 1, 16, 100 concurrent clients vs in-process embed+search',
  async run() {
    const h = await startHarness('bench_search', { EMBEDDING_CACHE_TTL_SECONDS: '0', RATE_LIMIT_PER_MINUTE: '10000000', MAX_CONCURRENT_REQUESTS: '256', LOG_LEVEL: 'error' });
    try {
      const passages = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/medical-qa/passages.json'), 'utf8')) as Array<{ id: string; text: string; lang: string; title: string; category: string }>;
      const questions = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/medical-qa/questions.json'), 'utf8')) as Array<{ q: string }>;
      // The fixture plus 300 variants, so the index is not trivially small.
      for (let i = 0; i < 20; i++) {
        for (const p of passages) {
          const r = await fetch(`${h.url}/v1/documents`, {
            method: 'POST',
            headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ id: `${p.id}-v${i}`, text: i === 0 ? p.text : `${p.text} (${i})`, title: p.title, lang: p.lang, metadata: { category: p.category } }),
          });
          if (r.status !== 201) throw new Error(`ingest ${r.status}`);
        }
      }
      const series: Series[] = [];
      const notes: Record<string, string | number> = { documents: passages.length * 20 };
      let qi = 0;
      for (const connections of [1, 16, 100]) {
        let maxRss = 0;
        const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 200);
        const result = await autocannon({
          url: `${h.url}/v1/search`,
          connections,
          duration: SECONDS,
          method: 'POST',
          headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
          requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: `${questions[qi++ % questions.length]!.q} ${qi}`, topK: 5 }) }) }],
        });
        clearInterval(sampler);
        const ok = result['2xx'];
        notes[`c=${connections}: p50 ms`] = result.latency.p50;
        notes[`c=${connections}: p99 ms`] = result.latency.p99;
        notes[`c=${connections}: requests/s`] = Math.round(result.requests.average);
        notes[`c=${connections}: non-2xx`] = result.non2xx;
        notes[`c=${connections}: errors/timeouts`] = `${result.errors}/${result.timeouts}`;
        notes[`c=${connections}: max RSS MiB`] = Math.round(maxRss / 2 ** 20);
        notes[`c=${connections}: 2xx`] = ok;
        // autocannon reports percentiles, not samples: keep p50 as a one-sample series per level.
        series.push({ label: `service /v1/search c=${connections} (p50)`, samples: [result.latency.p50 / 1000] });
      }
      // Baseline: the same work without HTTP, auth, limits or JSON, sequentially.
      const direct: number[] = [];
      for (let i = 0; i < 40; i++) {
        const q = `${questions[i % questions.length]!.q} direct ${i}`;
        const t0 = process.hrtime.bigint();
        const [v] = (await h.service.embed([q], 'query')).vectors;
        const hits = await h.service.milvus.search(v!, 5);
        await h.service.db.query('SELECT id, text FROM chunks WHERE id = ANY($1::text[])', [hits.map((x) => x.id)]);
        direct.push(Number(process.hrtime.bigint() - t0) / 1e9);
      }
      series.splice(1, 0, { label: 'in-process embed+milvus+pg (sequential)', samples: direct });
      notes['GPU figures'] = 'missing: no GPU machine in this session';
      return { baseline: 'in-process embed+milvus+pg (sequential)', series, notes };
    } finally {
      await h.close();
    }
  },
};
