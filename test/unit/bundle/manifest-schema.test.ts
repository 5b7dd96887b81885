import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from '../../../electron/core/bundle/manifest-json-schema';
import { BundleManifest, BundleSignature } from '../../../electron/core/contract';
import { sampleManifest } from './sample-manifest';

const SCHEMA_FILE = path.resolve(__dirname, '../../../bundles/manifest.schema.json');


describe('bundle manifest schema', () => {
  it('the committed bundles/manifest.schema.json is what the zod schema emits (MEDAI_UPDATE_SCHEMA=1 rewrites it)', () => {
    const emitted = `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
    if (process.env.MEDAI_UPDATE_SCHEMA === '1') fs.writeFileSync(SCHEMA_FILE, emitted);
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(emitted);
  });

  it('accepts a well-formed manifest', () => {
    expect(BundleManifest.safeParse(sampleManifest()).success).toBe(true);
  });

  const broken: [string, (m: ReturnType<typeof sampleManifest>) => unknown][] = [
    ['a `latest` tag', (m) => ((m.images[0]!.ref = 'medai/postgres:latest'), m)],
    ['an untagged image', (m) => ((m.images[0]!.ref = 'medai/postgres'), m)],
    ['an image ID that is not sha256', (m) => ((m.images[0]!.id = 'abc'), m)],
    ['a version that is not semver', (m) => ((m.bundleVersion = '1.2'), m)],
    ['an entry outside images/', (m) => ((m.images[0]!.file = '../etc/passwd'), m)],
    ['a model path that climbs out', (m) => ((m.models[0]!.name = '../x'), m)],
    ['release notes in one language only', (m) => ({ ...m, releaseNotes: { en: 'x' } })],
    ['a secret with a shipped default', (m) => ({ ...m, envSchema: [{ ...m.envSchema[0]!, default: 'changeme' }] })],
    ['no images', (m) => ({ ...m, images: [] })],
    ['two entries with one file name', (m) => ({ ...m, images: [m.images[0]!, { ...m.images[0]!, service: 'other' }] })],
    ['an unknown field', (m) => ({ ...m, extra: true })],
    ['a negative size', (m) => ((m.images[0]!.size = -1), m)],
  ];
  it.each(broken)('refuses %s', (_name, mutate) => {
    expect(BundleManifest.safeParse(mutate(sampleManifest())).success).toBe(false);
  });

  it('checks the signature block shape', () => {
    expect(BundleSignature.safeParse({ algorithm: 'ed25519', keyId: 'd'.repeat(64), signature: 'AAAA' }).success).toBe(true);
    expect(BundleSignature.safeParse({ algorithm: 'rsa', keyId: 'd'.repeat(64), signature: 'AAAA' }).success).toBe(false);
  });
});
