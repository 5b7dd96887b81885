import { Card, Flex, Steps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundleImportResult } from '../../contract';
import { BundleStep } from './bundle/BundleStep';
import { StackInstallSteps } from './stack/StackInstallSteps';

/**
 * The Install wizard. Its first step, the offline bundle, is here; the steps after it
 * (environment, secrets, start and readiness) arrive with the stack capability and say so.
 */
export function InstallPage() {
  const { t } = useTranslation('install');
  const [imported, setImported] = useState<BundleImportResult | undefined>();
  return (
    <Flex vertical gap={16}>
      <Card>
        <Steps
          current={imported ? 1 : 0}
          data-testid="install-steps"
          items={[{ title: t('steps.bundle') }, { title: t('steps.configure') }, { title: t('steps.start') }]}
        />
      </Card>
      <BundleStep onImported={setImported} />
      <StackInstallSteps importedVersion={imported?.bundleVersion} />
    </Flex>
  );
}
