import { createHash } from 'node:crypto';
import type { ServiceSpec } from './stack-model';

/** JSON with sorted keys, so equal specs hash equally whatever the file order was. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The service's config hash (label com.docker.compose.config-hash): the normalized spec
 * plus the image ID, so a re-tagged image with the same name still counts as a change.
 * Applying the same version twice finds equal hashes and changes nothing.
 */
export function configHash(service: ServiceSpec, imageId: string): string {
  return createHash('sha256').update(stableJson({ service, imageId })).digest('hex');
}
