import { Collapse } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BundleStep } from '../install/bundle/BundleStep';
import { UpgradeFlow } from './stack/UpgradeFlow';

/**
 * Upgrade: first import the new offline bundle (the same step as the Install wizard), or
 * pick one imported earlier; then the plan, the upgrade with a safety backup and automatic rollback.
 */
export function UpgradePage() {
  const { t } = useTranslation('stack');
  const [imported, setImported] = useState<string | undefined>();
  return (
    <>
      <Collapse
        style={{ marginBottom: 16 }}
        defaultActiveKey={['bundle']}
        items={[{ key: 'bundle', label: t('upgrade.importStep'), children: <BundleStep onImported={(r) => setImported(r.bundleVersion)} /> }]}
        data-testid="upgrade-bundle-step"
      />
      {/* Remounted after an import so the new bundle is listed and chosen. */}
      <UpgradeFlow key={imported ?? 'none'} initialVersion={imported} />
    </>
  );
}
