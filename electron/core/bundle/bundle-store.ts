import semver from 'semver';
import type { BundleManifest, ImportedBundle } from '../contract';
import type { StateDb } from '../state/open-state';

type Row = {
  bundle_version: string;
  stack_version: string;
  signer_key_id: string;
  manifest_sha256: string;
  imported_at: string;
  source_path: string;
  models_dir: string;
};

const toImported = (r: Row): ImportedBundle => ({
  bundleVersion: r.bundle_version,
  stackVersion: r.stack_version,
  signerKeyId: r.signer_key_id,
  manifestSha256: r.manifest_sha256,
  importedAt: r.imported_at,
  sourcePath: r.source_path,
  modelsDir: r.models_dir,
});

/** Imported bundles in SQLite: what the stack capability installs from, and what downgrade checks compare with. */
export class BundleStore {
  constructor(private readonly db: StateDb) {}

  record(input: { manifest: BundleManifest; manifestJson: string; manifestSha256: string; signerKeyId: string; importedAt: string; sourcePath: string; modelsDir: string }): void {
    this.db
      .prepare(
        `INSERT INTO imported_bundles (bundle_version, stack_version, signer_key_id, manifest_sha256, manifest_json, imported_at, source_path, models_dir)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(bundle_version) DO UPDATE SET stack_version = excluded.stack_version, signer_key_id = excluded.signer_key_id,
           manifest_sha256 = excluded.manifest_sha256, manifest_json = excluded.manifest_json, imported_at = excluded.imported_at,
           source_path = excluded.source_path, models_dir = excluded.models_dir`,
      )
      .run(input.manifest.bundleVersion, input.manifest.stackVersion, input.signerKeyId, input.manifestSha256, input.manifestJson, input.importedAt, input.sourcePath, input.modelsDir);
  }

  list(): ImportedBundle[] {
    const rows = this.db.prepare('SELECT * FROM imported_bundles').all() as Row[];
    return rows.map(toImported).sort((a, b) => semver.rcompare(a.bundleVersion, b.bundleVersion));
  }

  /**
   * The version this machine runs, as far as the manager knows: the newest bundle it
   * imported. (The stack capability narrows this to the installed one once it records installs.)
   */
  installedVersion(): string | null {
    return this.list()[0]?.bundleVersion ?? null;
  }

  manifestJson(bundleVersion: string): string | undefined {
    return (this.db.prepare('SELECT manifest_json FROM imported_bundles WHERE bundle_version = ?').get(bundleVersion) as { manifest_json: string } | undefined)?.manifest_json;
  }
}
