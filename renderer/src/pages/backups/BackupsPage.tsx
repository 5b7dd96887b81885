import { CloudUploadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import { OperationProgress } from '../../components/progress/OperationProgress';
import type { ApiError, BackupSet, BackupStatus, BackupTarget, ConnectionTest, RetentionPreview } from '../../contract';
import { AddTargetForm } from './AddTargetForm';
import { SchedulesCard } from './SchedulesCard';

const size = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`);

/**
 * Backups: per-target status (last good, next run, last drill, a banner when the newest
 * good backup is older than its schedule allows), targets with test connection, run now
 * with progress, the snapshot timeline with sizes and durations, and a preview of what the
 * keep rules would delete before anything is deleted.
 */
export function BackupsPage() {
  const { t } = useTranslation(['backups', 'progress']);
  const api = useApi();
  const [targets, setTargets] = useState<BackupTarget[]>([]);
  const [status, setStatus] = useState<BackupStatus | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [sets, setSets] = useState<BackupSet[] | undefined>();
  const [preview, setPreview] = useState<RetentionPreview | undefined>();
  const [tests, setTests] = useState<Record<string, ConnectionTest>>({});
  const [operationId, setOperationId] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    void Promise.all([api.call('backup.targets.list', {}), api.call('backup.status', {})]).then(([tl, st]) => {
      if (!live) return;
      if (tl.ok) {
        setTargets(tl.result);
        setSelected((s) => s ?? tl.result[0]?.id);
      } else setError(tl.error);
      if (st.ok) setStatus(st.result);
    });
    return () => {
      live = false;
    };
  }, [api, reload]);

  useEffect(() => {
    if (!selected) return;
    let live = true;
    void api.call('backup.snapshots.list', { targetId: selected }).then((r) => {
      if (!live) return;
      if (r.ok) setSets(r.result);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, selected, reload]);

  const testConnection = async (id: string) => {
    const r = await api.call('backup.targets.test', { targetId: id });
    if (r.ok) setTests((m) => ({ ...m, [id]: r.result }));
    else setError(r.error);
  };
  const runNow = async () => {
    if (!selected) return;
    const r = await api.call('backup.run', { targetId: selected, profile: 'online' });
    if (r.ok) setOperationId(r.result.operationId);
    else setError(r.error);
  };
  const showPreview = async () => {
    if (!selected) return;
    const r = await api.call('backup.retention.preview', { targetId: selected });
    if (r.ok) setPreview(r.result);
    else setError(r.error);
  };
  const onFinished = useCallback(() => setReload((n) => n + 1), []);

  const stale = status?.targets.filter((s) => s.stale) ?? [];
  return (
    <Flex vertical gap={16}>
      {stale.map((s) => (
        <Alert key={s.targetId} type="error" showIcon data-testid="backups-stale" title={t('stale', { target: s.targetId, time: s.lastGood?.time ?? t('never') })} />
      ))}
      {error ? <ApiErrorView error={error} /> : null}

      <Card title={t('targets')} extra={<AddTargetForm onAdded={() => setReload((n) => n + 1)} />}>
        <Table
          data-testid="backups-targets"
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={targets}
          locale={{ emptyText: t('noTargets') }}
          columns={[
            { title: t('target'), dataIndex: 'id', render: (id: string) => <span data-testid={`backups-target-${id}`}>{id}</span> },
            { title: t('kind'), render: (_, r) => r.location.kind },
            {
              title: t('lastGood'),
              render: (_, r) => {
                const s = status?.targets.find((x) => x.targetId === r.id);
                return s?.lastGood ? new Date(s.lastGood.time).toLocaleString() : t('never');
              },
            },
            { title: t('nextRun'), render: (_, r) => status?.targets.find((x) => x.targetId === r.id)?.nextRun?.at.replace('T', ' ').slice(0, 16) ?? '—' },
            {
              title: t('lastDrill'),
              render: (_, r) => {
                const d = status?.targets.find((x) => x.targetId === r.id)?.lastDrill;
                return d ? <Tag color={d.passed ? 'green' : 'red'}>{d.passed ? t('passed') : t('failed')}</Tag> : '—';
              },
            },
            {
              title: t('connection'),
              render: (_, r) => (
                <Space>
                  <Button size="small" data-testid={`backups-test-${r.id}`} onClick={() => void testConnection(r.id)}>
                    {t('test')}
                  </Button>
                  {tests[r.id] ? (
                    <span data-testid={`backups-test-result-${r.id}`}>
                      {tests[r.id]!.ok ? <Tag color="green">{t(`repo.${tests[r.id]!.repository}`)}</Tag> : <Tag color="red">{tests[r.id]!.error?.code}</Tag>}
                    </span>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      {selected ? <SchedulesCard key={selected} targetId={selected} onSaved={() => setReload((n) => n + 1)} /> : null}

      <Card
        title={
          <Space>
            {t('snapshots')}
            <Select size="small" value={selected} onChange={(v: string) => (setSelected(v), setPreview(undefined))} options={targets.map((x) => ({ value: x.id, label: x.id }))} style={{ minWidth: 160 }} />
          </Space>
        }
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)} />
            <Button data-testid="backups-preview" disabled={!selected} onClick={() => void showPreview()}>
              {t('preview')}
            </Button>
            <Button type="primary" icon={<CloudUploadOutlined />} data-testid="backups-run" disabled={!selected || !!operationId} onClick={() => void runNow()}>
              {t('runNow')}
            </Button>
          </Space>
        }
      >
        {operationId ? (
          <OperationProgress
            key={operationId}
            operationId={operationId}
            onFinished={() => {
              setOperationId(undefined);
              onFinished();
            }}
          />
        ) : null}
        {sets && sets.length === 0 ? <Typography.Text type="secondary">{t('noSnapshots')}</Typography.Text> : null}
        <Timeline
          data-testid="backups-timeline"
          items={(sets ?? []).map((s) => ({
            color: s.status === 'good' ? 'green' : 'red',
            content: (
              <div data-testid={`backups-set-${s.setId}`} data-status={s.status}>
                <Typography.Text strong>{new Date(s.time).toLocaleString()}</Typography.Text> <Tag color={s.status === 'good' ? 'green' : 'red'}>{t(s.status)}</Tag>
                <Tag>{s.schedule ?? t(`trigger.${s.trigger}`, { defaultValue: s.trigger })}</Tag>
                {s.bases?.length ? <Tag color="blue">{t('differential')}</Tag> : null}
                <Typography.Text type="secondary">
                  {s.components.join(', ')}
                  {s.manifest ? ` · ${size(s.manifest.totalBytes)} · +${size(s.manifest.addedBytes)} · ${(s.manifest.durationMs / 1000).toFixed(1)} s` : ''}
                </Typography.Text>
              </div>
            ),
          }))}
        />
        {preview ? (
          <div data-testid="backups-preview-result">
            <Typography.Title level={5}>{t('previewTitle', { keep: preview.keep.length, remove: preview.remove.length })}</Typography.Title>
            {preview.remove.map((r) => (
              <div key={r.setId}>
                <Tag color="red">{t('willDelete')}</Tag> {r.time} {r.setId}
              </div>
            ))}
            {preview.keep.map((k) => (
              <div key={k.setId}>
                <Tag color="green">{t('willKeep')}</Tag> {k.time} {k.setId} <Typography.Text type="secondary">{k.reasons.join(', ')}</Typography.Text>
              </div>
            ))}
          </div>
        ) : null}
      </Card>
    </Flex>
  );
}
