import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fail, type ApiError } from '../contract';
import { useFace, type Face } from './api-context';
import { SESSION_EXPIRED, sessionEvents } from './session-events';
import { webSession } from './web-session';

export type SessionState = 'checking' | 'signedOut' | 'signedIn';

interface SessionValue {
  state: SessionState;
  face: Face;
  /** Why the last check or sign-in failed (wrong token, console gone), shown on the login page. */
  error: ApiError | undefined;
  login(token: string): Promise<boolean>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * Who may use the API. The Electron window is its own session (the preload bridge is
 * only given to the app's page); the web console signs in with the console token.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const face = useFace();
  const [state, setState] = useState<SessionState>(face === 'electron' ? 'signedIn' : 'checking');
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    if (face !== 'web') return undefined;
    let live = true;
    void webSession.check().then((answer) => {
      if (!live) return;
      setState(answer.ok && answer.result.signedIn ? 'signedIn' : 'signedOut');
      setError(answer.ok ? undefined : answer.error);
    });
    const expired = () => setState('signedOut');
    sessionEvents.addEventListener(SESSION_EXPIRED, expired);
    return () => {
      live = false;
      sessionEvents.removeEventListener(SESSION_EXPIRED, expired);
    };
  }, [face]);

  const login = useCallback(async (token: string) => {
    const answer = await webSession.login(token);
    const ok = answer.ok && answer.result.signedIn;
    setError(answer.ok ? undefined : answer.error);
    if (ok) setState('signedIn');
    return ok;
  }, []);

  const logout = useCallback(async () => {
    await webSession.logout();
    setError(undefined);
    setState('signedOut');
  }, []);

  const value = useMemo(() => ({ state, face, error, login, logout }), [state, face, error, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw fail('INTERNAL', {}, 'useSession() used outside <SessionProvider>');
  return value;
}
