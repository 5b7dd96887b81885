import { parse as parseYaml } from 'yaml';
import { BundleManifest, type HostRequirements } from '../contract';
import type { StateDb } from '../state/open-state';

const GiB = 1024 ** 3;

/**
 * What the stack needs before a bundle is known. The sizes are the documented estimates
 * of docs/operations/host-check.md; an imported bundle replaces them with its own figures.
 * CUDA 12 builds need driver ≥ 525.60.13 on Linux (NVIDIA's minor-version compatibility).
 */
export const DEFAULT_REQUIREMENTS: HostRequirements = {
  source: 'defaults',
  bundleVersion: null,
  ports: [8000],
  images: [],
  imagesBytes: 12 * GiB,
  volumesBytes: 20 * GiB,
  backupCopies: 2,
  serviceImage: null,
  cudaBuild: '12.x',
  minDriverVersion: '525.60.13',
};

/** Data the stack writes besides the models, until the bundle says otherwise. */
const DATA_ESTIMATE = 20 * GiB;

/** Host ports a compose file publishes, in short ("127.0.0.1:8000:8000", "${P:-8000}:80") and long syntax. */
export function publishedPorts(composeYaml: string): number[] {
  let doc: unknown;
  try {
    doc = parseYaml(composeYaml);
  } catch {
    return [];
  }
  const services = (doc as { services?: Record<string, { ports?: unknown[] }> } | null)?.services ?? {};
  const out = new Set<number>();
  for (const svc of Object.values(services)) {
    for (const p of svc?.ports ?? []) {
      if (p && typeof p === 'object') {
        const published = Number((p as { published?: unknown }).published);
        if (Number.isInteger(published) && published > 0) out.add(published);
        continue;
      }
      // ${VAR:-default} → default; ${VAR}, ${VAR:?message} → a placeholder (an address, set at install).
      const s = String(p)
        .replace(/\$\{[A-Za-z0-9_]+:?-([^}]*)\}/g, '$1')
        .replace(/\$\{[A-Za-z0-9_]+(:?\?[^}]*)?\}/g, 'ADDR')
        .replace(/\/(tcp|udp)$/, '');
      const parts = s.split(':');
      if (parts.length < 2) continue; // only a container port: nothing published on a fixed host port
      const host = parts[parts.length - 2]!;
      const [from, to] = host.split('-').map(Number);
      if (!Number.isInteger(from)) continue;
      for (let port = from!; port <= (Number.isInteger(to) ? to! : from!); port++) out.add(port);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** The newest imported bundle's manifest (bundle capability's table), if any. */
function latestManifest(db: StateDb): { version: string; manifest: BundleManifest } | null {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'imported_bundles'").get();
  if (!exists) return null;
  const row = db.prepare('SELECT bundle_version, manifest_json FROM imported_bundles ORDER BY imported_at DESC LIMIT 1').get() as
    | { bundle_version: string; manifest_json: string }
    | undefined;
  if (!row) return null;
  try {
    const parsed = BundleManifest.safeParse(JSON.parse(row.manifest_json));
    return parsed.success ? { version: row.bundle_version, manifest: parsed.data } : null;
  } catch {
    return null;
  }
}

export function requirementsFrom(manifest: BundleManifest, bundleVersion: string, source: 'bundle-file' | 'imported-bundle' = 'imported-bundle'): HostRequirements {
  const images = manifest.images.map((i) => ({ ref: i.ref, bytes: i.unpackedSize }));
  const modelsBytes = manifest.models.reduce((n, m) => n + m.size, 0);
  const service = manifest.images.find((i) => /(^|-)(ai-)?service$|inference/.test(i.service)) ?? null;
  const ports = publishedPorts(manifest.compose.content);
  return {
    ...DEFAULT_REQUIREMENTS,
    source,
    bundleVersion,
    ports: ports.length ? ports : DEFAULT_REQUIREMENTS.ports,
    images,
    imagesBytes: images.reduce((n, i) => n + i.bytes, 0),
    volumesBytes: modelsBytes + DATA_ESTIMATE,
    serviceImage: service?.ref ?? null,
  };
}

export function readRequirements(db: StateDb, ports?: number[], bundleFile?: { manifest: BundleManifest }): HostRequirements {
  const latest = latestManifest(db);
  const base = bundleFile
    ? requirementsFrom(bundleFile.manifest, bundleFile.manifest.bundleVersion, 'bundle-file')
    : latest
      ? requirementsFrom(latest.manifest, latest.version)
      : DEFAULT_REQUIREMENTS;
  return ports?.length ? { ...base, ports: [...new Set(ports)].sort((a, b) => a - b) } : base;
}

/**
 * The disk formula (docs/operations/host-check.md): Docker's data root holds the images
 * and the volumes; the manager's data dir holds the backups. When both are on one
 * filesystem, it must hold everything: images + volumes + copies × volumes.
 */
export function diskNeeds(r: HostRequirements, sameFilesystem: boolean): { dockerRoot: number; dataDir: number } {
  const dockerRoot = r.imagesBytes + r.volumesBytes;
  const backups = r.backupCopies * r.volumesBytes;
  return sameFilesystem ? { dockerRoot: dockerRoot + backups, dataDir: dockerRoot + backups } : { dockerRoot, dataDir: backups };
}
