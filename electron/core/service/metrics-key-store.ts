import fs from 'node:fs';
import path from 'node:path';
import type { ManagedMetricsKey } from '../contract';
import { writePrivate } from '../stack/files/stack-files';

/**
 * The API key the manager holds to read one service container's /metrics, so the Dashboard
 * shows request figures without anyone pasting a key. One file per container:
 *   <dataDir>/service/metrics-keys/<container>.json   (folder 0700, file 0600)
 * The key leaves this file only as a Bearer header to the service; no method returns it.
 */
interface StoredKey extends ManagedMetricsKey {
  key: string;
}

export const MANAGER_METRICS_KEY_NAME = 'medai-manager-metrics';

export const metricsKeyDir = (dataDir: string): string => path.join(dataDir, 'service', 'metrics-keys');
export const metricsKeyFile = (dataDir: string, container: string): string => path.join(metricsKeyDir(dataDir), `${container}.json`);

export function readMetricsKey(dataDir: string, container: string): StoredKey | undefined {
  const file = metricsKeyFile(dataDir, container);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  // A hand-edited or truncated file counts as no key: enable writes a good one again.
  let parsed: Partial<StoredKey>;
  try {
    parsed = JSON.parse(raw) as Partial<StoredKey>;
  } catch {
    return undefined;
  }
  if (typeof parsed.key !== 'string' || typeof parsed.id !== 'string') return undefined;
  return { container, id: parsed.id, name: String(parsed.name ?? MANAGER_METRICS_KEY_NAME), createdAt: String(parsed.createdAt ?? ''), key: parsed.key };
}

export function writeMetricsKey(dataDir: string, stored: StoredKey): void {
  writePrivate(metricsKeyFile(dataDir, stored.container), JSON.stringify(stored));
}

export function deleteMetricsKey(dataDir: string, container: string): void {
  fs.rmSync(metricsKeyFile(dataDir, container), { force: true });
}

/** What faces may see of a stored key. */
export const publicView = ({ key: _key, ...rest }: StoredKey): ManagedMetricsKey => rest;
