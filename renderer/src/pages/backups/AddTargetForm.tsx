import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import type { ApiError, RecoverySheet, TargetLocation } from '../../contract';

type Values = { id: string; kind: 'local' | 'sftp' | 's3'; path?: string; host?: string; port?: number; user?: string; sshKey?: string; endpoint?: string; bucket?: string; prefix?: string; accessKeyId?: string; secretAccessKey?: string };

/** Adds a target; the repository password comes back once, as the recovery sheet to print. */
export function AddTargetForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation('backups');
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [sheet, setSheet] = useState<RecoverySheet | undefined>();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'local';

  const submit = async (v: Values) => {
    const location: TargetLocation =
      v.kind === 'local'
        ? { kind: 'local', path: v.path ?? '' }
        : v.kind === 'sftp'
          ? { kind: 'sftp', host: v.host ?? '', port: v.port ?? 22, user: v.user ?? '', path: v.path ?? '' }
          : { kind: 's3', endpoint: v.endpoint ?? '', bucket: v.bucket ?? '', prefix: v.prefix ?? '', bucketLookup: 'auto' };
    const credentials = v.kind === 'sftp' ? { sshPrivateKey: v.sshKey } : v.kind === 's3' ? { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey } : {};
    setBusy(true);
    const r = await api.call('backup.targets.add', { id: v.id, location, credentials });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setOpen(false);
    form.resetFields();
    setSheet(r.result.recoverySheet ?? undefined);
    onAdded();
  };

  return (
    <>
      <Button icon={<PlusOutlined />} data-testid="backups-add" onClick={() => setOpen(true)}>
        {t('add')}
      </Button>
      <Modal open={open} title={t('add')} onCancel={() => setOpen(false)} okText={t('add')} confirmLoading={busy} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'backups-add-ok' } as never}>
        <Form form={form} layout="vertical" initialValues={{ kind: 'local', port: 22 }} onFinish={(v) => void submit(v)}>
          <Form.Item name="id" label={t('target')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9-]{0,39}$/ }]}>
            <Input data-testid="backups-add-id" />
          </Form.Item>
          <Form.Item name="kind" label={t('kind')}>
            <Select options={['local', 'sftp', 's3'].map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
          </Form.Item>
          {kind === 's3' ? (
            <>
              <Form.Item name="endpoint" label="Endpoint" rules={[{ required: true }]}>
                <Input placeholder="https://oss-cn-hangzhou.aliyuncs.com" />
              </Form.Item>
              <Form.Item name="bucket" label="Bucket" rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name="prefix" label={t('prefix')}>
                <Input />
              </Form.Item>
              <Form.Item name="accessKeyId" label="Access Key ID" rules={[{ required: true }]}>
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item name="secretAccessKey" label="Secret Access Key" rules={[{ required: true }]}>
                <Input.Password autoComplete="off" />
              </Form.Item>
            </>
          ) : (
            <>
              {kind === 'sftp' ? (
                <>
                  <Form.Item name="host" label={t('host')} rules={[{ required: true }]}>
                    <Input />
                  </Form.Item>
                  <Form.Item name="port" label={t('port')}>
                    <InputNumber min={1} max={65535} />
                  </Form.Item>
                  <Form.Item name="user" label={t('user')} rules={[{ required: true }]}>
                    <Input />
                  </Form.Item>
                  <Form.Item name="sshKey" label={t('sshKey')} rules={[{ required: true }]}>
                    <Input.TextArea rows={3} autoComplete="off" />
                  </Form.Item>
                </>
              ) : null}
              <Form.Item name="path" label={t('path')} rules={[{ required: true, pattern: /^\// }]}>
                <Input data-testid="backups-add-path" placeholder="/media/backup-disk/medai" />
              </Form.Item>
            </>
          )}
        </Form>
        {error ? <ApiErrorView error={error} /> : null}
      </Modal>
      <Modal open={!!sheet} title={t('sheetTitle')} onCancel={() => setSheet(undefined)} onOk={() => setSheet(undefined)} width={760} okButtonProps={{ 'data-testid': 'backups-sheet-done' } as never}>
        <Typography.Paragraph type="danger">{t('sheetWarning')}</Typography.Paragraph>
        <pre data-testid="backups-recovery-sheet" style={{ whiteSpace: 'pre-wrap' }}>
          {sheet?.text}
        </pre>
        <Button onClick={() => window.print()}>{t('print')}</Button>
      </Modal>
    </>
  );
}
