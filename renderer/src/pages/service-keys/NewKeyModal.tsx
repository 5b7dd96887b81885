import { Alert, Button, Flex, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface NewKey {
  id: string;
  name: string;
  key: string;
}

/**
 * The one moment a new key is visible: the service stores only its hash, so once this
 * closes nobody can show it again. Closing drops it from the page's state.
 */
export function NewKeyModal({ created, onClose }: { created: NewKey | undefined; onClose: () => void }) {
  const { t } = useTranslation('service-keys');
  return (
    <Modal
      open={!!created}
      title={t('created.title', { name: created?.name ?? '' })}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="service-key-created-close">
          {t('created.done')}
        </Button>
      }
    >
      {created ? (
        <Flex vertical gap={16} data-testid="service-key-created">
          <Alert type="warning" showIcon title={t('created.once')} data-testid="service-key-once" />
          <Typography.Paragraph copyable={{ text: created.key }} code style={{ wordBreak: 'break-all', marginBottom: 0 }}>
            <span data-testid="service-key-value">{created.key}</span>
          </Typography.Paragraph>
          <Typography.Text type="secondary">{t('created.id', { id: created.id })}</Typography.Text>
        </Flex>
      ) : null}
    </Modal>
  );
}
