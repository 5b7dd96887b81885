import { CapabilityPlaceholder } from '../../components/placeholder/CapabilityPlaceholder';

/** Placeholder until its capability replaces this page (texts: i18n/zh-CN/upgrade.json and i18n/en/upgrade.json). */
export function UpgradePage() {
  return <CapabilityPlaceholder ns="upgrade" />;
}
