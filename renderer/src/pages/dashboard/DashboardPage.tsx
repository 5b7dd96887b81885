import { CheckCircleTwoTone, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Flex, Row, Skeleton, Statistic, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import type { ApiError, EngineStatus } from '../../contract';
import { BackupBanner } from './backup/BackupBanner';
import { BackupSummaryCard } from './backup/BackupSummaryCard';
import { ServicePanel } from './service/ServicePanel';
import { StackPanel } from './stack/StackPanel';

/** A headline figure; the value sits in its own element so tests read exactly it. */
function Stat({ title, value, testId }: { title: string; value: string; testId: string }) {
  return (
    <Col xs={12} md={6}>
      <Statistic title={title} value={value} formatter={() => <span data-testid={testId}>{value}</span>} />
    </Col>
  );
}

type Loaded = { status: EngineStatus; at: Date } | { error: ApiError; at: Date };

/** The Docker engine as the manager sees it (engine.status), or why it cannot see it. */
export function DashboardPage() {
  const { t, i18n } = useTranslation(['dashboard', 'common']);
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [busy, setBusy] = useState(true);

  const refresh = useCallback(async () => {
    setBusy(true);
    const answer = await api.call('engine.status', {});
    setLoaded(answer.ok ? { status: answer.result, at: new Date() } : { error: answer.error, at: new Date() });
    setBusy(false);
  }, [api]);

  useEffect(() => {
    let live = true;
    void api.call('engine.status', {}).then((answer) => {
      if (!live) return;
      setLoaded(answer.ok ? { status: answer.result, at: new Date() } : { error: answer.error, at: new Date() });
      setBusy(false);
    });
    return () => {
      live = false;
    };
  }, [api]);

  const status = loaded && 'status' in loaded ? loaded.status : undefined;
  return (
    <Flex vertical gap={16}>
    <BackupBanner />
    <Card
      title={t('engine.title')}
      data-testid="engine-card"
      extra={
        <Flex align="center" gap={12}>
          {loaded ? (
            <Typography.Text type="secondary" data-testid="engine-checked-at">
              {t('checkedAt', { time: loaded.at.toLocaleTimeString(i18n.language) })}
            </Typography.Text>
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={() => void refresh()} loading={busy} data-testid="dashboard-refresh">
            {t('common:actions.refresh')}
          </Button>
        </Flex>
      }
    >
      {!loaded ? (
        <Skeleton active aria-label={t('engine.loading')} />
      ) : 'error' in loaded ? (
        <ApiErrorView error={loaded.error} />
      ) : status ? (
        <>
          <Flex align="center" gap={8} style={{ marginBottom: 20 }} data-testid="engine-healthy">
            <CheckCircleTwoTone twoToneColor="#52c41a" />
            <Typography.Text>{t('engine.healthy')}</Typography.Text>
          </Flex>
          <Row gutter={[24, 16]} style={{ marginBottom: 24 }}>
            <Stat title={t('engine.version')} testId="engine-version" value={status.serverVersion} />
            <Stat title={t('engine.apiVersion')} testId="engine-api-version" value={status.apiVersion} />
            <Stat title={t('engine.storageDriver')} testId="engine-storage-driver" value={status.storageDriver} />
            <Stat title={t('engine.containers')} testId="engine-containers" value={`${status.containersRunning} / ${status.containersTotal}`} />
          </Row>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'socket', label: t('engine.socket'), children: <Typography.Text code data-testid="engine-socket">{status.socket}</Typography.Text> },
              { key: 'os', label: t('engine.os'), children: <span data-testid="engine-os">{status.operatingSystem}</span> },
              { key: 'kernel', label: t('engine.kernel'), children: <span data-testid="engine-kernel">{status.kernelVersion}</span> },
            ]}
          />
        </>
      ) : null}
    </Card>
    <StackPanel />
    <ServicePanel />
    <BackupSummaryCard />
    </Flex>
  );
}
