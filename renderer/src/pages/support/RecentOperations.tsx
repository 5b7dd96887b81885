import { Button, Card, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import type { ApiError, OperationSummary } from '../../contract';

const STATE_COLORS: Record<OperationSummary['state'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  interrupted: 'warning',
};

/** The latest operations from the journal (any face, any process); opening one follows it. */
export function RecentOperations({ reloadKey, onOpen }: { reloadKey: string; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation('support');
  const api = useApi();
  const [rows, setRows] = useState<OperationSummary[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    let live = true;
    void api.call('operations.list', { limit: 10 }).then((answer) => {
      if (!live) return;
      setRows(answer.ok ? answer.result : []);
      setError(answer.ok ? undefined : answer.error);
    });
    return () => {
      live = false;
    };
  }, [api, reloadKey]);

  return (
    <Card title={t('recent.title')}>
      {error ? <ApiErrorView error={error} /> : null}
      <Table<OperationSummary>
        size="small"
        rowKey="id"
        loading={rows === undefined}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('recent.empty') }}
        data-testid="recent-operations"
        columns={[
          {
            key: 'kind',
            title: t('recent.kind'),
            dataIndex: 'kind',
            // Kinds are method names with dots, so the lookup turns the key separator off.
            render: (kind: string) => t(kind, { ns: 'operation-kinds', keySeparator: false, defaultValue: kind }),
          },
          {
            key: 'state',
            title: t('recent.state'),
            dataIndex: 'state',
            render: (state: OperationSummary['state']) => <Tag color={STATE_COLORS[state]}>{t(`recent.states.${state}`)}</Tag>,
          },
          {
            key: 'startedAt',
            title: t('recent.startedAt'),
            dataIndex: 'startedAt',
            render: (at: string) => new Date(at).toLocaleString(i18n.language),
          },
          {
            key: 'open',
            title: '',
            align: 'right',
            render: (_: unknown, row) => (
              <Button type="link" size="small" onClick={() => onOpen(row.id)}>
                {t('recent.open')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
