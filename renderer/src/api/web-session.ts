import { HTTP, type CallEnvelope } from '../contract';
import { readEnvelope, unreachable } from './web-client';

type SignedIn = CallEnvelope<{ signedIn: boolean }>;

const request = async (path: string, init?: RequestInit): Promise<SignedIn> => {
  try {
    const res = await fetch(path, { credentials: 'same-origin', ...init });
    return (await readEnvelope(res)) as SignedIn;
  } catch (e) {
    return { ok: false, error: unreachable(e) };
  }
};

const post = (body?: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body ?? {}),
});

/** The web console's sign-in endpoints; Electron has no sign-in (the window is the session). */
export const webSession = {
  check: () => request(HTTP.session),
  login: (token: string) => request(HTTP.login, post({ token })),
  logout: () => request(HTTP.logout, post()),
};
