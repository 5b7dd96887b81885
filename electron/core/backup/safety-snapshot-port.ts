import type { SafetySnapshotPort } from '../stack/safety/safety-snapshot';
import { backupContext } from './backup-api';
import { BackupConfig } from './backup-config';
import type { BackupOptions } from './backup-context';
import { componentsFor, runBackup } from './snapshot/run-backup';
import type Docker from 'dockerode';
import type { Clock } from '../clock';
import type { StateDb } from '../state/open-state';

type Deps = { db: StateDb; dataDir: string; clock: Clock; docker: Docker; backupOptions?: BackupOptions };

/**
 * The backup engine behind the stack upgrade's safety snapshot. Rule: a snapshot is taken
 * when the backup binding's project is the stack being upgraded AND at least one target
 * exists; it goes to the first target by id (every target gets the default schedules when
 * added, so "the one a schedule uses" would not narrow it down). Profile "online": no
 * Milvus outage on top of the upgrade's own. A database the stack does not run (a stack
 * without Redis) is left out rather than failing the whole snapshot.
 */
export const backupSafetySnapshot = (deps: Deps): SafetySnapshotPort => ({
  targetFor(stack) {
    if (new BackupConfig(deps.db).stack().project !== stack) return null;
    return backupContext(deps).targets.list()[0]?.id ?? null;
  },
  async run(targetId, services, reporter) {
    const binding = new BackupConfig(deps.db).stack();
    const runs = (c: 'postgres' | 'redis') => services.includes(binding.services[c]);
    const components = componentsFor('online', binding).filter((c) => (c === 'postgres' || c === 'redis' ? runs(c) : true));
    const { setId } = await runBackup(backupContext(deps), { targetId, profile: 'online', trigger: 'safety', components }, reporter);
    return { setId };
  },
});
