import { App } from 'antd';
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { useSession } from '../api/session-context';
import type { Language } from '../contract';
import { asLanguage } from './language';

// A choice made on the login page cannot be saved yet (no session); it wins once signed in.
let choiceBeforeSignIn: Language | undefined;

/** The current language and a setter that also saves it for every face (settings.update). */
export function useLanguage(): { language: Language; setLanguage(language: Language): Promise<void> } {
  const { i18n, t } = useTranslation();
  const api = useApi();
  const { state } = useSession();
  const { message } = App.useApp();

  const setLanguage = useCallback(
    async (language: Language) => {
      await i18n.changeLanguage(language);
      if (state !== 'signedIn') {
        choiceBeforeSignIn = language;
        return;
      }
      const saved = await api.call('settings.update', { language });
      if (!saved.ok) void message.warning(t('languageSaveFailed'));
    },
    [api, i18n, message, state, t],
  );
  return { language: asLanguage(i18n.language), setLanguage };
}

/** Once signed in: apply the saved language, or save the one chosen before signing in. */
export function useSavedLanguage(): void {
  const { i18n } = useTranslation();
  const api = useApi();
  const { state } = useSession();
  useEffect(() => {
    if (state !== 'signedIn') return undefined;
    let live = true;
    const chosen = choiceBeforeSignIn;
    choiceBeforeSignIn = undefined;
    if (chosen) {
      void api.call('settings.update', { language: chosen });
      return undefined;
    }
    void api.call('settings.get', {}).then((answer) => {
      if (live && answer.ok && answer.result.language && answer.result.language !== i18n.language) void i18n.changeLanguage(answer.result.language);
    });
    return () => {
      live = false;
    };
  }, [api, i18n, state]);
}
