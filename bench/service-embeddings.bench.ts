import * as ort from 'onnxruntime-node';
import { Embedder } from '../service/src/model/embedder';
import { TextTokenizer } from '../service/src/model/tokenizer';
import { startHarness } from '../test/integration/service/support';
import { interleave, median, type Benchmark } from './bench-kit';

// Embeddings through the whole service (HTTP, auth, rate limit, batcher, tokenizer, pooling)
// against a raw onnxruntime `session.run` loop on the same model file and the same,
// pre-tokenised inputs, in the same run. The cache is off so every text is computed.
const SENTENCES = [
  'Patient presents with acute chest pain radiating to the left arm',
  'Blood pressure 150/95 mmHg on three separate visits',
  'Start metformin 500 mg twice daily with meals',
  '患者主诉胸闷气短三天，活动后加重',
  'Allergic to penicillin, reports hives after amoxicillin',
  'CT head shows no intracranial haemorrhage',
  '建议低盐低脂饮食，规律监测血压',
  'HbA1c 8.2 percent, above the individual target',
];
const texts = (n: number, round: number) => Array.from({ length: n }, (_, i) => `${SENTENCES[i % SENTENCES.length]} (case ${round}-${i})`);

export const serviceEmbeddingsBench: Benchmark = {
  name: 'service-embeddings',
  description: 'POST /v1/embeddings (batch 1 and 32) vs raw onnxruntime session.run on the same model and inputs',
  async run() {
    const threads = 2;
    const h = await startHarness('bench_emb', { EMBEDDING_CACHE_TTL_SECONDS: '0', WORKER_THREADS: String(threads), RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'error' });
    try {
      const emb = h.service.embedder;
      const modelPath = `${h.config.MODELS_DIR}/${emb.name}/model.onnx`;
      const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
      const tok = await TextTokenizer.load(`${h.config.MODELS_DIR}/${emb.name}/tokenizer.json`, undefined, emb.manifest.maxTokens);
      const inproc = await Embedder.load({ modelsDir: h.config.MODELS_DIR, name: emb.name, provider: 'cpu', threads });
      const rounds = 15;
      let round = 0;
      const post = async (input: string[]) => {
        const t0 = process.hrtime.bigint();
        const r = await fetch(`${h.url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ input }) });
        await r.json();
        if (r.status !== 200) throw new Error(`service answered ${r.status}`);
        return Number(process.hrtime.bigint() - t0) / 1e9;
      };
      const raw = async (input: string[]) => {
        const enc = tok.encodeBatch(input); // outside the timed region: the baseline is session.run alone
        const shape = [input.length, enc.seqLen];
        const t0 = process.hrtime.bigint();
        const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', enc.ids, shape), attention_mask: new ort.Tensor('int64', enc.mask, shape) };
        if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', enc.typeIds, shape);
        await session.run(feeds);
        return Number(process.hrtime.bigint() - t0) / 1e9;
      };
      const direct = async (input: string[]) => {
        const t0 = process.hrtime.bigint();
        await inproc.embed(input);
        return Number(process.hrtime.bigint() - t0) / 1e9;
      };
      // Warm-up both paths.
      for (let i = 0; i < 3; i++) {
        await post(texts(32, -1 - i));
        await raw(texts(32, -1 - i));
      }
      const series = [];
      const notes: Record<string, string | number> = {};
      for (const batch of [32, 1]) {
        const s = await interleave(rounds, {
          [`service POST /v1/embeddings batch ${batch}`]: () => post(texts(batch, round++)),
          [`raw session.run batch ${batch}`]: () => raw(texts(batch, round++)),
          [`in-process tokenize+run+pool batch ${batch}`]: () => direct(texts(batch, round++)),
        });
        series.push(...s);
        const [svc, base, dir] = s.map((x) => median(x.samples));
        notes[`batch ${batch}: service embeddings/s`] = Math.round(batch / svc!);
        notes[`batch ${batch}: raw session.run embeddings/s`] = Math.round(batch / base!);
        notes[`batch ${batch}: in-process embedder embeddings/s`] = Math.round(batch / dir!);
        notes[`batch ${batch}: service overhead vs raw session.run`] = `${(((svc! - base!) / base!) * 100).toFixed(1)}%`;
      }
      notes['execution provider'] = emb.provider;
      notes['GPU figures'] = 'missing: no GPU machine in this session';
      notes.threads = threads;
      await session.release();
      await inproc.close();
      // Ours first: batch 32 service; the ratio printed is vs raw session.run batch 32.
      return { baseline: 'raw session.run batch 32', series, notes };
    } finally {
      await h.close();
    }
  },
};
