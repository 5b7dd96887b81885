import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ServiceStatus } from '../../../contract';

interface Row {
  key: string;
  ok: boolean;
  latencyMs: number | null;
  detail: string;
}

// The service's own check names, in the order people think of the stack.
const ORDER = ['postgres', 'redis', 'milvus'];

/** The rows of /ready: PostgreSQL, Redis, Milvus (and any check a newer service adds), then the model. */
export function dependencyRows(status: ServiceStatus): Row[] {
  const names = [...ORDER.filter((n) => n in status.dependencies), ...Object.keys(status.dependencies).filter((n) => !ORDER.includes(n)).sort()];
  const rows: Row[] = names.map((n) => {
    const d = status.dependencies[n]!;
    return { key: n, ok: d.ok, latencyMs: d.latencyMs, detail: d.error ? `${d.code ? `[${d.code}] ` : ''}${d.error}` : '' };
  });
  // The service reports the model only once it is loaded; a missing model is a red row, not an absent one.
  rows.push({ key: 'model', ok: status.model !== null, latencyMs: null, detail: status.model ? `${status.model.name} (${status.model.provider})` : '' });
  return rows;
}

/** Readiness per dependency with green/red tags and the service's own detail for a red one. */
export function ServiceDependencies({ status }: { status: ServiceStatus }) {
  const { t } = useTranslation('service');
  const columns = [
    {
      title: t('deps.name'),
      dataIndex: 'key',
      key: 'name',
      render: (k: string) => t(`deps.names.${k}`, { defaultValue: k }),
    },
    {
      title: t('deps.state'),
      dataIndex: 'ok',
      key: 'state',
      render: (ok: boolean) => <Tag color={ok ? 'success' : 'error'}>{ok ? t('deps.ok') : t('deps.down')}</Tag>,
    },
    { title: t('deps.latency'), dataIndex: 'latencyMs', key: 'latency', render: (v: number | null) => (v === null ? '-' : `${v} ms`) },
    {
      title: t('deps.detail'),
      dataIndex: 'detail',
      key: 'detail',
      render: (d: string, r: Row) => (d ? <Typography.Text type={r.ok ? 'secondary' : 'danger'}>{d}</Typography.Text> : '-'),
    },
  ];
  return (
    <Table<Row>
      rowKey="key"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={dependencyRows(status)}
      data-testid="service-dependencies"
      onRow={(r) => ({ 'data-testid': `service-dep-${r.key}`, 'data-ok': String(r.ok) }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}
