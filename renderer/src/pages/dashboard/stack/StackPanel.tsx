import { PauseCircleOutlined, PlayCircleOutlined, ReloadOutlined, RedoOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../../../api/api-context';
import { ApiErrorView } from '../../../components/error/ApiErrorView';
import { OperationProgress } from '../../../components/progress/OperationProgress';
import type { ApiError, StackServiceStatus, StackStatus } from '../../../contract';
import { StackLogViewer } from './StackLogViewer';

const healthColor = (h: string | null) => (h === 'healthy' ? 'success' : h === 'unhealthy' ? 'error' : h === 'starting' ? 'processing' : 'default');
const mib = (b: number | null) => (b === null ? '-' : `${Math.round(b / 1048576)} MiB`);

/**
 * The stack on the dashboard: each service's state, health, restart count, CPU, memory and
 * version; start / stop / restart as journaled operations; an unfinished operation (after
 * a crash) offered as resume or roll back; the log viewer.
 */
export function StackPanel(props: { stack?: string }) {
  const { t } = useTranslation('stack');
  const [params] = useSearchParams();
  // ?stack= picks another stack than the default one (a second installation, or tests).
  const stack = props.stack ?? params.get('stack') ?? 'medai';
  const api = useApi();
  const [status, setStatus] = useState<StackStatus | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [operationId, setOperationId] = useState<string | undefined>();

  const load = useCallback(async () => {
    const answer = await api.call('stack.status', { stack });
    if (answer.ok) {
      setStatus(answer.result);
      setError(undefined);
    } else setError(answer.error);
  }, [api, stack]);

  useEffect(() => {
    let live = true;
    const tick = () =>
      void api.call('stack.status', { stack }).then((answer) => {
        if (!live) return;
        if (answer.ok) setStatus(answer.result);
        else setError(answer.error);
      });
    tick();
    const timer = setInterval(tick, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, stack]);

  const run = async (params: { method: 'stack.lifecycle'; action: 'start' | 'stop' | 'restart' } | { method: 'stack.recover'; action: 'resume' | 'rollback' }) => {
    const answer = params.method === 'stack.lifecycle' ? await api.call('stack.lifecycle', { stack, action: params.action }) : await api.call('stack.recover', { stack, action: params.action });
    if (!answer.ok) return setError(answer.error);
    setOperationId(answer.result.operationId);
  };

  const columns = [
    { title: t('dashboard.service'), dataIndex: 'service', key: 'service', render: (s: string) => <Typography.Text code>{s}</Typography.Text> },
    { title: t('dashboard.state'), dataIndex: 'state', key: 'state' },
    { title: t('dashboard.health'), dataIndex: 'health', key: 'health', render: (h: string | null) => <Tag color={healthColor(h)}>{h ?? '-'}</Tag> },
    { title: t('dashboard.restarts'), dataIndex: 'restartCount', key: 'restarts' },
    { title: t('dashboard.cpu'), dataIndex: 'cpuPercent', key: 'cpu', render: (c: number | null) => (c === null ? '-' : `${c}%`) },
    { title: t('dashboard.memory'), dataIndex: 'memoryBytes', key: 'mem', render: mib },
    { title: 'v', dataIndex: 'version', key: 'version' },
  ];

  return (
    <Card
      title={t('dashboard.title', { stack })}
      data-testid="stack-panel"
      data-version={status?.version ?? ''}
      extra={
        status?.installed ? (
          <Space>
            <Typography.Text type="secondary">{t('dashboard.version', { version: status.version })}</Typography.Text>
            <Button icon={<PlayCircleOutlined />} onClick={() => void run({ method: 'stack.lifecycle', action: 'start' })} data-testid="stack-start">
              {t('dashboard.start')}
            </Button>
            <Button icon={<PauseCircleOutlined />} onClick={() => void run({ method: 'stack.lifecycle', action: 'stop' })} data-testid="stack-stop">
              {t('dashboard.stop')}
            </Button>
            <Button icon={<RedoOutlined />} onClick={() => void run({ method: 'stack.lifecycle', action: 'restart' })} data-testid="stack-restart">
              {t('dashboard.restart')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} data-testid="stack-refresh" />
          </Space>
        ) : null
      }
    >
      <Flex vertical gap={16}>
        {error ? <ApiErrorView error={error} /> : null}
        {status?.openOperation ? (
          <Alert
            type="warning"
            showIcon
            data-testid="stack-open-operation"
            title={t('dashboard.open', { kind: status.openOperation.kind, step: status.openOperation.lastStep ?? '-' })}
            action={
              <Space>
                <Button onClick={() => void run({ method: 'stack.recover', action: 'resume' })} data-testid="stack-recover-resume">
                  {t('dashboard.resume')}
                </Button>
                <Button danger onClick={() => void run({ method: 'stack.recover', action: 'rollback' })} data-testid="stack-recover-rollback">
                  {t('dashboard.rollback')}
                </Button>
              </Space>
            }
          />
        ) : null}
        {status && !status.installed && status.services.length === 0 ? <Typography.Text type="secondary">{t('dashboard.notInstalled')}</Typography.Text> : null}
        {status && status.services.length ? (
          <Table<StackServiceStatus>
            rowKey="service"
            size="small"
            pagination={false}
            columns={columns}
            dataSource={status.services}
            data-testid="stack-services"
            onRow={(r) => ({ 'data-testid': `stack-service-${r.service}`, 'data-health': r.health ?? '', 'data-state': r.state }) as React.HTMLAttributes<HTMLElement>}
          />
        ) : null}
        {operationId ? (
          <OperationProgress key={operationId} operationId={operationId} onFinished={() => void load()} />
        ) : null}
        {status?.services.length ? <StackLogViewer stack={stack} services={status.services.map((s) => s.service)} /> : null}
      </Flex>
    </Card>
  );
}
