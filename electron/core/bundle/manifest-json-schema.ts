import { z } from 'zod';
import { BundleManifest } from '../contract';

/**
 * The manifest's JSON Schema, derived from the zod schema the importer enforces, so
 * third-party tools (and the vendor's release pipeline) check the same rules.
 * Committed as bundles/manifest.schema.json; a unit test keeps the two equal.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://medai.local/schemas/bundle-manifest-1.json',
    title: 'medai offline bundle manifest (schemaVersion 1)',
    ...z.toJSONSchema(BundleManifest, { target: 'draft-2020-12', io: 'input' }),
  };
}
