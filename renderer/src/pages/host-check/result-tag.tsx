import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HostCheckResult } from '../../contract';

export const RESULT_COLORS: Record<HostCheckResult, string> = { pass: 'success', warn: 'warning', fail: 'error', error: 'default' };

export function ResultTag({ result }: { result: HostCheckResult }) {
  const { t } = useTranslation('host-check');
  return (
    <Tag color={RESULT_COLORS[result]} data-testid={`result-tag-${result}`}>
      {t(`results.${result}`)}
    </Tag>
  );
}
