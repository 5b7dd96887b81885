import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { fail } from '../errors.js';

// A model is a directory under the models volume with manifest.json next to its files.
// Everything that differs between models lives here, so a hospital can drop in a
// Chinese-capable model by adding a directory and setting MODEL_NAME.
const fileRef = z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const manifestSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  version: z.string().default('1'),
  dimension: z.number().int().min(1).max(8192),
  maxTokens: z.number().int().min(8).max(32768),
  pooling: z.enum(['mean', 'cls']),
  normalize: z.boolean().default(true),
  languages: z.array(z.string()).default([]),
  /** Text put before queries / passages by models trained with prefixes (e5: "query: "). */
  queryPrefix: z.string().default(''),
  passagePrefix: z.string().default(''),
  /** Name of the model output holding token embeddings; the first output when absent. */
  output: z.string().optional(),
  files: z.object({ model: fileRef, tokenizer: fileRef, tokenizerConfig: fileRef.optional() }),
});

export type ModelManifest = z.infer<typeof manifestSchema>;

export interface ModelFiles {
  dir: string;
  manifest: ModelManifest;
  modelPath: string;
  tokenizerPath: string;
  tokenizerConfigPath: string | undefined;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function inside(dir: string, rel: string): string {
  const p = resolve(dir, rel);
  if (!p.startsWith(resolve(dir) + sep)) throw fail('MODEL_MANIFEST_INVALID', 500, `manifest path ${rel} leaves the model directory`);
  return p;
}

/** Reads and validates the manifest, then checks every file against its sha256. */
export async function loadModelFiles(modelsDir: string, name: string): Promise<ModelFiles> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw fail('MODEL_NAME_INVALID', 500, `MODEL_NAME ${name} is not a directory name`);
  const dir = join(modelsDir, name);
  let raw: string;
  try {
    raw = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw fail('MODEL_NOT_FOUND', 500, `no model manifest at ${join(dir, 'manifest.json')}`, {
      remedy: 'Put the model directory (manifest.json, model.onnx, tokenizer.json) under MODELS_DIR or fix MODEL_NAME.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw fail('MODEL_MANIFEST_INVALID', 500, `${name}/manifest.json is not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw fail('MODEL_MANIFEST_INVALID', 500, `${name}/manifest.json: ${detail}`);
  }
  const manifest = parsed.data;
  const refs = Object.entries(manifest.files).filter((e): e is [string, z.infer<typeof fileRef>] => e[1] !== undefined);
  for (const [role, ref] of refs) {
    const path = inside(dir, ref.path);
    let got: string;
    try {
      got = await sha256File(path);
    } catch {
      throw fail('MODEL_FILE_MISSING', 500, `${name}: ${role} file ${ref.path} is missing`);
    }
    if (got !== ref.sha256) {
      throw fail('MODEL_CHECKSUM_MISMATCH', 500, `${name}: ${ref.path} has sha256 ${got}, manifest says ${ref.sha256}`, {
        remedy: 'The file is corrupt or was replaced; restore it from the model bundle.',
      });
    }
  }
  return {
    dir,
    manifest,
    modelPath: inside(dir, manifest.files.model.path),
    tokenizerPath: inside(dir, manifest.files.tokenizer.path),
    tokenizerConfigPath: manifest.files.tokenizerConfig ? inside(dir, manifest.files.tokenizerConfig.path) : undefined,
  };
}
