import { KeyOutlined } from '@ant-design/icons';
import { Button, Empty, Flex } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../../api/api-context';
import { ApiErrorView } from '../../../components/error/ApiErrorView';
import type { ApiError } from '../../../contract';

/**
 * Where the request figures would be when the manager holds no working key for this
 * service: one button makes the manager create its own key in the service's container and
 * keep it in its data directory (never shown to anyone). Also offered when someone revoked
 * that key: enabling again replaces it.
 */
export function ManagedKeyPrompt({ container, refused, onEnabled }: { container: string; refused: ApiError | null | undefined; onEnabled: () => void }) {
  const { t } = useTranslation('service');
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const enable = async () => {
    setBusy(true);
    setError(undefined);
    const answer = await api.call('service.metricsKey.enable', { container });
    setBusy(false);
    if (answer.ok) onEnabled();
    else setError(answer.error);
  };

  return (
    <Flex vertical gap={12} data-testid="service-metrics-need-key">
      {refused ? (
        <div data-testid="service-key-refused">
          <ApiErrorView error={refused} />
        </div>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('panel.needKey')} style={{ margin: 0 }} />
      )}
      <Button type="primary" icon={<KeyOutlined />} loading={busy} onClick={() => void enable()} style={{ alignSelf: 'center' }} data-testid="service-metrics-enable">
        {t('panel.enableKey')}
      </Button>
      {error ? <ApiErrorView error={error} /> : null}
    </Flex>
  );
}
