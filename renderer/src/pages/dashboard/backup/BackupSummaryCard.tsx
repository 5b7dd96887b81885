import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiErrorView } from '../../../components/error/ApiErrorView';
import type { BackupStatus } from '../../../contract';
import { formatBytes, formatDuration, formatRelative, formatSpan, formatTime } from './backup-format';
import { useBackupStatus } from './use-backup-status';

type TargetStatus = BackupStatus['targets'][number];

const stateColor: Record<string, string> = { succeeded: 'green', failed: 'red', interrupted: 'red', missed: 'orange', running: 'blue' };

/** One target: last backup (when, outcome, size, duration), next run per schedule, last drill. */
function TargetSummary({ s, now }: { s: TargetStatus; now: Date }) {
  const { t, i18n } = useTranslation('backup-dashboard');
  const lang = i18n.language;
  const run = s.lastRun;
  const verdict = s.problems.includes('stale') ? <Tag color="red">{t('overdue')}</Tag> : null;
  const failed = s.problems.includes('last-run-failed') ? <Tag color="red">{t('lastFailed')}</Tag> : null;
  return (
    <div data-testid={`backup-summary-${s.targetId}`} data-problems={s.problems.join(' ')}>
      <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('target', { target: s.targetId })}</Typography.Text>
        {verdict}
        {failed}
        {!verdict && !failed ? <Tag color="green">{t('ok')}</Tag> : null}
      </Flex>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 3 }}
        layout="vertical"
        items={[
          {
            key: 'last',
            label: t('lastBackup'),
            children: (
              <div data-testid={`backup-summary-last-${s.targetId}`} data-state={run?.state ?? 'none'} data-at={run?.at ?? ''}>
                {run ? (
                  <Flex vertical gap={2}>
                    <span>
                      {formatTime(run.at, lang)} <Typography.Text type="secondary">({formatRelative(run.at, now, lang)})</Typography.Text>
                    </span>
                    <span>
                      <Tag color={stateColor[run.state] ?? 'default'}>{t(`state.${run.state}`, { defaultValue: run.state })}</Tag>
                      {run.code ? <Typography.Text code>{run.code}</Typography.Text> : null}
                      <Typography.Text type="secondary">{run.schedule ? t('schedule', { name: run.schedule }) : t('manual')}</Typography.Text>
                    </span>
                    {run.totalBytes !== null ? <span data-testid={`backup-summary-size-${s.targetId}`}>{t('size', { total: formatBytes(run.totalBytes), added: formatBytes(run.addedBytes ?? 0) })}</span> : null}
                    {run.durationMs !== null ? <Typography.Text type="secondary">{t('tookDuration', { duration: formatDuration(run.durationMs, lang) })}</Typography.Text> : null}
                    {run.state !== 'succeeded' ? (
                      <Typography.Text type="secondary">{s.lastGood ? t('lastGood', { time: formatTime(s.lastGood.time, lang), relative: formatRelative(s.lastGood.time, now, lang) }) : t('noGood')}</Typography.Text>
                    ) : null}
                  </Flex>
                ) : (
                  <Typography.Text type="secondary">{t('never')}</Typography.Text>
                )}
              </div>
            ),
          },
          {
            key: 'next',
            label: t('nextRun'),
            children: (
              <div data-testid={`backup-summary-next-${s.targetId}`}>
                {s.nextRuns.length ? (
                  <Flex vertical gap={2}>
                    {s.nextRuns.map((n, i) => (
                      <span key={n.schedule} data-testid={`backup-summary-next-${s.targetId}-${n.schedule}`} data-at={n.at}>
                        <Typography.Text strong={i === 0} type={i === 0 ? undefined : 'secondary'}>
                          {formatTime(n.at, lang)} ({formatRelative(n.at, now, lang)})
                        </Typography.Text>{' '}
                        <Tag>{n.schedule}</Tag>
                      </span>
                    ))}
                    {s.staleness ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('allowed', {
                          allowed: formatSpan(s.staleness.allowedMs, lang),
                          schedule: s.staleness.schedule,
                          interval: formatSpan(s.staleness.intervalMs, lang),
                          grace: formatSpan(s.staleness.graceMs, lang),
                        })}
                      </Typography.Text>
                    ) : null}
                  </Flex>
                ) : (
                  <Typography.Text type="secondary">{t('none')}</Typography.Text>
                )}
              </div>
            ),
          },
          {
            key: 'drill',
            label: t('lastDrill'),
            children: (
              <div data-testid={`backup-summary-drill-${s.targetId}`} data-passed={s.lastDrill ? String(s.lastDrill.passed) : 'none'} data-at={s.lastDrill?.at ?? ''}>
                {s.lastDrill ? (
                  <span>
                    <Tag color={s.lastDrill.passed ? 'green' : 'red'}>{t(s.lastDrill.passed ? 'drill.passed' : 'drill.failed')}</Tag>
                    {formatTime(s.lastDrill.at, lang)} <Typography.Text type="secondary">({formatRelative(s.lastDrill.at, now, lang)})</Typography.Text>
                    {s.lastDrill.code ? <Typography.Text code>{s.lastDrill.code}</Typography.Text> : null}
                  </span>
                ) : (
                  <Typography.Text type="secondary">{t('noDrill')}</Typography.Text>
                )}
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}

/**
 * The dashboard's backup card: per target the last backup, the next scheduled runs and the
 * last restore drill, from backup.status (the local history, so it answers even when a
 * target is away). With no target, only a hint to set one up.
 */
export function BackupSummaryCard() {
  const { t } = useTranslation('backup-dashboard');
  const { status, error, at, loading, refresh } = useBackupStatus();
  return (
    <Card
      title={t('title')}
      data-testid="backup-summary"
      extra={
        <Flex gap={8} align="center">
          <Link to="/backups" data-testid="backup-summary-open">
            {t('open')}
          </Link>
          <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={() => void refresh()} data-testid="backup-summary-refresh" aria-label={t('refresh')} />
        </Flex>
      }
    >
      {error ? <ApiErrorView error={error} /> : null}
      {!status ? (
        error ? null : <Skeleton active aria-label={t('loading')} />
      ) : status.targets.length === 0 ? (
        <Flex vertical gap={8} align="start" data-testid="backup-summary-empty">
          <Typography.Text>{t('empty')}</Typography.Text>
          <Link to="/backups" data-testid="backup-summary-setup">
            <Button type="primary">{t('setUp')}</Button>
          </Link>
        </Flex>
      ) : (
        <Flex vertical gap={16}>
          {status.targets.map((s) => (
            <TargetSummary key={s.targetId} s={s} now={at ?? new Date()} />
          ))}
        </Flex>
      )}
    </Card>
  );
}
