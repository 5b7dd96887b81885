import { Alert, Collapse, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../contract';
import { asLanguage } from '../../i18n/language';

/**
 * An error as people act on it: the stable code (for support and the troubleshooting
 * docs), the message and the remedy in the chosen language, and the technical detail
 * folded away. The ApiError carries both languages, so switching needs no new request.
 */
export function ApiErrorView({ error, title }: { error: ApiError; title?: string }) {
  const { t, i18n } = useTranslation();
  const language = asLanguage(i18n.language);
  return (
    <Alert
      type="error"
      showIcon
      data-testid="api-error"
      title={
        <span>
          {title ? <strong>{title}: </strong> : null}
          <span data-testid="api-error-message">{error.message[language]}</span>
        </span>
      }
      description={
        <div>
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            <Typography.Text type="secondary">{t('error.remedy')}: </Typography.Text>
            <span data-testid="api-error-remedy">{error.remedy[language]}</span>
          </Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: error.detail ? 8 : 0 }}>
            <Typography.Text type="secondary">{t('error.code')}: </Typography.Text>
            <Typography.Text code copyable data-testid="api-error-code">
              {error.code}
            </Typography.Text>
          </Typography.Paragraph>
          {error.detail ? (
            <Collapse
              size="small"
              ghost
              items={[
                {
                  key: 'detail',
                  label: t('error.detail'),
                  children: (
                    <Typography.Paragraph code copyable style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }} data-testid="api-error-detail">
                      {error.detail}
                    </Typography.Paragraph>
                  ),
                },
              ]}
            />
          ) : null}
        </div>
      }
    />
  );
}

/** The error of the action above it (a form, a run button), set apart from it; nothing when there is none. */
export function ErrorBlock({ error }: { error: ApiError | undefined | null }) {
  if (!error) return null;
  return (
    <div style={{ marginTop: 16 }}>
      <ApiErrorView error={error} />
    </div>
  );
}
