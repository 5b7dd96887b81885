import { RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Input, Result, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import { OperationProgress } from '../../components/progress/OperationProgress';
import type { OperationView } from '../../components/progress/operation-view';
import type { ApiError, StackRollbackResult } from '../../contract';

interface HistoryRow {
  version: string;
  firstDeployedAt: string;
  lastDeployedAt: string;
  current: boolean;
  imagesPresent: boolean;
  safetyBackupAt: string | null;
}

/**
 * Rollback: version history with dates → choose → include the database or not → confirm by
 * typing the stack name → progress → report.
 */
export function RollbackWizard() {
  const { t, i18n } = useTranslation('stack');
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const stack = params.get('stack') ?? 'medai';
  const operationId = params.get('op') ?? undefined;
  const [history, setHistory] = useState<HistoryRow[]>([]);
  const [chosen, setChosen] = useState<HistoryRow | undefined>();
  const [includeDb, setIncludeDb] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [report, setReport] = useState<StackRollbackResult | undefined>();

  useEffect(() => {
    let live = true;
    void api.call('stack.history', { stack }).then((answer) => {
      if (!live) return;
      if (answer.ok) setHistory(answer.result);
      else setError(answer.error);
    });
    return () => {
      live = false;
    };
  }, [api, stack]);

  const start = async () => {
    if (!chosen) return;
    setError(undefined);
    const answer = await api.call('stack.rollback', { stack, toVersion: chosen.version, restoreDatabase: includeDb, confirm: typed });
    if (!answer.ok) return setError(answer.error);
    setParams({ stack, op: answer.result.operationId });
  };

  const onFinished = useCallback((view: OperationView) => {
    if (view.phase === 'succeeded') setReport(view.result as StackRollbackResult);
  }, []);

  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '-');

  if (operationId) {
    return (
      <Flex vertical gap={16} data-testid="stack-rollback">
        <Card>
          <OperationProgress key={operationId} operationId={operationId} onFinished={onFinished} />
        </Card>
        {report ? (
          <Result status="success" data-testid="stack-rollback-done" title={t('rollback.done', { version: report.toVersion })} subTitle={report.databaseRestored ? t('rollback.dbRestored') : undefined} />
        ) : null}
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16} data-testid="stack-rollback">
      <Card title={t('rollback.history')}>
        <Table<HistoryRow>
          rowKey="version"
          size="small"
          pagination={false}
          dataSource={history}
          data-testid="stack-rollback-history"
          columns={[
            { title: t('rollback.version'), dataIndex: 'version', key: 'v', render: (v: string, r) => (r.current ? <Tag color="green">{`${v} · ${t('rollback.current')}`}</Tag> : v) },
            { title: t('rollback.first'), dataIndex: 'firstDeployedAt', key: 'f', render: when },
            { title: t('rollback.last'), dataIndex: 'lastDeployedAt', key: 'l', render: when },
            { title: t('rollback.images'), dataIndex: 'imagesPresent', key: 'i', render: (p: boolean) => (p ? t('rollback.present') : <Tag color="red">{t('rollback.missing')}</Tag>) },
            { title: t('rollback.backupAt'), dataIndex: 'safetyBackupAt', key: 'b', render: when },
            {
              title: '',
              key: 'choose',
              render: (_: unknown, r: HistoryRow) => (
                <Button size="small" disabled={r.current || !r.imagesPresent} onClick={() => setChosen(r)} data-testid={`stack-rollback-choose-${r.version}`}>
                  {t('rollback.choose')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {chosen ? (
        <Card title={`${t('rollback.choose')}: ${chosen.version}`}>
          <Flex vertical gap={12} style={{ maxWidth: 640 }}>
            <Checkbox checked={includeDb} disabled={!chosen.safetyBackupAt} onChange={(e) => setIncludeDb(e.target.checked)} data-testid="stack-rollback-include-db">
              {t('rollback.includeDb')}
            </Checkbox>
            <Typography.Text>{t('rollback.confirm', { stack })}</Typography.Text>
            <Input value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="stack-rollback-confirm" />
            <Button type="primary" danger icon={<RollbackOutlined />} disabled={typed !== stack} onClick={() => void start()} data-testid="stack-rollback-start">
              {t('rollback.start')}
            </Button>
          </Flex>
        </Card>
      ) : null}
      {error ? <ApiErrorView error={error} /> : null}
      {history.length === 0 && !error ? <Alert type="info" showIcon title={t('dashboard.notInstalled')} /> : null}
    </Flex>
  );
}
