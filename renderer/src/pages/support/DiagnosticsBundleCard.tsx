import { DownloadOutlined, FileZipOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useFace } from '../../api/api-context';
import { ErrorBlock } from '../../components/error/ApiErrorView';
import type { OperationView } from '../../components/progress/operation-view';
import { OperationProgress } from '../../components/progress/OperationProgress';
import { formatBytes } from '../../components/progress/progress-format';
import { SUPPORT_BUNDLE_DOWNLOAD_PATH, type ApiError, type DiagnosticsBundleResult } from '../../contract';

/**
 * Collects the diagnostics bundle (secrets redacted) with its progress, then hands it over:
 * a download through the web console, the file's path in the desktop app (same machine).
 */
export function DiagnosticsBundleCard() {
  const { t } = useTranslation('support');
  const api = useApi();
  const face = useFace();
  const [operationId, setOperationId] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [result, setResult] = useState<DiagnosticsBundleResult>();

  const run = async () => {
    setStarting(true);
    setResult(undefined);
    const answer = await api.call('diagnostics.bundle', {});
    setStarting(false);
    setError(answer.ok ? undefined : answer.error);
    if (answer.ok) setOperationId(answer.result.operationId);
  };

  const onFinished = useCallback((view: OperationView) => {
    if (view.phase === 'succeeded') setResult(view.result as DiagnosticsBundleResult);
  }, []);
  const running = operationId !== undefined && result === undefined && !error;

  return (
    <Card title={t('diagnosticsBundle.title')} data-testid="diag-bundle-card">
      <Typography.Paragraph type="secondary">{t('diagnosticsBundle.description')}</Typography.Paragraph>
      <Button type="primary" icon={<FileZipOutlined />} loading={starting} onClick={() => void run()} data-testid="diag-bundle-run">
        {t('diagnosticsBundle.run')}
      </Button>
      <ErrorBlock error={error} />
      {operationId && (
        <div style={{ marginTop: 16 }} data-testid="diag-bundle-progress">
          <OperationProgress key={operationId} operationId={operationId} onFinished={onFinished} />
        </div>
      )}
      {result && !running && (
        <Alert
          style={{ marginTop: 16 }}
          type="success"
          showIcon
          data-testid="diag-bundle-ready"
          title={t('diagnosticsBundle.ready', { size: formatBytes(result.bytes) })}
          description={
            <Flex vertical gap={8}>
              <Typography.Text code copyable data-testid="diag-bundle-path">
                {result.file}
              </Typography.Text>
              <Typography.Text type="secondary">{t('diagnosticsBundle.redacted', { names: result.redacted.join(', ') || '-' })}</Typography.Text>
              {result.missing.length > 0 && <Typography.Text type="warning">{t('diagnosticsBundle.missing', { parts: result.missing.join(', ') })}</Typography.Text>}
              {face === 'web' ? (
                <Button icon={<DownloadOutlined />} href={`${SUPPORT_BUNDLE_DOWNLOAD_PATH}${encodeURIComponent(result.fileName)}`} download={result.fileName} data-testid="diag-bundle-download">
                  {t('diagnosticsBundle.download')}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t('diagnosticsBundle.desktopHint')}</Typography.Text>
              )}
            </Flex>
          }
        />
      )}
    </Card>
  );
}
