import {
  CloudUploadOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DownloadOutlined,
  HistoryOutlined,
  KeyOutlined,
  MedicineBoxOutlined,
  RollbackOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { BackupsPage } from './pages/backups/BackupsPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { HostCheckPage } from './pages/host-check/HostCheckPage';
import { InstallPage } from './pages/install/InstallPage';
import { RestorePage } from './pages/restore/RestorePage';
import { RollbackPage } from './pages/rollback/RollbackPage';
import { ServiceKeysPage } from './pages/service-keys/ServiceKeysPage';
import { SupportPage } from './pages/support/SupportPage';
import { UpgradePage } from './pages/upgrade/UpgradePage';

/** A page: its URL, its i18n namespace (which holds its `nav` and `title`), icon and component. */
export interface PageRoute {
  path: string;
  ns: string;
  icon: ReactNode;
  element: ReactNode;
}

// One line per page, in navigation order.
export const ROUTES: PageRoute[] = [
  { path: '/dashboard', ns: 'dashboard', icon: <DashboardOutlined />, element: <DashboardPage /> },
  { path: '/host-check', ns: 'host-check', icon: <SafetyCertificateOutlined />, element: <HostCheckPage /> },
  { path: '/install', ns: 'install', icon: <DownloadOutlined />, element: <InstallPage /> },
  { path: '/upgrade', ns: 'upgrade', icon: <CloudUploadOutlined />, element: <UpgradePage /> },
  { path: '/backups', ns: 'backups', icon: <DatabaseOutlined />, element: <BackupsPage /> },
  { path: '/restore', ns: 'restore', icon: <HistoryOutlined />, element: <RestorePage /> },
  { path: '/rollback', ns: 'rollback', icon: <RollbackOutlined />, element: <RollbackPage /> },
  { path: '/service-keys', ns: 'service-keys', icon: <KeyOutlined />, element: <ServiceKeysPage /> },
  { path: '/support', ns: 'support', icon: <MedicineBoxOutlined />, element: <SupportPage /> },
];

export const HOME = '/dashboard';
