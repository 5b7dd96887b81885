import { CapabilityPlaceholder } from '../../components/placeholder/CapabilityPlaceholder';

/** Placeholder until its capability replaces this page (texts: i18n/zh-CN/rollback.json and i18n/en/rollback.json). */
export function RollbackPage() {
  return <CapabilityPlaceholder ns="rollback" />;
}
