import { UpgradeFlow } from './stack/UpgradeFlow';

/** Upgrade: choose an imported bundle, see the plan, upgrade with a safety backup and automatic rollback. */
export function UpgradePage() {
  return <UpgradeFlow />;
}
