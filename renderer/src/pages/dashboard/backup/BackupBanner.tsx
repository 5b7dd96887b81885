import { Alert, Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { BackupStatus } from '../../../contract';
import { formatSpan, formatTime } from './backup-format';
import { useBackupStatus } from './use-backup-status';

type TargetStatus = BackupStatus['targets'][number];

function lines(s: TargetStatus, t: (key: string, o?: Record<string, unknown>) => string, lang: string): string[] {
  const out: string[] = [];
  const v = s.staleness;
  if (s.problems.includes('stale') && v) {
    const common = { age: formatSpan(v.ageMs, lang), allowed: formatSpan(v.allowedMs, lang), schedule: v.schedule, since: formatTime(v.since, lang) };
    out.push(s.lastGood ? t('banner.stale', common) : t('banner.staleNever', common));
  }
  const run = s.lastRun;
  if (s.problems.includes('last-run-failed') && run) {
    out.push(t('banner.failed', { time: formatTime(run.at, lang), state: t(`state.${run.state}`, { defaultValue: run.state }), code: run.code ? ` (${run.code})` : '' }));
  }
  return out;
}

/**
 * The top of the dashboard: one error banner per target whose newest good backup is older
 * than its schedules allow, or whose last backup run failed; each links to the Backups page.
 * Nothing at all while every target is fine or none is configured (the card says that).
 */
export function BackupBanner() {
  const { t, i18n } = useTranslation('backup-dashboard');
  const { status } = useBackupStatus();
  const troubled = status?.targets.filter((s) => s.problems.length > 0) ?? [];
  if (!troubled.length) return null;
  return (
    <Flex vertical gap={8}>
      {troubled.map((s) => (
        <Alert
          key={s.targetId}
          type="error"
          showIcon
          data-testid={`backup-banner-${s.targetId}`}
          data-problems={s.problems.join(' ')}
          title={t(s.problems.includes('stale') ? 'banner.titleStale' : 'banner.titleFailed', { target: s.targetId })}
          description={lines(s, t, i18n.language).map((l) => (
            <div key={l}>{l}</div>
          ))}
          action={
            <Link to="/backups" data-testid={`backup-banner-open-${s.targetId}`}>
              <Button size="small" danger>
                {t('banner.open')}
              </Button>
            </Link>
          }
        />
      ))}
    </Flex>
  );
}
