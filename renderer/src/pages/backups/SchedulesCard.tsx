import { Button, Card, Input, InputNumber, Select, Switch, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import type { ApiError, Schedule } from '../../contract';

/** A target's schedules as cron expressions with their keep days; saved all at once, checked by the core. */
export function SchedulesCard({ targetId, onSaved }: { targetId: string; onSaved: () => void }) {
  const { t } = useTranslation('backups');
  const api = useApi();
  const [rows, setRows] = useState<Schedule[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    void api.call('backup.schedules.get', { targetId }).then((r) => {
      if (live && r.ok) setRows(r.result);
    });
    return () => {
      live = false;
    };
  }, [api, targetId]);

  const edit = (name: string, patch: Partial<Schedule>) => {
    setSaved(false);
    setRows((rs) => rs.map((r) => (r.name === name ? { ...r, ...patch } : r)));
  };
  const save = async () => {
    const r = await api.call('backup.schedules.set', { targetId, schedules: rows });
    setError(r.ok ? undefined : r.error);
    if (r.ok) {
      setRows(r.result);
      setSaved(true);
      onSaved();
    }
  };

  return (
    <Card
      title={t('schedules')}
      extra={
        <Button type="primary" data-testid="backups-schedules-save" onClick={() => void save()}>
          {saved ? t('saved') : t('save')}
        </Button>
      }
    >
      <Table
        data-testid="backups-schedules"
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('schedule'), dataIndex: 'name' },
          { title: 'cron', render: (_, r) => <Input data-testid={`backups-cron-${r.name}`} value={r.cron} onChange={(e) => edit(r.name, { cron: e.target.value })} style={{ width: 160 }} /> },
          {
            title: t('profile'),
            render: (_, r) => <Select value={r.profile} onChange={(v: 'full' | 'online') => edit(r.name, { profile: v })} options={['full', 'online'].map((p) => ({ value: p, label: t(`profiles.${p}`) }))} style={{ width: 160 }} />,
          },
          { title: t('keepDays'), render: (_, r) => <InputNumber min={1} max={3660} value={r.keepDays} onChange={(v) => edit(r.name, { keepDays: Number(v ?? 1) })} /> },
          { title: t('enabled'), render: (_, r) => <Switch checked={r.enabled} onChange={(v) => edit(r.name, { enabled: v })} /> },
        ]}
      />
      {error ? <ApiErrorView error={error} /> : null}
    </Card>
  );
}
