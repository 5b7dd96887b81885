import { CheckCircleFilled, ClockCircleOutlined, LoadingOutlined, MinusCircleOutlined } from '@ant-design/icons';
import { Flex, Progress, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../components/progress/progress-format';
import { useOperation } from '../../../components/progress/use-operation';
import { BundleImportResult, type BundleManifest } from '../../../contract';
import { imageRows, type ImageState } from './image-progress';

const ICON: Record<ImageState, ReactNode> = {
  waiting: <ClockCircleOutlined />,
  running: <LoadingOutlined />,
  done: <CheckCircleFilled style={{ color: '#52c41a' }} />,
  skipped: <MinusCircleOutlined />,
};

/** One row per image of the import: waiting, loading with its own percent, done, or skipped (already present). */
export function ImageProgressList({ operationId, manifest }: { operationId: string; manifest: BundleManifest }) {
  const { t } = useTranslation('bundle');
  const view = useOperation(operationId);
  const result = BundleImportResult.safeParse(view.result);
  const skipped = new Set(result.success ? result.data.skipped.map((s) => s.ref) : []);
  const rows = imageRows(manifest, view.step?.index, view.bytesDone, view.bytesTotal, view.phase === 'succeeded', skipped);
  return (
    <Flex vertical gap={8} data-testid="bundle-image-progress">
      {rows.map((row) => (
        <Flex key={row.ref} align="center" gap={12} wrap data-testid={`bundle-image-${row.service}`} data-state={row.state}>
          {ICON[row.state]}
          <Typography.Text code style={{ minWidth: 320 }}>
            {row.ref}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ minWidth: 180 }}>{`${t(`image.${row.state}`)} · ${formatBytes(row.size)}`}</Typography.Text>
          <Progress percent={row.percent} size="small" style={{ width: 200, margin: 0 }} status={row.state === 'running' ? 'active' : 'normal'} />
        </Flex>
      ))}
    </Flex>
  );
}
