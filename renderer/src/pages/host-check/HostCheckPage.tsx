import { CapabilityPlaceholder } from '../../components/placeholder/CapabilityPlaceholder';

/** Placeholder until its capability replaces this page (texts: i18n/zh-CN/host-check.json and i18n/en/host-check.json). */
export function HostCheckPage() {
  return <CapabilityPlaceholder ns="host-check" />;
}
