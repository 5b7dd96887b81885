import * as ort from 'onnxruntime-node';
import { fail, describe } from '../errors.js';
import { loadModelFiles, type ModelManifest } from './manifest.js';
import { pool } from './pooling.js';
import { gpuPresent, providerPlan, type ProviderChoice } from './provider.js';
import { TextTokenizer } from './tokenizer.js';

export interface EmbedResult {
  vectors: Float32Array[];
  tokens: number;
  /** Tokens per text after truncation. */
  lengths: number[];
  truncated: number;
}

/** One ONNX session and its tokenizer. `embed` runs one forward pass for the whole batch. */
export class Embedder {
  private constructor(
    readonly manifest: ModelManifest,
    readonly tokenizer: TextTokenizer,
    private readonly session: ort.InferenceSession,
    readonly provider: 'cuda' | 'cpu',
    readonly providerNote: string,
    private readonly needsTypeIds: boolean,
    private readonly outputName: string,
  ) {}

  static async load(opts: { modelsDir: string; name: string; provider: ProviderChoice; threads: number; devRoot?: string }): Promise<Embedder> {
    const files = await loadModelFiles(opts.modelsDir, opts.name);
    const tokenizer = await TextTokenizer.load(files.tokenizerPath, files.tokenizerConfigPath, files.manifest.maxTokens);
    const plan = providerPlan(opts.provider, gpuPresent(opts.devRoot));
    let note = '';
    for (const p of plan) {
      try {
        const session = await ort.InferenceSession.create(files.modelPath, {
          executionProviders: p === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
          intraOpNumThreads: opts.threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        });
        const inputs = session.inputNames;
        for (const need of ['input_ids', 'attention_mask']) {
          if (!inputs.includes(need)) throw fail('MODEL_INPUTS_UNSUPPORTED', 500, `${opts.name}: model has no ${need} input (has ${inputs.join(', ')})`);
        }
        const outputName = files.manifest.output ?? session.outputNames[0];
        if (!outputName || !session.outputNames.includes(outputName)) {
          throw fail('MODEL_OUTPUT_MISSING', 500, `${opts.name}: output ${String(outputName)} not among ${session.outputNames.join(', ')}`);
        }
        return new Embedder(files.manifest, tokenizer, session, p, note, inputs.includes('token_type_ids'), outputName);
      } catch (e) {
        if (p === 'cpu' || (e as { code?: string }).code?.startsWith('MODEL_')) throw e;
        // CUDA EP libraries or driver missing: fall back to CPU and say why in /ready.
        note = `cuda unavailable, using cpu: ${describe(e)}`;
      }
    }
    throw fail('MODEL_LOAD_FAILED', 500, `${opts.name}: no execution provider could load the model`);
  }

  get name(): string {
    return this.manifest.name;
  }

  get dimension(): number {
    return this.manifest.dimension;
  }

  async embed(texts: string[]): Promise<EmbedResult> {
    if (texts.length === 0) return { vectors: [], tokens: 0, lengths: [], truncated: 0 };
    const enc = this.tokenizer.encodeBatch(texts);
    const shape = [texts.length, enc.seqLen];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', enc.ids, shape),
      attention_mask: new ort.Tensor('int64', enc.mask, shape),
    };
    if (this.needsTypeIds) feeds.token_type_ids = new ort.Tensor('int64', enc.typeIds, shape);
    const out = await this.session.run(feeds, [this.outputName]);
    const t = out[this.outputName];
    if (!t) throw fail('MODEL_OUTPUT_MISSING', 500, `model returned no ${this.outputName}`);
    const data = t.data as Float32Array;
    const dims = t.dims;
    let vectors: Float32Array[];
    if (dims.length === 3) {
      if (dims[2] !== this.dimension) throw fail('MODEL_DIMENSION_MISMATCH', 500, `model emits ${dims[2]} dims, manifest says ${this.dimension}`);
      vectors = pool(data, texts.length, enc.seqLen, this.dimension, enc.mask, this.manifest.pooling, this.manifest.normalize);
    } else {
      // Already pooled [batch, dim] (sentence_embedding outputs).
      vectors = pool(data, texts.length, 1, this.dimension, new BigInt64Array(texts.length).fill(1n), 'cls', this.manifest.normalize);
    }
    return { vectors, tokens: enc.lengths.reduce((a, b) => a + b, 0), lengths: enc.lengths, truncated: enc.truncated };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
