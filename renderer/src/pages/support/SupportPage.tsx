import { PlayCircleOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, InputNumber, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../../api/api-context';
import { ErrorBlock } from '../../components/error/ApiErrorView';
import { ProgressCard } from '../../components/progress/ProgressCard';
import type { ApiError } from '../../contract';
import { DiagnosticsBundleCard } from './DiagnosticsBundleCard';
import { RecentOperations } from './RecentOperations';

interface SelfTestForm {
  steps: number;
  stepMs: number;
}

/**
 * Support and diagnostics. The followed operation lives in the URL (?operation=op_…), so a
 * reload, a bookmark or a second tab attaches to the same running operation.
 */
export function SupportPage() {
  const { t } = useTranslation(['support', 'progress']);
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const operationId = params.get('operation') ?? undefined;
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ApiError | undefined>();
  const [finishedCount, setFinishedCount] = useState(0);
  const [running, setRunning] = useState(false);

  const follow = useCallback((id: string) => setParams({ operation: id }), [setParams]);

  const runSelfTest = async (values: SelfTestForm) => {
    setStarting(true);
    const answer = await api.call('diagnostics.selfTest', values);
    setStarting(false);
    setStartError(answer.ok ? undefined : answer.error);
    if (answer.ok) {
      setRunning(true);
      follow(answer.result.operationId);
    }
  };

  const onFinished = useCallback(() => {
    setRunning(false);
    setFinishedCount((n) => n + 1);
  }, []);

  return (
    <Flex vertical gap={16}>
      <DiagnosticsBundleCard />

      <Card title={t('selfTest.title')}>
        <Typography.Paragraph type="secondary">{t('selfTest.description')}</Typography.Paragraph>
        <Form<SelfTestForm> layout="inline" initialValues={{ steps: 3, stepMs: 200 }} onFinish={(v) => void runSelfTest(v)}>
          <Form.Item name="steps" label={t('selfTest.steps')} rules={[{ required: true }]}>
            <InputNumber min={1} max={20} precision={0} data-testid="selftest-steps" />
          </Form.Item>
          <Form.Item name="stepMs" label={t('selfTest.stepMs')} rules={[{ required: true }]}>
            <InputNumber min={0} max={5000} step={100} precision={0} data-testid="selftest-step-ms" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={starting} disabled={running} data-testid="selftest-run">
              {t('selfTest.run')}
            </Button>
          </Form.Item>
        </Form>
        <ErrorBlock error={startError} />
      </Card>

      <ProgressCard operationId={operationId} onFinished={onFinished} />

      <RecentOperations reloadKey={`${finishedCount}:${operationId ?? ''}`} onOpen={follow} />
    </Flex>
  );
}
