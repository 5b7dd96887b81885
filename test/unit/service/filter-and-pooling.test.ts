import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pool } from '../../../service/src/model/pooling.js';
import { gpuPresent, providerPlan } from '../../../service/src/model/provider.js';
import { buildExpr } from '../../../service/src/vector/filter.js';

describe('buildExpr', () => {
  it('builds a Milvus expression with escaped literals', () => {
    expect(buildExpr({ documentIds: ['a', 'b"c'], source: 'x', lang: 'zh', metadata: { dept: '心内科', year: 2024, active: true } })).toBe(
      'doc_id in ["a", "b\\"c"] && source == "x" && lang == "zh" && metadata["dept"] == "心内科" && metadata["year"] == 2024 && metadata["active"] == true',
    );
    expect(buildExpr(undefined)).toBe('');
  });

  it('refuses metadata keys that could change the expression', () => {
    expect(() => buildExpr({ metadata: { 'a"] || true || metadata["b': 1 } })).toThrow(/not allowed/);
  });
});

describe('pool', () => {
  it('mean-pools over real tokens only and L2-normalises', () => {
    // batch 1, seq 3 (last is padding), dim 2
    const hidden = new Float32Array([1, 0, 3, 0, 100, 100]);
    const [v] = pool(hidden, 1, 3, 2, new BigInt64Array([1n, 1n, 0n]), 'mean', true);
    expect(Array.from(v!)).toEqual([1, 0]);
    const [raw] = pool(hidden, 1, 3, 2, new BigInt64Array([1n, 1n, 0n]), 'mean', false);
    expect(Array.from(raw!)).toEqual([2, 0]);
  });

  it('takes the first token for cls pooling', () => {
    const [v] = pool(new Float32Array([3, 4, 9, 9]), 1, 2, 2, new BigInt64Array([1n, 1n]), 'cls', true);
    expect(v![0]).toBeCloseTo(0.6);
    expect(v![1]).toBeCloseTo(0.8);
  });
});

describe('provider plan', () => {
  it('tries CUDA first only when a GPU is present or CUDA is forced, CPU always last', () => {
    expect(providerPlan('auto', false)).toEqual(['cpu']);
    expect(providerPlan('auto', true)).toEqual(['cuda', 'cpu']);
    expect(providerPlan('cuda', false)).toEqual(['cuda', 'cpu']);
    expect(providerPlan('cpu', true)).toEqual(['cpu']);
  });

  it('detects a GPU by its device nodes', () => {
    const dev = mkdtempSync(join(tmpdir(), 'svc-dev-'));
    expect(gpuPresent(dev)).toBe(false);
    mkdirSync(join(dev, 'nvidiactl'));
    mkdirSync(join(dev, 'nvidia0'));
    expect(gpuPresent(dev)).toBe(true);
  });
});
