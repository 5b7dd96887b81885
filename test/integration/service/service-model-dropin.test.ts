import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '../../../service/src/model/embedder.js';
import { api, modelsDir, startHarness, type Harness } from './support.js';

// A hospital drops a second model directory next to the default one and sets MODEL_NAME:
// no code change. The second directory here reuses the default ONNX weights with another
// manifest (CLS pooling, e5-style prefixes, zh+en), so every manifest field is exercised
// with a real model; its vectors differ from the default model's, and it gets its own
// Milvus collection.
let dir: string;
let h: Harness;
const NAME = 'clinical-zh-dropin';

function makeModelDir(root: string, name: string, patch: Record<string, unknown> = {}): string {
  const src = join(modelsDir(), 'all-MiniLM-L6-v2');
  const base = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8'));
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  copyFileSync(join(src, 'model.onnx'), join(d, 'weights.onnx'));
  copyFileSync(join(src, 'tokenizer.json'), join(d, 'tokenizer.json'));
  const manifest = {
    ...base,
    name,
    version: 'dropin-1',
    pooling: 'cls',
    languages: ['zh', 'en'],
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    files: { model: { path: 'weights.onnx', sha256: base.files.model.sha256 }, tokenizer: base.files.tokenizer },
    ...patch,
  };
  writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return d;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medai-models-'));
  makeModelDir(dir, NAME);
  h = await startHarness('dropin', { MODELS_DIR: dir, MODEL_NAME: NAME });
});
afterAll(async () => {
  await h?.close();
});

describe('model drop-in', () => {
  it('serves the model named by MODEL_NAME, as its manifest describes', async () => {
    const r = await (await fetch(`${h.url}/ready`)).json();
    expect(r.status).toBe('ready');
    expect(r.checks.model).toMatchObject({ name: NAME, dimension: 384 });
    expect(r.checks.milvus.collection).toContain('clinical_zh_dropin_384');
    const e = await api(h, 'POST', '/v1/embeddings', { input: '急性心肌梗死' });
    expect(e.json.model).toBe(NAME);
    const def = await Embedder.load({ modelsDir: modelsDir(), name: 'all-MiniLM-L6-v2', provider: 'cpu', threads: 1 });
    const ref = (await def.embed(['急性心肌梗死'])).vectors[0]!;
    await def.close();
    const cos = e.json.data[0].embedding.reduce((s: number, v: number, i: number) => s + v * ref[i]!, 0);
    expect(cos).toBeLessThan(0.999); // CLS pooling: really a different embedding
  });

  it('carries Chinese documents through ingest and search with the drop-in model', async () => {
    const docs = [
      { id: 'mi', text: '急性心肌梗死患者应尽早行再灌注治疗。胸痛发作12小时内首选经皮冠状动脉介入治疗。', title: '心肌梗死' },
      { id: 'flu', text: '流行性感冒患者应在发病48小时内使用奥司他韦。高危人群应每年接种流感疫苗。', title: '流感' },
    ];
    for (const d of docs) expect((await api(h, 'POST', '/v1/documents', { ...d, lang: 'zh' })).status).toBe(201);
    const got = await api(h, 'GET', '/v1/documents/mi');
    expect(got.json.model).toBe(NAME);
    expect(got.json.chunks.map((c: { text: string }) => c.text).join('')).toBe(docs[0]!.text);
    const s = await api(h, 'POST', '/v1/search', { query: '奥司他韦', topK: 2 });
    expect(s.status).toBe(200);
    expect(s.json.model).toBe(NAME);
    expect(s.json.results.length).toBe(2);
    for (const x of s.json.results) expect(x.text).not.toContain('\uFFFD');
  });

  it('refuses a model whose files do not match the manifest checksums', async () => {
    const bad = makeModelDir(dir, 'tampered');
    appendFileSync(join(bad, 'tokenizer.json'), ' ');
    await expect(Embedder.load({ modelsDir: dir, name: 'tampered', provider: 'cpu', threads: 1 })).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' });
    makeModelDir(dir, 'badmanifest', { pooling: 'max', dimension: -1 });
    await expect(Embedder.load({ modelsDir: dir, name: 'badmanifest', provider: 'cpu', threads: 1 })).rejects.toMatchObject({ code: 'MODEL_MANIFEST_INVALID' });
    await expect(Embedder.load({ modelsDir: dir, name: 'absent', provider: 'cpu', threads: 1 })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(Embedder.load({ modelsDir: dir, name: '../etc', provider: 'cpu', threads: 1 })).rejects.toMatchObject({ code: 'MODEL_NAME_INVALID' });
  });

  it('refuses a manifest whose dimension disagrees with the model output', async () => {
    makeModelDir(dir, 'wrongdim', { dimension: 768 });
    const e = await Embedder.load({ modelsDir: dir, name: 'wrongdim', provider: 'cpu', threads: 1 });
    await expect(e.embed(['x'])).rejects.toMatchObject({ code: 'MODEL_DIMENSION_MISMATCH' });
    await e.close();
  });
});
