import { KeyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import type { ApiError } from '../../contract';
import { NewKeyModal, type NewKey } from './NewKeyModal';
import { useServiceTarget } from './service-target';

interface KeyRow {
  id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/**
 * The inference service's API keys (service.keys.*, run by the service's own CLI in its
 * container): the list without the secrets, create by name (the key shown once), revoke
 * after a confirmation.
 */
export function ServiceKeysPage() {
  const { t, i18n } = useTranslation(['service-keys', 'common']);
  const api = useApi();
  const target = useServiceTarget();
  const [keys, setKeys] = useState<KeyRow[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<NewKey | undefined>();
  const [form] = Form.useForm<{ name: string }>();
  const container = target?.container;

  // State is set only once the answer is in: the effect below calls it on mount.
  const fetchKeys = useCallback(
    (): Promise<void> =>
      container
        ? api.call('service.keys.list', { container }).then((answer) => {
            if (answer.ok) {
              setKeys(answer.result);
              setError(undefined);
            } else setError(answer.error);
          })
        : Promise.resolve(),
    [api, container],
  );

  useEffect(() => {
    void fetchKeys();
  }, [fetchKeys]);

  const load = async () => {
    setBusy(true);
    await fetchKeys();
    setBusy(false);
  };

  const create = async ({ name }: { name: string }) => {
    if (!container) return;
    setBusy(true);
    const answer = await api.call('service.keys.create', { container, name: name.trim() });
    setBusy(false);
    if (!answer.ok) return setError(answer.error);
    setError(undefined);
    form.resetFields();
    setCreated(answer.result);
    void load();
  };

  const revoke = async (id: string) => {
    if (!container) return;
    const answer = await api.call('service.keys.revoke', { container, id });
    if (!answer.ok) return setError(answer.error);
    setError(undefined);
    void load();
  };

  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '-');
  const columns = [
    { title: t('columns.id'), dataIndex: 'id', key: 'id', render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
    { title: t('columns.name'), dataIndex: 'name', key: 'name' },
    { title: t('columns.created'), dataIndex: 'created_at', key: 'created', render: when },
    { title: t('columns.lastUsed'), dataIndex: 'last_used_at', key: 'lastUsed', render: when },
    {
      title: t('columns.state'),
      key: 'state',
      render: (_: unknown, k: KeyRow) =>
        k.revoked_at ? (
          <Tag color="default" data-testid="service-key-state">
            {t('revokedAt', { time: when(k.revoked_at) })}
          </Tag>
        ) : (
          <Tag color="success" data-testid="service-key-state">
            {t('active')}
          </Tag>
        ),
    },
    {
      title: '',
      key: 'actions',
      render: (_: unknown, k: KeyRow) =>
        k.revoked_at ? null : (
          <Popconfirm
            title={t('revokeConfirm', { name: k.name })}
            description={t('revokeNote')}
            okText={t('revoke')}
            cancelText={t('cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'service-key-revoke-confirm' } as never}
            onConfirm={() => revoke(k.id)}
          >
            <Button danger size="small" data-testid="service-key-revoke">
              {t('revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Card title={t('create.title')} data-testid="service-keys-create-card">
        <Form form={form} layout="inline" onFinish={(v) => void create(v)} disabled={!container}>
          <Form.Item
            name="name"
            label={t('create.name')}
            rules={[{ required: true, whitespace: true, max: 100, message: t('create.nameRule') }]}
          >
            <Input placeholder={t('create.placeholder')} maxLength={100} style={{ width: 280 }} data-testid="service-key-name" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="service-key-create">
              {t('create.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card
        title={
          <Flex align="center" gap={8}>
            <KeyOutlined />
            {t('list.title')}
          </Flex>
        }
        extra={
          <Flex align="center" gap={12}>
            {container ? (
              <Typography.Text type="secondary" data-testid="service-keys-container">
                {t('list.container', { container })}
              </Typography.Text>
            ) : null}
            <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={busy} data-testid="service-keys-refresh">
              {t('common:actions.refresh')}
            </Button>
          </Flex>
        }
      >
        <Flex vertical gap={16}>
          {error ? <ApiErrorView error={error} /> : null}
          <Table<KeyRow>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={keys ?? []}
            loading={!keys && !error}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="service-keys"
            onRow={(k) => ({ 'data-testid': `service-key-${k.id}`, 'data-revoked': String(k.revoked_at !== null) }) as React.HTMLAttributes<HTMLElement>}
          />
        </Flex>
      </Card>
      <NewKeyModal created={created} onClose={() => setCreated(undefined)} />
    </Flex>
  );
}
