import { toApiError, type ApiError, type ProgressUpdate } from '../../contract';

/**
 * The off-box half of the pre-upgrade safety backup: a snapshot through the backup engine
 * into a configured target. The stack capability only knows this small interface; core.ts
 * wires it to the backup engine, so stack/ never imports backup/ internals.
 */
export interface SafetySnapshotPort {
  /** The target a safety snapshot of `stack` goes to, or null when none is configured for it. */
  targetFor(stack: string): string | null;
  /**
   * Runs the snapshot (profile "online", trigger "safety") of the components this stack
   * runs (`services`: its Compose service names); answers its set id or throws a CoreError.
   */
  run(targetId: string, services: string[], reporter: { progress(u: ProgressUpdate): void; signal: AbortSignal }): Promise<{ setId: string }>;
}

export type SafetySnapshotOutcome = { targetId: string; setId: string } | { targetId: string; error: ApiError };

/**
 * Never throws: the local pg_dump already protects the automatic rollback, so an off-box
 * snapshot that fails (target away, repository locked) is reported, not fatal. Only its log
 * lines and byte counts are forwarded: its own step numbering would overwrite the upgrade's.
 */
export async function takeSafetySnapshot(
  port: SafetySnapshotPort,
  targetId: string,
  services: string[],
  reporter: { progress(u: ProgressUpdate): void; signal: AbortSignal },
  log: (line: string) => void,
): Promise<SafetySnapshotOutcome> {
  const forward = {
    signal: reporter.signal,
    progress: (u: ProgressUpdate) => {
      if (u.log) log(`safety snapshot: ${u.log}`);
      if (u.bytesDone !== undefined) reporter.progress({ bytesDone: u.bytesDone, ...(u.bytesTotal !== undefined ? { bytesTotal: u.bytesTotal } : {}) });
    },
  };
  try {
    const { setId } = await port.run(targetId, services, forward);
    log(`safety snapshot: set ${setId} in target ${targetId}`);
    return { targetId, setId };
  } catch (e) {
    const error = toApiError(e);
    log(`safety snapshot into target ${targetId} failed, the upgrade goes on with the local safety backup: ${error.code}: ${error.message.en}${error.detail ? ` (${error.detail})` : ''}`);
    return { targetId, error };
  }
}
