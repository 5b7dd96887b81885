import semver from 'semver';
import { fail, type BundleInspection, type BundleManifest } from '../contract';

export function relationTo(installed: string | null, bundleVersion: string): BundleInspection['relation'] {
  if (!installed) return 'fresh';
  const c = semver.compare(bundleVersion, installed);
  return c > 0 ? 'upgrade' : c === 0 ? 'same' : 'downgrade';
}

/**
 * Refuses a downgrade unless forced, and an upgrade that skips a release whose
 * migrations the new version relies on (never overridable: it breaks the database).
 */
export function checkVersionPolicy(manifest: BundleManifest, installed: string | null, force: boolean): void {
  const relation = relationTo(installed, manifest.bundleVersion);
  if (!installed) return;
  if (relation === 'downgrade' && !force) throw fail('BUNDLE_DOWNGRADE', { bundle: manifest.bundleVersion, installed });
  if (relation === 'upgrade' && semver.lt(installed, manifest.minUpgradeFrom)) {
    throw fail('BUNDLE_UPGRADE_PATH', { bundle: manifest.bundleVersion, min: manifest.minUpgradeFrom, installed });
  }
}
