/**
 * The API key the Dashboard sends to read the service's /metrics (the service guards it
 * like any API route). Kept in this browser tab's session storage only: it is a secret, so
 * it is neither saved by the manager nor kept after the tab closes, and never shown again.
 */
const STORAGE = 'medai.service.metricsKey';

export function readMetricsKey(): string | undefined {
  return sessionStorage.getItem(STORAGE) ?? undefined;
}

export function saveMetricsKey(key: string): void {
  sessionStorage.setItem(STORAGE, key);
}

export function forgetMetricsKey(): void {
  sessionStorage.removeItem(STORAGE);
}
