import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../../api/api-context';
import { ErrorBlock } from '../../components/error/ApiErrorView';
import { OperationProgress } from '../../components/progress/OperationProgress';
import type { OperationView } from '../../components/progress/operation-view';
import { HostCheckReport, type ApiError, type HostCheckRunSummary } from '../../contract';
import { CheckReportView } from './CheckReportView';
import { CheckRunList } from './CheckRunList';

/**
 * Host preflight: run (or re-run) every check with live progress, read the results grouped
 * by category, export them, and open earlier runs. The running operation and the shown run
 * live in the URL (?operation=op_…&run=hc_…), so a reload re-attaches to either.
 */
export function HostCheckPage() {
  const { t } = useTranslation(['host-check', 'progress']);
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const operationId = params.get('operation') ?? undefined;
  const runId = params.get('run') ?? undefined;
  const [runs, setRuns] = useState<HostCheckRunSummary[] | undefined>();
  const [report, setReport] = useState<HostCheckReport | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [starting, setStarting] = useState(false);
  const [running, setRunning] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    void api.call('host.checkRuns', { limit: 20 }).then((answer) => {
      if (!live) return;
      setRuns(answer.ok ? answer.result : []);
      if (!answer.ok) setError(answer.error);
    });
    return () => {
      live = false;
    };
  }, [api, reload]);

  // Show the run named in the URL, or else the latest stored one.
  const shown = runId ?? (operationId ? undefined : runs?.[0]?.runId);
  useEffect(() => {
    if (!shown || report?.runId === shown) return;
    let live = true;
    void api.call('host.checkRun', { runId: shown }).then((answer) => {
      if (!live) return;
      if (answer.ok) setReport(answer.result);
      else setError(answer.error);
    });
    return () => {
      live = false;
    };
  }, [api, shown, report?.runId]);

  const start = async () => {
    setStarting(true);
    const answer = await api.call('host.check', {});
    setStarting(false);
    setError(answer.ok ? undefined : answer.error);
    if (answer.ok) {
      setRunning(true);
      setParams({ operation: answer.result.operationId });
    }
  };

  const onFinished = useCallback(
    (view: OperationView) => {
      setRunning(false);
      const parsed = HostCheckReport.safeParse(view.result);
      if (view.phase === 'succeeded' && parsed.success) {
        setReport(parsed.data);
        setParams({ operation: view.operationId, run: parsed.data.runId }, { replace: true });
      }
      setReload((n) => n + 1);
    },
    [setParams],
  );

  return (
    <Flex vertical gap={16}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
            {t('description')}
          </Typography.Paragraph>
          <Button
            type="primary"
            size="large"
            icon={report || runs?.length ? <ReloadOutlined /> : <SafetyCertificateOutlined />}
            loading={starting}
            disabled={running}
            data-testid="hostcheck-run"
            onClick={() => void start()}
          >
            {report || runs?.length ? t('rerun') : t('run')}
          </Button>
        </Flex>
        <ErrorBlock error={error} />
      </Card>

      {operationId && (running || !runId) ? (
        <Card title={t('progress:title')}>
          <OperationProgress key={operationId} operationId={operationId} onFinished={onFinished} />
        </Card>
      ) : null}

      {report ? <CheckReportView report={report} /> : null}

      <CheckRunList runs={runs} selected={report?.runId} onOpen={(id) => setParams({ run: id })} />
    </Flex>
  );
}
