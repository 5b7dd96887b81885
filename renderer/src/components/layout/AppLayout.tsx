import { MedicineBoxOutlined } from '@ant-design/icons';
import { Layout, Menu, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSavedLanguage } from '../../i18n/use-language';
import { ROUTES } from '../../routes';
import { HeaderBar } from './HeaderBar';

/** The signed-in frame: side navigation built from the route table, header, and the page. */
export function AppLayout() {
  const { t } = useTranslation(['common', ...ROUTES.map((r) => r.ns)]);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { token } = theme.useToken();
  useSavedLanguage();
  const current = ROUTES.find((r) => pathname === r.path || pathname.startsWith(`${r.path}/`));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={216} breakpoint="lg" collapsedWidth={64} theme="dark">
        <div style={{ height: 56, display: 'flex', alignItems: 'center', gap: 10, padding: '0 20px', color: '#fff', overflow: 'hidden', whiteSpace: 'nowrap' }}>
          <MedicineBoxOutlined style={{ fontSize: 20, color: token.colorPrimary }} />
          <span style={{ fontWeight: 600, fontSize: 15 }}>{t('app.short')}</span>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current ? [current.path] : []}
          onClick={({ key }) => navigate(key)}
          items={ROUTES.map((r) => ({ key: r.path, icon: r.icon, label: <span data-testid={`nav-${r.ns}`}>{t(`${r.ns}:nav`)}</span> }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
            {current ? t(`${current.ns}:title`) : t('app.title')}
          </Typography.Title>
          <HeaderBar />
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: token.colorTextTertiary, padding: '12px 24px' }}>{t('app.title')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
