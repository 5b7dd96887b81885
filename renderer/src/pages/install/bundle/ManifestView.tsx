import { Descriptions, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../components/progress/progress-format';
import type { BundleInspection } from '../../../contract';
import { asLanguage } from '../../../i18n/language';

const RELATION_COLOR = { fresh: 'blue', upgrade: 'green', same: 'default', downgrade: 'orange' } as const;

/** The signed manifest as a person reads it before trusting the file: versions, notes, images, signer. */
export function ManifestView({ inspection }: { inspection: BundleInspection }) {
  const { t, i18n } = useTranslation('bundle');
  const language = asLanguage(i18n.language);
  const m = inspection.manifest;
  return (
    <div data-testid="bundle-manifest">
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('manifest.version')}>
          <span data-testid="bundle-version">{m.bundleVersion}</span>{' '}
          <Tag color={RELATION_COLOR[inspection.relation]} data-testid="bundle-relation">
            {t(`relation.${inspection.relation}`, { installed: inspection.installedVersion ?? '' })}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('manifest.stackVersion')}>{m.stackVersion}</Descriptions.Item>
        <Descriptions.Item label={t('manifest.minUpgradeFrom')}>{m.minUpgradeFrom}</Descriptions.Item>
        <Descriptions.Item label={t('manifest.createdAt')}>{new Date(m.createdAt).toLocaleString(language)}</Descriptions.Item>
        <Descriptions.Item label={t('manifest.signer')} span={2}>
          <span data-testid="bundle-signer">{inspection.signer.name}</span>{' '}
          <Typography.Text type="secondary" code copyable={{ text: inspection.signer.keyId }}>
            {inspection.signer.keyId.slice(0, 16)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('manifest.fileSize')} span={2}>
          {formatBytes(inspection.fileSize)}
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('manifest.releaseNotes')}
      </Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="bundle-release-notes">
        {m.releaseNotes[language]}
      </Typography.Paragraph>

      <Table
        size="small"
        pagination={false}
        rowKey="ref"
        data-testid="bundle-images"
        dataSource={m.images}
        columns={[
          { title: t('manifest.service'), dataIndex: 'service' },
          { title: t('manifest.image'), dataIndex: 'ref', render: (ref: string) => <Typography.Text code>{ref}</Typography.Text> },
          { title: t('manifest.imageId'), dataIndex: 'id', render: (id: string) => <Typography.Text type="secondary">{id.slice(7, 19)}</Typography.Text> },
          { title: t('manifest.size'), dataIndex: 'size', align: 'right', render: (n: number) => formatBytes(n) },
          { title: t('manifest.unpacked'), dataIndex: 'unpackedSize', align: 'right', render: (n: number) => formatBytes(n) },
        ]}
      />
      {m.models.length ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="bundle-models">
          {t('manifest.models', { count: m.models.length, size: formatBytes(m.models.reduce((a, x) => a + x.size, 0)) })}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
