import type { CallHandlers } from '../capability';
import type { SettingsStore } from './settings-store';

export const settingsCalls = (store: SettingsStore): CallHandlers<'settings.get' | 'settings.update'> => ({
  'settings.get': () => store.read(),
  'settings.update': (req) => store.update(req),
});
