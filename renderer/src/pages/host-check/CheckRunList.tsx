import { Button, Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HostCheckRunSummary } from '../../contract';
import { asLanguage } from '../../i18n/language';
import { ResultTag } from './result-tag';

/** Stored runs, newest first, so support can compare today's run with an earlier one. */
export function CheckRunList({ runs, selected, onOpen }: { runs: HostCheckRunSummary[] | undefined; selected?: string; onOpen: (runId: string) => void }) {
  const { t, i18n } = useTranslation('host-check');
  const language = asLanguage(i18n.language);
  return (
    <Card title={t('runs.title')}>
      <Table<HostCheckRunSummary>
        size="small"
        rowKey="runId"
        loading={runs === undefined}
        dataSource={runs ?? []}
        pagination={false}
        locale={{ emptyText: t('runs.empty') }}
        data-testid="hostcheck-runs"
        rowClassName={(r) => (r.runId === selected ? 'ant-table-row-selected' : '')}
        columns={[
          { key: 'startedAt', title: t('runs.startedAt'), render: (_, r) => new Date(r.startedAt).toLocaleString(language) },
          { key: 'worst', title: t('runs.verdict'), render: (_, r) => <ResultTag result={r.worst} /> },
          { key: 'counts', title: t('report.counts'), render: (_, r) => t('report.countsValue', r.counts) },
          { key: 'only', title: t('runs.scope'), render: (_, r) => (r.only ? r.only.join(', ') : t('runs.all')) },
          {
            key: 'open',
            title: '',
            render: (_, r) => (
              <Button size="small" type="link" data-testid={`hostcheck-open-${r.runId}`} onClick={() => onOpen(r.runId)}>
                {t('runs.open')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
