import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import { HashRouter, Navigate, Route, Routes } from 'react-router-dom';
import { ApiProvider } from './api/api-context';
import { SessionProvider, useSession } from './api/session-context';
import { AppLayout } from './components/layout/AppLayout';
import { asLanguage } from './i18n/language';
import { LoginPage } from './pages/login/LoginPage';
import { HOME, ROUTES } from './routes';

/** Routes for a signed-in user; the web console shows the login page until then. */
function Shell() {
  const { state } = useSession();
  const { t } = useTranslation('login');
  if (state === 'checking') return <Spin fullscreen description={t('checking')} />;
  if (state === 'signedOut') return <LoginPage />;
  return (
    <Routes>
      <Route element={<AppLayout />}>
        {ROUTES.map((r) => (
          <Route key={r.path} path={r.path} element={r.element} />
        ))}
        <Route path="*" element={<Navigate to={HOME} replace />} />
      </Route>
    </Routes>
  );
}

/** antd follows the chosen language too (pagination, empty states, date pickers). */
function Themed({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={asLanguage(i18n.language) === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1668dc', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <ApiProvider>
      <Themed>
        <SessionProvider>
          {/* Hash routes: the same build works from file:// in Electron and from the console. */}
          <HashRouter>
            <Shell />
          </HashRouter>
        </SessionProvider>
      </Themed>
    </ApiProvider>
  );
}
