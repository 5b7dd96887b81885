import { CapabilityPlaceholder } from '../../components/placeholder/CapabilityPlaceholder';

/** Placeholder until its capability replaces this page (texts: i18n/zh-CN/backups.json and i18n/en/backups.json). */
export function BackupsPage() {
  return <CapabilityPlaceholder ns="backups" />;
}
