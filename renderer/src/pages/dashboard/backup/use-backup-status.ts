import { useEffect, useSyncExternalStore } from 'react';
import { useApi } from '../../../api/api-context';
import type { ApiClient, ApiError, BackupStatus } from '../../../contract';

export type BackupStatusState = { status?: BackupStatus; error?: ApiError; at?: Date; loading: boolean };

/** Often enough that "next run" and an overdue backup show without a reload; the call is local SQLite. */
const POLL_MS = 30_000;

/**
 * One backup.status answer shared by the dashboard's banner and card, so the two never
 * disagree and a refresh from either updates both.
 */
class StatusStore {
  private state: BackupStatusState = { loading: true };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly api: ApiClient) {}

  get = (): BackupStatusState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      void this.refresh();
      this.timer = setInterval(() => void this.refresh(), POLL_MS);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) clearInterval(this.timer);
    };
  };

  refresh = (): Promise<void> =>
    (this.inFlight ??= (async () => {
      this.set({ ...this.state, loading: true });
      const answer = await this.api.call('backup.status', {});
      this.set(answer.ok ? { status: answer.result, at: new Date(), loading: false } : { status: this.state.status, error: answer.error, at: new Date(), loading: false });
      this.inFlight = undefined;
    })());

  private set(next: BackupStatusState): void {
    this.state = next;
    this.listeners.forEach((l) => l());
  }
}

const stores = new WeakMap<ApiClient, StatusStore>();

export function useBackupStatus(): BackupStatusState & { refresh: () => Promise<void> } {
  const api = useApi();
  let store = stores.get(api);
  if (!store) stores.set(api, (store = new StatusStore(api)));
  const state = useSyncExternalStore(store.subscribe, store.get);
  // A remount (back to the dashboard) asks again rather than showing the last visit's answer.
  useEffect(() => {
    void store.refresh();
  }, [store]);
  return { ...state, refresh: store.refresh };
}
