/**
 * Decides which Host and Origin headers the console answers. A page on another site can
 * make the browser send requests to 127.0.0.1 (CSRF) or rebind its own name to it (DNS
 * rebinding); checking both headers closes both doors.
 */
export interface RequestGuard {
  hostAllowed(host: string | undefined): boolean;
  originAllowed(origin: string | undefined): boolean;
}

export function createRequestGuard(port: number, extraHosts: string[] = []): RequestGuard {
  const hosts = new Set(['127.0.0.1', 'localhost', '[::1]', ...extraHosts].map((h) => `${h}:${port}`));
  return {
    hostAllowed: (host) => host !== undefined && hosts.has(host.toLowerCase()),
    // Same-origin fetches from the console's own page carry its origin; tools like curl send none.
    originAllowed: (origin) => origin === undefined || [...hosts].some((h) => origin.toLowerCase() === `http://${h}`),
  };
}
