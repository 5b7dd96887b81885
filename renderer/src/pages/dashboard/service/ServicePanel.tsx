import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Input, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useApi } from '../../../api/api-context';
import { ApiErrorView } from '../../../components/error/ApiErrorView';
import type { ApiClient, ApiError, CallEnvelope, ServiceStatus } from '../../../contract';
import { forgetMetricsKey, readMetricsKey, saveMetricsKey } from '../../service-keys/metrics-key';
import { useServiceTarget } from '../../service-keys/service-target';
import { requestRate, type CounterSample } from './request-rate';
import { ServiceDependencies } from './ServiceDependencies';

const POLL_MS = 5000;

type Loaded = { status: ServiceStatus; rate: number | null; at: Date } | { error: ApiError; at: Date };

const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);

/**
 * service.status with this tab's metrics key. A revoked or mistyped key must not hide
 * readiness: the key is forgotten and the service asked again without it.
 */
async function askService(api: ApiClient, url: string): Promise<{ answer: CallEnvelope<ServiceStatus>; keyRefused: boolean }> {
  const apiKey = readMetricsKey();
  const answer = await api.call('service.status', { url, ...(apiKey ? { apiKey } : {}) });
  if (answer.ok || answer.error.code !== 'SERVICE_KEY_REJECTED') return { answer, keyRefused: false };
  forgetMetricsKey();
  return { answer: await api.call('service.status', { url }), keyRefused: true };
}

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
 * model and execution provider, and request figures from /metrics when this tab holds an
 * API key. Polls every few seconds; when the service cannot be reached it says why and what
 * to do instead of showing stale figures.
 */
export function ServicePanel() {
  const { t, i18n } = useTranslation(['service', 'common']);
  const api = useApi();
  const target = useServiceTarget();
  const { search } = useLocation();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [busy, setBusy] = useState(false);
  const [keyRefused, setKeyRefused] = useState(false);
  const [keyInput, setKeyInput] = useState('');
  const previous = useRef<CounterSample | undefined>(undefined);
  const polling = useRef(false);

  const poll = useCallback((): Promise<void> => {
    if (!target || polling.current) return Promise.resolve(); // one poll at a time: the rate needs its samples in order
    polling.current = true;
    return askService(api, target.url).then(({ answer, keyRefused: refused }) => {
      if (refused) setKeyRefused(true);
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

  const applyKey = () => {
    saveMetricsKey(keyInput.trim());
    setKeyInput('');
    setKeyRefused(false);
    previous.current = undefined;
    void refresh();
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
          {keyRefused ? <Alert type="warning" showIcon data-testid="service-key-refused" title={t('panel.keyRefused')} /> : null}
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
              <Typography.Text type="secondary">{t('panel.metricsNote')}</Typography.Text>
            </Flex>
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              data-testid="service-metrics-need-key"
              description={
                <Flex vertical gap={8} align="center">
                  <span>
                    {t('panel.needKey')} <Link to={`/service-keys${search}`}>{t('panel.keysPage')}</Link>
                  </span>
                  <Space.Compact>
                    <Input.Password
                      value={keyInput}
                      onChange={(e) => setKeyInput(e.target.value)}
                      placeholder="mk_…"
                      autoComplete="off"
                      style={{ width: 320 }}
                      data-testid="service-metrics-key"
                    />
                    <Button type="primary" disabled={!keyInput.trim()} onClick={applyKey} data-testid="service-metrics-key-use">
                      {t('panel.useKey')}
                    </Button>
                  </Space.Compact>
                </Flex>
              }
            />
          )}
        </Flex>
      ) : null}
    </Card>
  );
}
