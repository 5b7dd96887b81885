import { GlobalOutlined, LogoutOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Dropdown, Segmented, Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session-context';
import type { Language } from '../../contract';
import { useLanguage } from '../../i18n/use-language';
import { docsUrl } from './docs-links';

/** The language switch, shown in the header and on the login page. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  return (
    <Tooltip title={t('header.language')}>
      <Space size={6}>
        <GlobalOutlined aria-hidden />
        <Segmented<Language>
          size="small"
          data-testid="language-switch"
          value={language}
          onChange={(value) => void setLanguage(value)}
          options={[
            { value: 'zh-CN', label: <span data-testid="language-zh-CN">中文</span> },
            { value: 'en', label: <span data-testid="language-en">English</span> },
          ]}
        />
      </Space>
    </Tooltip>
  );
}

/** Help opens the local manuals; both languages are always offered, each named in its own language. */
export function HelpMenu() {
  const { t } = useTranslation();
  const { face } = useSession();
  const open = (language: Language) => window.open(docsUrl(face, language, window.location.href), '_blank', 'noopener');
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'zh-CN', label: <span data-testid="help-zh-CN">{t('header.helpZh')}</span> },
          { key: 'en', label: <span data-testid="help-en">{t('header.helpEn')}</span> },
        ],
        onClick: ({ key }) => open(key as Language),
      }}
    >
      <Button type="text" icon={<QuestionCircleOutlined />} data-testid="help-menu">
        {t('header.help')}
      </Button>
    </Dropdown>
  );
}

export function HeaderBar() {
  const { t } = useTranslation();
  const { face, logout } = useSession();
  return (
    <Space size="middle">
      <Tag color={face === 'web' ? 'blue' : 'green'} variant="filled">
        {face === 'web' ? t('header.console') : t('header.desktop')}
      </Tag>
      <LanguageSwitch />
      <HelpMenu />
      {face === 'web' ? (
        <Button type="text" icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
          {t('header.logout')}
        </Button>
      ) : null}
    </Space>
  );
}
