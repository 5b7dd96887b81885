import { LockOutlined, MedicineBoxOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../../api/session-context';
import { ApiErrorView } from '../../components/error/ApiErrorView';
import { HelpMenu, LanguageSwitch } from '../../components/layout/HeaderBar';
import { HOME } from '../../routes';

/** Web console only: sign in with the token `medai console` printed (Electron never shows this). */
export function LoginPage() {
  const { t } = useTranslation(['login', 'common']);
  const { login, error } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const { token } = theme.useToken();

  const submit = async ({ token: value }: { token: string }) => {
    setBusy(true);
    const ok = await login(value.trim());
    setBusy(false);
    if (ok) navigate(HOME);
  };

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: token.colorBgLayout, padding: 24 }}>
      <Card style={{ width: 440, maxWidth: '100%' }} data-testid="login-page">
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <Flex align="center" gap={8}>
            <MedicineBoxOutlined style={{ fontSize: 22, color: token.colorPrimary }} />
            <Typography.Text strong>{t('common:app.title')}</Typography.Text>
          </Flex>
          <LanguageSwitch />
        </Flex>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="token" label={t('tokenLabel')} rules={[{ required: true, whitespace: true, message: t('tokenRequired') }]} extra={t('tokenHint')}>
            <Input.Password prefix={<LockOutlined />} placeholder={t('tokenPlaceholder')} autoComplete="current-password" autoFocus data-testid="login-token" />
          </Form.Item>
          {error ? (
            <div style={{ marginBottom: 16 }}>
              <ApiErrorView error={error} />
            </div>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('submit')}
          </Button>
        </Form>
        <Flex justify="center" style={{ marginTop: 12 }}>
          <HelpMenu />
        </Flex>
      </Card>
    </Flex>
  );
}
