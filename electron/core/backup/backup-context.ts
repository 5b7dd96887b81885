import type Docker from 'dockerode';
import path from 'node:path';
import type { Clock } from '../clock';
import type { StateDb } from '../state/open-state';
import { makeRedactor } from './redact';
import { RepoLocks } from './repo-lock';
import { findRestic } from './restic/restic-binary';
import { ResticRepo } from './restic/restic-repo';
import { spawnResticRunner, type ResticRunner } from './restic/restic-runner';
import { repoAccess } from './targets/target-access';
import { TargetSecrets } from './targets/target-secrets';
import { TargetStore } from './targets/target-store';

/** What tests may replace: the restic binary and how it is started. */
export interface BackupOptions {
  resticBinary?: string;
  runner?: ResticRunner;
  /** The manager's own version, recorded in each manifest. */
  managerVersion?: string;
  /** Host name recorded in snapshots; default os.hostname(). */
  host?: string;
}

/** The edges every backup module acts through, built once per core. */
export class BackupContext {
  readonly targets: TargetStore;
  readonly locks: RepoLocks;
  private binary: string | undefined;

  constructor(
    readonly db: StateDb,
    readonly dataDir: string,
    readonly clock: Clock,
    readonly docker: Docker,
    readonly options: BackupOptions = {},
  ) {
    this.targets = new TargetStore(db);
    this.locks = new RepoLocks(db, clock);
  }

  resticBinary(): string {
    return (this.binary ??= this.options.resticBinary ?? findRestic());
  }

  secrets(id: string): TargetSecrets {
    return TargetSecrets.forTarget(this.dataDir, id);
  }

  get cacheDir(): string {
    return path.join(this.dataDir, 'backup', 'cache');
  }

  redactorFor(id: string): (s: string) => string {
    return makeRedactor(this.secrets(id).values());
  }

  /** The repository of a configured target. */
  repo(id: string): ResticRepo {
    const t = this.targets.get(id);
    const secrets = this.secrets(id);
    return new ResticRepo(repoAccess(id, t.location, secrets, this.cacheDir), this.options.runner ?? spawnResticRunner, this.resticBinary(), makeRedactor(secrets.values()));
  }
}
