import { CloudUploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Result, Select, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../../../api/api-context';
import { ErrorBlock } from '../../../components/error/ApiErrorView';
import { OperationProgress } from '../../../components/progress/OperationProgress';
import type { OperationView } from '../../../components/progress/operation-view';
import { asLanguage } from '../../../i18n/language';
import type { ApiError, ImportedBundle, StackPlan, StackServiceChange, StackStatus, StackUpgradeResult } from '../../../contract';

interface RollbackReport {
  failedStep: string;
  rolledBackTo: string;
  databaseRestored: boolean;
}

/**
 * Upgrade: choose an imported bundle → release notes and the plan (what changes) → the
 * safety backup and replacement with live progress → the result; an automatic rollback is
 * explained in plain words. The operation id is kept in the URL (?op=) for reloads.
 */
export function UpgradeFlow({ initialVersion }: { initialVersion?: string } = {}) {
  const { t, i18n } = useTranslation('stack');
  const language = asLanguage(i18n.language);
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const stack = params.get('stack') ?? 'medai';
  const operationId = params.get('op') ?? undefined;
  const [status, setStatus] = useState<StackStatus | undefined>();
  const [bundles, setBundles] = useState<ImportedBundle[]>([]);
  const [target, setTarget] = useState<string | undefined>();
  const [plan, setPlan] = useState<StackPlan | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [outcome, setOutcome] = useState<{ ok: true; version: string; snapshot?: StackUpgradeResult['safetySnapshot'] } | { ok: false; error: ApiError; report: RollbackReport | null } | undefined>();

  const choose = useCallback(
    async (version: string) => {
      setTarget(version);
      setPlan(undefined);
      setError(undefined);
      const answer = await api.call('stack.plan', { stack, bundleVersion: version });
      if (answer.ok) setPlan(answer.result);
      else setError(answer.error);
    },
    [api, stack],
  );

  useEffect(() => {
    let live = true;
    void Promise.all([api.call('stack.status', { stack }), api.call('bundle.list', {})]).then(([s, b]) => {
      if (!live) return;
      if (s.ok) setStatus(s.result);
      else setError(s.error);
      if (b.ok) setBundles(b.result);
      if (initialVersion && s.ok && s.result.version !== initialVersion) void choose(initialVersion);
    });
    return () => {
      live = false;
    };
  }, [api, stack, initialVersion, choose]);

  const start = async () => {
    if (!target) return;
    const answer = await api.call('stack.upgrade', { stack, bundleVersion: target });
    if (!answer.ok) return setError(answer.error);
    setParams({ stack, op: answer.result.operationId });
  };

  const onFinished = useCallback((view: OperationView) => {
    const result = view.result as Partial<StackUpgradeResult> | undefined;
    if (view.phase === 'succeeded') setOutcome({ ok: true, version: result?.toVersion ?? '', snapshot: result?.safetySnapshot });
    else if (view.error) {
      let report: RollbackReport | null = null;
      try {
        report = view.error.code === 'STACK_UPGRADE_ROLLED_BACK' && view.error.detail ? (JSON.parse(view.error.detail) as RollbackReport) : null;
      } catch {
        report = null;
      }
      setOutcome({ ok: false, error: view.error, report });
    }
  }, []);

  const columns = [
    { title: t('dashboard.service'), dataIndex: 'service', key: 'service', render: (s: string) => <Typography.Text code>{s}</Typography.Text> },
    { title: t('upgrade.change'), dataIndex: 'change', key: 'change', render: (c: StackServiceChange['change']) => <Tag color={c === 'unchanged' ? 'default' : 'blue'}>{t(`upgrade.changes.${c}`)}</Tag> },
    { title: 'image', key: 'image', render: (_: unknown, r: StackServiceChange) => (r.imageFrom === r.imageTo ? r.imageTo : `${r.imageFrom ?? '-'} → ${r.imageTo ?? '-'}`) },
    { title: t('upgrade.settings'), dataIndex: 'configDiff', key: 'diff', render: (d: string[]) => d.join(', ') },
    { title: t('upgrade.migrates'), dataIndex: 'migrates', key: 'migrates', render: (m: boolean) => (m ? <Tag color="orange">✓</Tag> : '') },
  ];

  if (operationId) {
    return (
      <Flex vertical gap={16} data-testid="stack-upgrade">
        <Card>
          <OperationProgress key={operationId} operationId={operationId} onFinished={onFinished} />
        </Card>
        {outcome?.ok ? <Result status="success" data-testid="stack-upgrade-done" title={t('upgrade.done', { version: outcome.version })} /> : null}
        {/* Present only when a backup target is configured: the off-box snapshot's set id, or why it failed (the upgrade went on). */}
        {outcome?.ok && outcome.snapshot ? (
          'setId' in outcome.snapshot ? (
            <Alert type="success" showIcon data-testid="stack-upgrade-safety-snapshot" title={t('upgrade.safetySnapshot', { setId: outcome.snapshot.setId, target: outcome.snapshot.targetId })} />
          ) : (
            <Alert
              type="warning"
              showIcon
              data-testid="stack-upgrade-safety-snapshot"
              title={t('upgrade.safetySnapshotFailed', { target: outcome.snapshot.targetId, code: outcome.snapshot.error.code, message: outcome.snapshot.error.message[language].replace(/[。.]\s*$/, '') })}
            />
          )
        ) : null}
        {outcome && !outcome.ok && outcome.report ? (
          <Alert
            type="warning"
            showIcon
            data-testid="stack-upgrade-rolled-back"
            title={t('upgrade.rolledBack', { to: plan?.toVersion ?? '', step: outcome.report.failedStep, from: outcome.report.rolledBackTo })}
            description={outcome.report.databaseRestored ? t('upgrade.rolledBackDb') : t('upgrade.rolledBackNoDb')}
          />
        ) : null}
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16} data-testid="stack-upgrade">
      <Card title={t('upgrade.choose')} extra={status?.version ? <Typography.Text type="secondary">{t('upgrade.current', { version: status.version })}</Typography.Text> : null}>
        <Select
          style={{ minWidth: 280 }}
          value={target}
          onChange={(v: string) => void choose(v)}
          data-testid="stack-upgrade-bundle"
          options={bundles.map((b) => ({ value: b.bundleVersion, label: b.bundleVersion, disabled: b.bundleVersion === status?.version }))}
        />
        <ErrorBlock error={error} />
      </Card>
      {plan ? (
        <>
          <Card title={t('upgrade.notes')}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="stack-upgrade-notes">
              {plan.releaseNotes[language]}
            </Typography.Paragraph>
          </Card>
          <Card title={t('upgrade.plan')}>
            <Table<StackServiceChange> rowKey="service" size="small" pagination={false} columns={columns} dataSource={plan.services} data-testid="stack-upgrade-plan" />
            <Alert style={{ marginTop: 16 }} type="info" showIcon title={t('upgrade.backup')} />
            <Button style={{ marginTop: 16 }} type="primary" icon={<CloudUploadOutlined />} onClick={() => void start()} data-testid="stack-upgrade-start">
              {t('upgrade.start')}
            </Button>
          </Card>
        </>
      ) : null}
    </Flex>
  );
}
