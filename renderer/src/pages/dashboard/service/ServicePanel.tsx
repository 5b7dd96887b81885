import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Flex, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../../api/api-context';
import { ApiErrorView } from '../../../components/error/ApiErrorView';
import type { ApiError, ServiceStatus } from '../../../contract';
import { useServiceTarget } from '../../service-keys/service-target';
import { ManagedKeyPrompt } from './ManagedKeyPrompt';
import { requestRate, type CounterSample } from './request-rate';
import { ServiceDependencies } from './ServiceDependencies';

const POLL_MS = 5000;

type Loaded = { status: ServiceStatus; rate: number | null; at: Date } | { error: ApiError; at: Date };

const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);

/** A figure from /metrics; the value sits in its own element so tests read exactly it. */
function Figure({ title, value, testId }: { title: string; value: string; testId: string }) {
  return (
    <Col xs={12} md={8} xl={4}>
      <Statistic title={title} value={value} formatter={() => <span data-testid={testId}>{value}</span>} />
    </Col>
  );
}

/**
 * The inference service on the Dashboard (service.status): readiness per dependency, the
 * model and execution provider, and request figures from /metrics read with the key the
 * manager holds for the service's container (nobody pastes a key; the key never reaches
 * the page). Polls every few seconds; when the service cannot be reached it says why and
 * what to do instead of showing stale figures.
 */
export function ServicePanel() {
  const { t, i18n } = useTranslation(['service', 'common']);
  const api = useApi();
  const target = useServiceTarget();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [busy, setBusy] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [stopError, setStopError] = useState<ApiError | undefined>();
  const previous = useRef<CounterSample | undefined>(undefined);
  const polling = useRef(false);

  const poll = useCallback((): Promise<void> => {
    if (!target || polling.current) return Promise.resolve(); // one poll at a time: the rate needs its samples in order
    polling.current = true;
    return api.call('service.status', { url: target.url, container: target.container }).then((answer) => {
      const at = new Date();
      if (answer.ok) {
        const m = answer.result.metrics;
        const sample = m ? { requestsTotal: m.requestsTotal, atMs: at.getTime() } : undefined;
        const rate = sample ? requestRate(previous.current, sample) : null;
        previous.current = sample;
        setLoaded({ status: answer.result, rate, at });
      } else {
        previous.current = undefined;
        setLoaded({ error: answer.error, at });
      }
      polling.current = false;
    });
  }, [api, target]);

  const refresh = async () => {
    setBusy(true);
    await poll();
    setBusy(false);
  };

  useEffect(() => {
    previous.current = undefined;
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  const keyChanged = () => {
    previous.current = undefined;
    void refresh();
  };

  /** Revokes the manager's key and deletes it; the figures make way for the prompt again. */
  const stopReading = async () => {
    if (!target) return;
    setStopping(true);
    const answer = await api.call('service.metricsKey.disable', { container: target.container });
    setStopping(false);
    setStopError(answer.ok ? undefined : answer.error);
    if (answer.ok) keyChanged();
  };

  const status = loaded && 'status' in loaded ? loaded.status : undefined;
  const m = status?.metrics;
  const state = !loaded ? 'loading' : 'error' in loaded ? 'unreachable' : loaded.status.ready ? 'ready' : 'not-ready';

  return (
    <Card
      title={t('panel.title')}
      data-testid="service-panel"
      data-state={state}
      extra={
        <Flex align="center" gap={12}>
          {target ? (
            <Typography.Text type="secondary" code data-testid="service-url">
              {target.url}
            </Typography.Text>
          ) : null}
          {loaded ? (
            <Typography.Text type="secondary" data-testid="service-checked-at">
              {t('dashboard:checkedAt', { time: loaded.at.toLocaleTimeString(i18n.language) })}
            </Typography.Text>
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={() => void refresh()} loading={busy} data-testid="service-refresh">
            {t('common:actions.refresh')}
          </Button>
        </Flex>
      }
    >
      {!loaded ? (
        <Skeleton active aria-label={t('panel.loading')} />
      ) : 'error' in loaded ? (
        <Flex vertical gap={12} data-testid="service-unreachable">
          <Tag color="error" style={{ alignSelf: 'flex-start' }}>
            {t('panel.unreachable')}
          </Tag>
          <ApiErrorView error={loaded.error} />
        </Flex>
      ) : status ? (
        <Flex vertical gap={20}>
          <Flex align="center" gap={8}>
            <Tag color={status.ready ? 'success' : 'error'} data-testid="service-ready">
              {status.ready ? t('panel.ready') : t('panel.notReady')}
            </Tag>
            {status.version ? <Typography.Text type="secondary">{t('panel.version', { version: status.version })}</Typography.Text> : null}
          </Flex>
          <ServiceDependencies status={status} />
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              {
                key: 'model',
                label: t('panel.model'),
                children: status.model ? (
                  <span data-testid="service-model">{t('panel.modelValue', { name: status.model.name, dimension: status.model.dimension })}</span>
                ) : (
                  <span data-testid="service-model">-</span>
                ),
              },
              {
                key: 'provider',
                label: t('panel.provider'),
                children: (
                  <Space wrap>
                    <Tag color={status.model?.provider === 'cuda' ? 'green' : 'blue'} data-testid="service-provider">
                      {status.model?.provider ?? '-'}
                    </Tag>
                    {status.model?.providerNote ? (
                      <Typography.Text type="secondary" data-testid="service-provider-note">
                        {status.model.providerNote}
                      </Typography.Text>
                    ) : null}
                  </Space>
                ),
              },
            ]}
          />
          {m ? (
            <Flex vertical gap={8} data-testid="service-metrics">
              <Row gutter={[24, 16]}>
                <Figure title={t('panel.rate')} testId="service-rate" value={loaded.rate === null ? '-' : t('panel.rateValue', { rate: loaded.rate.toFixed(2) })} />
                <Figure title={t('panel.requests')} testId="service-requests" value={String(m.requestsTotal)} />
                <Figure title={t('panel.p50')} testId="service-p50" value={ms(m.latencyP50Ms)} />
                <Figure title={t('panel.p99')} testId="service-p99" value={ms(m.latencyP99Ms)} />
                <Figure title={t('panel.mean')} testId="service-mean" value={ms(m.latencyMeanMs)} />
                <Figure title={t('panel.errors')} testId="service-errors" value={`${m.errorsTotal} / ${m.rejectedTotal}`} />
              </Row>
              <Flex align="baseline" gap={8} wrap>
                <Typography.Text type="secondary">{t('panel.metricsNote')}</Typography.Text>
                {status.managedMetricsKey ? (
                  <Button type="link" size="small" loading={stopping} onClick={() => void stopReading()} data-testid="service-metrics-disable">
                    {t('panel.disableKey')}
                  </Button>
                ) : null}
              </Flex>
              {stopError ? <ApiErrorView error={stopError} /> : null}
            </Flex>
          ) : target ? (
            <ManagedKeyPrompt container={target.container} refused={status.metricsError} onEnabled={keyChanged} />
          ) : null}
        </Flex>
      ) : null}
    </Card>
  );
}
