import { CapabilityPlaceholder } from '../../components/placeholder/CapabilityPlaceholder';

/** Placeholder until its capability replaces this page (texts: i18n/zh-CN/restore.json and i18n/en/restore.json). */
export function RestorePage() {
  return <CapabilityPlaceholder ns="restore" />;
}
