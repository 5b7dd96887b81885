import { PlayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, InputNumber, Result, Select, Switch, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../../../api/api-context';
import { ErrorBlock } from '../../../components/error/ApiErrorView';
import { OperationProgress } from '../../../components/progress/OperationProgress';
import type { OperationView } from '../../../components/progress/operation-view';
import { StackInstallResult, type ApiError, type ImportedBundle } from '../../../contract';

interface Values {
  bundleVersion?: string;
  stack: string;
  bindAddress: string;
  httpPort: number;
  gpu: boolean;
  dataDir: string;
  adminContact: string;
  overrideHostCheck: string;
}

/**
 * The Install wizard after the bundle step: configure (data directory, address, port, GPU,
 * contact) → install with live per-step progress and log → the
 * finish page. The operation id lives in the URL (?op=), so a reload mid-install attaches
 * to the running operation again instead of starting another.
 */
export function StackInstallSteps({ importedVersion }: { importedVersion?: string }) {
  const { t } = useTranslation('stack');
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const operationId = params.get('op') ?? undefined;
  const [bundles, setBundles] = useState<ImportedBundle[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [result, setResult] = useState<StackInstallResult | undefined>();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    let live = true;
    void api.call('bundle.list', {}).then((answer) => {
      if (live && answer.ok) setBundles(answer.result);
    });
    return () => {
      live = false;
    };
  }, [api, importedVersion]);

  useEffect(() => {
    if (importedVersion) form.setFieldValue('bundleVersion', importedVersion);
  }, [form, importedVersion]);

  const install = async (v: Values) => {
    setError(undefined);
    const answer = await api.call('stack.install', {
      stack: v.stack,
      bundleVersion: v.bundleVersion ?? '',
      config: { bindAddress: v.bindAddress, httpPort: v.httpPort, gpu: v.gpu, ...(v.dataDir.trim() ? { dataDir: v.dataDir.trim() } : {}), adminContact: v.adminContact, values: {} },
      ...(v.overrideHostCheck.trim() ? { overrideHostCheck: v.overrideHostCheck.trim() } : {}),
    });
    if (!answer.ok) return setError(answer.error);
    setParams({ op: answer.result.operationId });
  };

  const onFinished = useCallback((view: OperationView) => {
    const parsed = StackInstallResult.safeParse(view.result);
    if (view.phase === 'succeeded' && parsed.success) setResult(parsed.data);
  }, []);

  return (
    <Flex vertical gap={16} data-testid="stack-install">
      {!operationId ? (
        // install-next: the step that follows the bundle step (the bundle wizard's tests wait for it).
        <Card title={t('install.title')} data-testid="install-next">
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{ stack: 'medai', bindAddress: '127.0.0.1', httpPort: 8000, gpu: false, dataDir: '', adminContact: '', overrideHostCheck: '', bundleVersion: importedVersion }}
            onFinish={(v) => void install(v)}
            style={{ maxWidth: 640 }}
          >
            <Form.Item name="bundleVersion" label={t('install.bundle')} rules={[{ required: true, message: t('install.bundleNone') }]}>
              <Select
                data-testid="stack-install-bundle"
                placeholder={t('install.bundleNone')}
                options={bundles.map((b) => ({ value: b.bundleVersion, label: `${b.bundleVersion} (${b.importedAt.slice(0, 10)})` }))}
              />
            </Form.Item>
            <Form.Item name="stack" label={t('install.stack')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]{0,62}$/ }]}>
              <Input data-testid="stack-install-name" />
            </Form.Item>
            <Form.Item name="bindAddress" label={t('install.bind')} extra={t('install.bindHint')} rules={[{ required: true }]}>
              <Input data-testid="stack-install-bind" />
            </Form.Item>
            <Form.Item name="httpPort" label={t('install.port')} rules={[{ required: true }]}>
              <InputNumber min={1} max={65535} data-testid="stack-install-port" />
            </Form.Item>
            <Form.Item name="gpu" label={t('install.gpu')} valuePropName="checked">
              <Switch data-testid="stack-install-gpu" />
            </Form.Item>
            <Form.Item name="dataDir" label={t('install.dataDir')} extra={t('install.dataDirHint')} rules={[{ pattern: /^(\/.*)?$/, message: t('install.dataDirAbsolute') }]}>
              <Input placeholder="/data/medai" data-testid="stack-install-data-dir" />
            </Form.Item>
            <Form.Item name="adminContact" label={t('install.admin')}>
              <Input data-testid="stack-install-admin" />
            </Form.Item>
            <Form.Item name="overrideHostCheck" label={t('install.override')}>
              <Input data-testid="stack-install-override" />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} data-testid="stack-install-start">
              {t('install.start')}
            </Button>
          </Form>
          <ErrorBlock error={error} />
        </Card>
      ) : (
        <Card title={t('install.running')}>
          <OperationProgress key={operationId} operationId={operationId} onFinished={onFinished} />
        </Card>
      )}
      {result ? <InstallSummary result={result} /> : null}
      {operationId && !result ? <Alert type="info" showIcon title={t('install.reattached')} /> : null}
    </Flex>
  );
}

/** The finish page: where to reach the service, what runs, where the data is. */
function InstallSummary({ result }: { result: StackInstallResult }) {
  const { t } = useTranslation('stack');
  return (
    <Card data-testid="stack-install-summary">
      <Result status="success" title={t('install.done')} subTitle={`${result.stack} ${result.version}`} />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('install.urls')}>
          {result.urls.map((u) => (
            <Typography.Link key={u} href={u} target="_blank" data-testid="stack-install-url">
              {u}
            </Typography.Link>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('install.versions')}>
          {result.services.map((s) => (
            <div key={s.service}>
              <Typography.Text code>{s.service}</Typography.Text> {s.image}
            </div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('install.data')}>
          {result.data.map((d) => (
            <div key={d.volume} data-testid="stack-install-data">
              {d.volume}: <Typography.Text code>{d.mountpoint}</Typography.Text>
            </div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('install.stackDir')}>
          <Typography.Text code>{result.stackDir}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
