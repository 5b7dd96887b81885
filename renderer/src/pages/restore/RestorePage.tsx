import { Alert, Button, Card, Checkbox, Flex, Input, Radio, Select, Steps, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import { ProgressCard } from '../../components/progress/ProgressCard';
import type { OperationView } from '../../components/progress/operation-view';
import { RestoreReport, type ApiError, type BackupComponentName, type BackupSet, type BackupTarget } from '../../contract';

const RESTORABLE: BackupComponentName[] = ['postgres', 'redis'];

/**
 * Restore wizard: snapshot (good sets only) → components → in place or drill → confirm by
 * typing the stack name (in place only) → progress → the report comparing restored row
 * counts and checksums with the snapshot's manifest.
 */
export function RestorePage() {
  const { t } = useTranslation(['restore', 'progress']);
  const api = useApi();
  const [targets, setTargets] = useState<BackupTarget[]>([]);
  const [target, setTarget] = useState<string | undefined>();
  const [sets, setSets] = useState<BackupSet[]>([]);
  const [setId, setSetId] = useState<string | undefined>();
  const [components, setComponents] = useState<BackupComponentName[]>(RESTORABLE);
  const [mode, setMode] = useState<'drill' | 'in-place'>('drill');
  const [stackName, setStackName] = useState('');
  const [typed, setTyped] = useState('');
  const [operationId, setOperationId] = useState<string | undefined>();
  const [report, setReport] = useState<RestoreReport | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    let live = true;
    void Promise.all([api.call('backup.targets.list', {}), api.call('backup.stack.get', {})]).then(([tl, st]) => {
      if (!live) return;
      if (tl.ok) {
        setTargets(tl.result);
        setTarget((x) => x ?? tl.result[0]?.id);
      }
      if (st.ok) setStackName(st.result.project);
    });
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    if (!target) return;
    let live = true;
    void api.call('backup.snapshots.list', { targetId: target }).then((r) => {
      if (!live) return;
      if (r.ok) setSets(r.result.filter((s) => s.status === 'good'));
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, target]);

  const step = report ? 4 : operationId ? 3 : setId ? (components.length ? 2 : 1) : 0;
  const canStart = !!target && !!setId && components.length > 0 && (mode === 'drill' || typed === stackName);

  const start = async () => {
    if (!target || !setId) return;
    setReport(undefined);
    const r = await api.call('backup.restore', { targetId: target, setId, components, mode, ...(mode === 'in-place' ? { confirm: typed } : {}) });
    if (r.ok) setOperationId(r.result.operationId);
    setError(r.ok ? undefined : r.error);
  };
  const onFinished = (view: OperationView) => {
    const parsed = RestoreReport.safeParse(view.result);
    if (view.phase === 'succeeded' && parsed.success) setReport(parsed.data);
  };

  return (
    <Flex vertical gap={16}>
      <Steps current={step} items={['snapshot', 'components', 'mode', 'progress', 'report'].map((k) => ({ title: t(`steps.${k}`) }))} />
      {error ? <ApiErrorView error={error} /> : null}
      <Card title={t('steps.snapshot')}>
        <Flex gap={12} align="center" style={{ marginBottom: 12 }}>
          <Select value={target} onChange={(v: string) => (setTarget(v), setSetId(undefined))} options={targets.map((x) => ({ value: x.id, label: x.id }))} style={{ minWidth: 160 }} />
        </Flex>
        <Radio.Group value={setId} onChange={(e) => setSetId(e.target.value as string)} data-testid="restore-sets">
          <Flex vertical gap={6}>
            {sets.length === 0 ? <Typography.Text type="secondary">{t('noSets')}</Typography.Text> : null}
            {sets.map((s) => (
              <Radio key={s.setId} value={s.setId} data-testid={`restore-set-${s.setId}`}>
                {new Date(s.time).toLocaleString()} <Tag>{s.schedule ?? s.trigger}</Tag> {s.bases?.length ? <Tag color="blue">{t('differential')}</Tag> : null} <Typography.Text type="secondary">{s.components.join(', ')}</Typography.Text>
              </Radio>
            ))}
          </Flex>
        </Radio.Group>
      </Card>
      <Card title={`${t('steps.components')} · ${t('steps.mode')}`}>
        <Flex vertical gap={12}>
          <Checkbox.Group value={components} onChange={(v) => setComponents(v as BackupComponentName[])} options={RESTORABLE.map((c) => ({ value: c, label: c }))} />
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'drill' | 'in-place')}>
            <Radio value="drill" data-testid="restore-mode-drill">
              {t('drill')}
            </Radio>
            <Radio value="in-place" data-testid="restore-mode-in-place">
              {t('inPlace')}
            </Radio>
          </Radio.Group>
          {mode === 'in-place' ? (
            <>
              <Alert type="warning" showIcon title={t('inPlaceWarning', { stack: stackName })} />
              <Input data-testid="restore-confirm" placeholder={stackName} value={typed} onChange={(e) => setTyped(e.target.value)} style={{ maxWidth: 320 }} />
            </>
          ) : (
            <Typography.Text type="secondary">{t('drillHint')}</Typography.Text>
          )}
          <Button type="primary" danger={mode === 'in-place'} disabled={!canStart || (!!operationId && !report)} data-testid="restore-start" onClick={() => void start()}>
            {mode === 'in-place' ? t('startInPlace') : t('startDrill')}
          </Button>
        </Flex>
      </Card>
      <ProgressCard operationId={operationId} onFinished={onFinished} />
      {report ? (
        <Card title={t('steps.report')} data-testid="restore-report" data-passed={String(report.passed)}>
          <Alert type={report.passed ? 'success' : 'error'} showIcon title={report.passed ? t('passed', { seconds: (report.durationMs / 1000).toFixed(1) }) : t('failed')} style={{ marginBottom: 12 }} />
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => r.item}
            dataSource={report.components.flatMap((c) => c.checks)}
            columns={[
              { title: t('item'), dataIndex: 'item' },
              { title: t('expected'), dataIndex: 'expected' },
              { title: t('actual'), dataIndex: 'actual' },
              { title: '', dataIndex: 'ok', render: (ok: boolean) => <Tag color={ok ? 'green' : 'red'}>{ok ? '✓' : '✗'}</Tag> },
            ]}
          />
        </Card>
      ) : null}
    </Flex>
  );
}
