import { CapabilityPlaceholder } from '../../components/placeholder/CapabilityPlaceholder';

/** Placeholder until its capability replaces this page (texts: i18n/zh-CN/install.json and i18n/en/install.json). */
export function InstallPage() {
  return <CapabilityPlaceholder ns="install" />;
}
