/** Sentence vectors from token embeddings [batch, seqLen, hidden]: mean over real tokens or CLS, then optional L2. */
export function pool(
  hidden: Float32Array,
  batch: number,
  seqLen: number,
  dim: number,
  mask: BigInt64Array,
  mode: 'mean' | 'cls',
  normalize: boolean,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    if (mode === 'cls') {
      v.set(hidden.subarray(b * seqLen * dim, b * seqLen * dim + dim));
    } else {
      let count = 0;
      for (let t = 0; t < seqLen; t++) {
        if (mask[b * seqLen + t] === 0n) continue;
        count++;
        const base = (b * seqLen + t) * dim;
        for (let d = 0; d < dim; d++) v[d]! += hidden[base + d]!;
      }
      const inv = 1 / Math.max(count, 1);
      for (let d = 0; d < dim; d++) v[d]! *= inv;
    }
    if (normalize) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += v[d]! * v[d]!;
      const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
      for (let d = 0; d < dim; d++) v[d]! *= inv;
    }
    out.push(v);
  }
  return out;
}
