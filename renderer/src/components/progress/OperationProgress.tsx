import { CheckCircleFilled, LoadingOutlined } from '@ant-design/icons';
import { Alert, Flex, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { asLanguage } from '../../i18n/language';
import { ApiErrorView } from '../error/ApiErrorView';
import { LogPanel } from './LogPanel';
import { viewByteRate, viewEta, type OperationView } from './operation-view';
import { formatBytes, formatDuration } from './progress-format';
import { useOperation } from './use-operation';

/**
 * Any long operation's progress: localized step label and "step i of n", the percent bar,
 * bytes and rate, time left, the streaming log, and the outcome. Give it `key={operationId}`
 * so a new id starts a fresh view.
 */
export function OperationProgress({ operationId, onFinished }: { operationId: string; onFinished?: (view: OperationView) => void }) {
  const { t, i18n } = useTranslation(['progress', 'common']);
  const language = asLanguage(i18n.language);
  const view = useOperation(operationId);
  const eta = viewEta(view);
  const rate = viewByteRate(view);

  const reported = useRef(false);
  useEffect(() => {
    if (reported.current || (view.phase !== 'succeeded' && view.phase !== 'failed' && view.phase !== 'interrupted')) return;
    reported.current = true;
    onFinished?.(view);
  }, [view, onFinished]);

  const status = view.phase === 'succeeded' ? 'success' : view.phase === 'failed' || view.phase === 'interrupted' ? 'exception' : 'active';
  const elapsed = view.firstAt !== undefined && view.lastAt !== undefined ? (view.lastAt - view.firstAt) / 1000 : undefined;

  return (
    <Flex vertical gap={16} data-testid="operation-progress" data-phase={view.phase} data-operation-id={operationId}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space size="middle" wrap>
          {view.phase === 'running' || view.phase === 'waiting' ? (
            <Tag icon={<LoadingOutlined />} color="processing">
              {view.phase === 'waiting' ? t('waiting') : t('running')}
            </Tag>
          ) : null}
          <Typography.Text strong data-testid="progress-step-label">
            {view.step ? view.step.label[language] : ''}
          </Typography.Text>
          {view.step ? (
            <Typography.Text type="secondary" data-testid="progress-step-count">
              {t('step', { index: view.step.index + 1, count: view.step.count })}
            </Typography.Text>
          ) : null}
        </Space>
        <Typography.Text type="secondary" copyable={{ text: operationId }} style={{ fontSize: 12 }}>
          {t('operation', { id: operationId })}
        </Typography.Text>
      </Flex>

      <Progress
        percent={view.percent}
        status={status}
        format={(p) => <span data-testid="progress-percent">{p}%</span>}
        aria-label={t('title')}
      />

      <Flex gap={24} wrap>
        {view.bytesTotal !== undefined ? (
          <Typography.Text data-testid="progress-bytes">
            {t('bytes', { done: formatBytes(view.bytesDone ?? 0), total: formatBytes(view.bytesTotal) })}
            {rate !== undefined ? ` · ${t('rate', { rate: formatBytes(rate) })}` : ''}
          </Typography.Text>
        ) : null}
        {view.phase === 'running' ? (
          <Typography.Text type="secondary" data-testid="progress-eta">
            {eta !== undefined ? t('eta', { eta: formatDuration(eta, language) }) : t('etaUnknown')}
          </Typography.Text>
        ) : null}
      </Flex>

      <LogPanel lines={view.logs} dropped={view.logsDropped} />

      {view.phase === 'succeeded' ? (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleFilled />}
          data-testid="progress-succeeded"
          title={t('succeeded')}
          description={elapsed !== undefined ? t('elapsed', { time: formatDuration(elapsed, language) }) : undefined}
        />
      ) : null}
      {view.phase === 'failed' && view.error ? (
        <div data-testid="progress-failed">
          <ApiErrorView error={view.error} title={t('failed')} />
        </div>
      ) : null}
      {view.phase === 'interrupted' ? <Alert type="warning" showIcon data-testid="progress-interrupted" title={t('interrupted')} /> : null}
    </Flex>
  );
}
