import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { fail } from '../errors.js';

export interface BatchEncoding {
  /** Row-major [batch, seqLen] token ids, padded with padId. */
  ids: BigInt64Array;
  mask: BigInt64Array;
  typeIds: BigInt64Array;
  seqLen: number;
  /** Real (unpadded) token count per text, after truncation. */
  lengths: number[];
  truncated: number;
}

/** The model's own tokenizer.json, with truncation to the model's max tokens and padding to the batch's longest text. */
export class TextTokenizer {
  private constructor(
    private readonly tok: Tokenizer,
    readonly maxTokens: number,
    private readonly padId: number,
    private readonly sepId: number | undefined,
  ) {}

  static async load(tokenizerPath: string, configPath: string | undefined, maxTokens: number): Promise<TextTokenizer> {
    let json: Record<string, unknown>;
    let config: Record<string, unknown> = {};
    try {
      json = JSON.parse(await readFile(tokenizerPath, 'utf8')) as Record<string, unknown>;
      if (configPath) config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw fail('MODEL_TOKENIZER_INVALID', 500, `cannot read tokenizer ${tokenizerPath}: ${String(e)}`);
    }
    const tok = new Tokenizer(json, config);
    const padding = json.padding as { pad_id?: number } | null | undefined;
    const padId = padding?.pad_id ?? tok.token_to_id('[PAD]') ?? tok.token_to_id('<pad>') ?? 0;
    const sepId = tok.token_to_id('[SEP]') ?? tok.token_to_id('</s>');
    return new TextTokenizer(tok, maxTokens, padId, sepId);
  }

  /** Token ids of one text including special tokens, not truncated (for chunk sizing). */
  count(text: string): number {
    return this.tok.encode(text).ids.length;
  }

  encodeBatch(texts: string[]): BatchEncoding {
    const rows: number[][] = [];
    const typeRows: number[][] = [];
    let truncated = 0;
    for (const t of texts) {
      const enc = this.tok.encode(t, { return_token_type_ids: true });
      let ids = enc.ids;
      let types = enc.token_type_ids;
      if (ids.length > this.maxTokens) {
        truncated++;
        // Keep the closing special token so the model sees a well-formed sequence.
        const last = ids[ids.length - 1];
        ids = ids.slice(0, this.maxTokens);
        types = types.slice(0, this.maxTokens);
        if (this.sepId !== undefined && last === this.sepId) ids[this.maxTokens - 1] = this.sepId;
      }
      rows.push(ids);
      typeRows.push(types);
    }
    const seqLen = Math.max(1, ...rows.map((r) => r.length));
    const n = texts.length;
    const ids = new BigInt64Array(n * seqLen).fill(BigInt(this.padId));
    const mask = new BigInt64Array(n * seqLen);
    const typeIds = new BigInt64Array(n * seqLen);
    rows.forEach((r, i) => {
      const t = typeRows[i] ?? [];
      for (let j = 0; j < r.length; j++) {
        ids[i * seqLen + j] = BigInt(r[j] ?? 0);
        mask[i * seqLen + j] = 1n;
        typeIds[i * seqLen + j] = BigInt(t[j] ?? 0);
      }
    });
    return { ids, mask, typeIds, seqLen, lengths: rows.map((r) => r.length), truncated };
  }
}
