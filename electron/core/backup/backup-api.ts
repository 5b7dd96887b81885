import type Docker from 'dockerode';
import type { CallHandlers, OperationBodies } from '../capability';
import type { Clock } from '../clock';
import type { StateDb } from '../state/open-state';
import { BackupContext, type BackupOptions } from './backup-context';
import { BackupConfig } from './backup-config';
import { backupStatus } from './backup-status';
import { runRestore } from './restore/run-restore';
import { RunsStore } from './runs-store';
import { applyRetention, previewRetention } from './schedule/retention';
import { ScheduleStore } from './schedule/schedule-store';
import { listSets } from './snapshot/backup-sets';
import { runBackup } from './snapshot/run-backup';
import { addTarget, listTargets, removeTarget, testTarget, updateTarget } from './targets/targets-service';

type Deps = { db: StateDb; dataDir: string; clock: Clock; docker: Docker; backupOptions?: BackupOptions };

type BackupCallNames =
  | 'backup.targets.list'
  | 'backup.targets.add'
  | 'backup.targets.update'
  | 'backup.targets.remove'
  | 'backup.targets.test'
  | 'backup.snapshots.list'
  | 'backup.schedules.get'
  | 'backup.schedules.set'
  | 'backup.keep.get'
  | 'backup.keep.set'
  | 'backup.retention.preview'
  | 'backup.history'
  | 'backup.status'
  | 'backup.stack.get'
  | 'backup.stack.set'
  | 'backup.alerts.get'
  | 'backup.alerts.set'
  | 'backup.unlock';

const contexts = new WeakMap<StateDb, BackupContext>();
export const backupContext = (deps: Deps): BackupContext => {
  let ctx = contexts.get(deps.db);
  if (!ctx) contexts.set(deps.db, (ctx = new BackupContext(deps.db, deps.dataDir, deps.clock, deps.docker, deps.backupOptions)));
  return ctx;
};

export const backupCalls = (deps: Deps): CallHandlers<BackupCallNames> => {
  const ctx = () => backupContext(deps);
  const config = () => new BackupConfig(deps.db);
  const schedules = () => new ScheduleStore(deps.db);
  return {
    'backup.targets.list': () => listTargets(ctx()),
    'backup.targets.add': async (req) => {
      const result = await addTarget(ctx(), req);
      schedules().setDefaults(req.id, deps.clock.now());
      return result;
    },
    'backup.targets.update': (req) => updateTarget(ctx(), req),
    'backup.targets.remove': (req) => removeTarget(ctx(), req.targetId),
    'backup.targets.test': (req) => testTarget(ctx(), req.targetId),
    'backup.snapshots.list': async (req) => {
      const runs = new RunsStore(deps.db);
      const sets = await listSets(ctx().repo(req.targetId));
      return sets.map((s) => ({ ...s, manifest: (runs.manifestFor(s.setId) as never) ?? null }));
    },
    'backup.schedules.get': (req) => {
      ctx().targets.get(req.targetId);
      return schedules().list(req.targetId).map(({ targetId: _t, lastDueAt: _l, ...s }) => s);
    },
    'backup.schedules.set': (req) => {
      ctx().targets.get(req.targetId);
      return schedules().set(req.targetId, req.schedules, deps.clock.now()).map(({ targetId: _t, lastDueAt: _l, ...s }) => s);
    },
    'backup.keep.get': (req) => config().keep(req.targetId),
    'backup.keep.set': (req) => {
      ctx().targets.get(req.targetId);
      return config().setKeep(req.targetId, req.keep);
    },
    'backup.retention.preview': (req) => previewRetention(ctx(), req.targetId),
    'backup.history': (req) => new RunsStore(deps.db).list({ targetId: req.targetId, kind: req.kind, limit: req.limit }),
    'backup.status': () => backupStatus(ctx()),
    'backup.stack.get': () => config().stack(),
    'backup.stack.set': (req) => config().setStack(req),
    'backup.alerts.get': () => config().alerts(),
    'backup.alerts.set': (req) => config().setAlerts(req),
    'backup.unlock': async (req) => {
      await ctx().repo(req.targetId).unlock();
      return { unlocked: true as const };
    },
  };
};

export const backupOperations = (deps: Deps): OperationBodies<'backup.run' | 'backup.verify' | 'backup.prune' | 'backup.restore'> => {
  const ctx = () => backupContext(deps);
  return {
    'backup.run': (req, op) => runBackup(ctx(), { targetId: req.targetId, profile: req.profile, components: req.components }, op),
    'backup.verify': (req, op) =>
      ctx().locks.with(req.targetId, 'verify', async () => {
        op.progress({ log: `restic check --read-data-subset=${req.readDataPercent}%` });
        return ctx().repo(req.targetId).check(req.readDataPercent);
      }),
    'backup.prune': (req) => applyRetention(ctx(), req.targetId, { prune: true }),
    'backup.restore': (req, op) => runRestore(ctx(), req, op),
  };
};
