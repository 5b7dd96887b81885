import type Docker from 'dockerode';
import type { ComponentManifest, PgBase, ProgressUpdate, StackBinding } from '../../contract';
import type { BackupCommon, ResticRepo } from '../restic/restic-repo';
import type { StateDb } from '../../state/open-state';

/** What each component's backup gets: the repository, the engine, and how to tag. */
export interface ComponentEnv {
  repo: ResticRepo;
  docker: Docker;
  db: StateDb;
  dataDir: string;
  binding: StackBinding;
  /** Tags and host for a snapshot of `component`; all snapshots of a run share the set tag. */
  common(component: string, item?: string): BackupCommon;
  progress(p: Pick<ProgressUpdate, 'percent' | 'bytesDone' | 'bytesTotal' | 'log'>): void;
  signal: AbortSignal;
  /** Bytes this run added to the repository after dedup and compression. */
  added(bytes: number): void;
  /**
   * The full dump a differential of `db` may be taken against (hourly runs only), or null:
   * then the database is dumped whole.
   */
  pgBaseFor?(db: string): Promise<PgBaseRef | null>;
}

/** A full PostgreSQL dump in a good set of this target, as a differential's base. */
export interface PgBaseRef {
  setId: string;
  snapshotId: string;
  file: string;
  base: PgBase;
}

export type ComponentBackup = (env: ComponentEnv) => Promise<Omit<ComponentManifest, 'durationMs'>>;
