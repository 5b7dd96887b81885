import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { EnvSchema, fail, ModelName, SemVer, type EnvVariable, type LocalizedText } from '../contract';

/** stack.json: what the compose file does not say. */
const StackJson = z
  .object({
    stackVersion: SemVer,
    minUpgradeFrom: SemVer,
    /** Model files that travel in the bundle; `path` is relative to the models folder given at build. */
    models: z.array(z.object({ name: ModelName, path: z.string().min(1) }).strict()).default([]),
  })
  .strict();

export interface StackDefinition {
  dir: string;
  stackVersion: string;
  minUpgradeFrom: string;
  compose: Document;
  /** compose service → image reference, in file order. */
  images: { service: string; ref: string }[];
  envSchema: EnvVariable[];
  releaseNotes: LocalizedText;
  models: { name: string; path: string }[];
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw fail('BUNDLE_BUILD_INPUT_INVALID', { file }, (e as Error).message);
  }
}

function parseJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof SyntaxError) throw fail('BUNDLE_BUILD_INPUT_INVALID', { file }, e.message);
    throw e;
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw fail('BUNDLE_BUILD_INPUT_INVALID', { file }, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

/** Reads a stack definition folder (bundles/medical-ai-stack is the product's). */
export function readStackDefinition(dir: string): StackDefinition {
  const composeFile = path.join(dir, 'compose.yaml');
  const compose = parseDocument(readText(composeFile));
  if (compose.errors.length) throw fail('BUNDLE_BUILD_INPUT_INVALID', { file: composeFile }, compose.errors.map((e) => e.message).join('; '));
  const services = (compose.toJS() as { services?: Record<string, { image?: unknown }> }).services ?? {};
  const images = Object.entries(services).map(([service, s]) => {
    if (typeof s?.image !== 'string') throw fail('BUNDLE_BUILD_INPUT_INVALID', { file: composeFile }, `service ${service} has no image`);
    return { service, ref: s.image };
  });
  if (!images.length) throw fail('BUNDLE_BUILD_INPUT_INVALID', { file: composeFile }, 'no services');
  const stack = parseJson(path.join(dir, 'stack.json'), StackJson);
  const envSchema = parseJson(path.join(dir, 'env.schema.json'), EnvSchema);
  const notes = (lang: string) => readText(path.join(dir, 'release-notes', `${lang}.md`)).trim();
  return {
    dir,
    stackVersion: stack.stackVersion,
    minUpgradeFrom: stack.minUpgradeFrom,
    compose,
    images,
    envSchema,
    releaseNotes: { 'zh-CN': notes('zh-CN'), en: notes('en') },
    models: stack.models,
  };
}
