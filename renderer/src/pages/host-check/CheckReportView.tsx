import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import { HOST_CHECK_CATEGORIES, type ApiError, type HostCheckItem, type HostCheckReport } from '../../contract';
import { asLanguage } from '../../i18n/language';
import { downloadText, reportJsonName } from './download';
import { ResultTag } from './result-tag';

/** One stored run: verdict, exports, and every check grouped by category with measured value, requirement and fix. */
export function CheckReportView({ report }: { report: HostCheckReport }) {
  const { t, i18n } = useTranslation('host-check');
  const language = asLanguage(i18n.language);
  const api = useApi();
  const [exportError, setExportError] = useState<ApiError | undefined>();

  const exportHtml = async () => {
    const answer = await api.call('host.checkReportHtml', { runId: report.runId, lang: language });
    setExportError(answer.ok ? undefined : answer.error);
    if (answer.ok) downloadText(answer.result.fileName, answer.result.html, 'text/html;charset=utf-8');
  };

  return (
    <Flex vertical gap={16} data-testid="hostcheck-report" data-run-id={report.runId} data-worst={report.worst}>
      <Card
        title={t('report.title')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} data-testid="hostcheck-export-json" onClick={() => downloadText(reportJsonName(report.hostname, report.startedAt), JSON.stringify(report, null, 2), 'application/json')}>
              {t('report.exportJson')}
            </Button>
            <Button icon={<PrinterOutlined />} data-testid="hostcheck-export-html" onClick={() => void exportHtml()}>
              {t('report.exportHtml')}
            </Button>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('report.verdict')}>
            <span data-testid="hostcheck-verdict">
              <ResultTag result={report.worst} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('report.counts')}>
            <span data-testid="hostcheck-counts">{t('report.countsValue', report.counts)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('report.host')}>{report.hostname}</Descriptions.Item>
          <Descriptions.Item label={t('report.startedAt')}>{new Date(report.startedAt).toLocaleString(language)}</Descriptions.Item>
          <Descriptions.Item label={t('report.duration')}>{t('report.durationValue', { ms: report.durationMs })}</Descriptions.Item>
          <Descriptions.Item label={t('report.basis')}>
            {t(`report.source.${report.requirements.source}`, { version: report.requirements.bundleVersion ?? '' })}
          </Descriptions.Item>
        </Descriptions>
        {exportError ? <ApiErrorView error={exportError} /> : null}
      </Card>

      {HOST_CHECK_CATEGORIES.map((category) => {
        const rows = report.checks.filter((c) => c.category === category);
        if (!rows.length) return null;
        return (
          <Card key={category} title={t(`categories.${category}`)} size="small" data-testid={`hostcheck-category-${category}`}>
            <Table<HostCheckItem>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={rows}
              onRow={(c) => ({ 'data-testid': `hostcheck-row-${c.id}`, 'data-result': c.result }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                {
                  key: 'check',
                  title: t('columns.check'),
                  width: '20%',
                  render: (_, c) => (
                    <>
                      <Typography.Text strong>{c.title[language]}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary" code style={{ fontSize: 11 }}>
                        {c.id}
                      </Typography.Text>
                    </>
                  ),
                },
                { key: 'result', title: t('columns.result'), width: 90, render: (_, c) => <ResultTag result={c.result} /> },
                {
                  key: 'measured',
                  title: t('columns.measured'),
                  width: '25%',
                  render: (_, c) => (
                    <>
                      <span data-testid="hostcheck-measured">{c.measuredText}</span>
                      <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
                        {c.message[language]}
                      </Typography.Paragraph>
                    </>
                  ),
                },
                { key: 'threshold', title: t('columns.threshold'), width: '20%', render: (_, c) => c.threshold?.[language] ?? '' },
                { key: 'remedy', title: t('columns.remedy'), render: (_, c) => <span data-testid="hostcheck-remedy">{c.result === 'pass' ? '' : (c.remedy?.[language] ?? '')}</span> },
              ]}
            />
          </Card>
        );
      })}
    </Flex>
  );
}
