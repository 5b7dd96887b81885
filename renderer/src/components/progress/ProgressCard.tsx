import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OperationView } from './operation-view';
import { OperationProgress } from './OperationProgress';

/** A page's running operation in its own card; nothing when no operation is followed. */
export function ProgressCard({ operationId, onFinished }: { operationId: string | null | undefined; onFinished?: (view: OperationView) => void }) {
  const { t } = useTranslation();
  if (!operationId) return null;
  return (
    <Card title={t('progress:title')}>
      <OperationProgress key={operationId} operationId={operationId} onFinished={onFinished} />
    </Card>
  );
}
