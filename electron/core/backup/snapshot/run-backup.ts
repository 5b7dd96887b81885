import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import { text, toApiError, type BackupComponentName, type ComponentManifest, type ProgressUpdate, type SnapshotManifest } from '../../contract';
import type { BackupContext } from '../backup-context';
import { BackupConfig } from '../backup-config';
import { RunsStore } from '../runs-store';
import type { ComponentBackup, ComponentEnv } from './component';
import { backupFolder, backupManagerState } from './files-backup';
import { backupMilvus } from './milvus-backup';
import { pgBaseLookup } from './pg-base-lookup';
import { backupPostgres } from './postgres-backup';
import { backupRedis } from './redis-backup';
import { setTag, TAG } from './backup-sets';

export interface RunBackupRequest {
  targetId: string;
  profile: 'full' | 'online';
  components?: BackupComponentName[];
  trigger?: 'manual' | 'schedule' | 'safety' | 'drill';
  scheduleName?: string | null;
  /** Faked snapshot time (retention tests). */
  time?: Date;
}

interface Reporter {
  progress(u: ProgressUpdate): void;
  signal: AbortSignal;
}

/** Which components a profile takes: "online" skips what needs an outage (Milvus). */
export function componentsFor(
  profile: 'full' | 'online',
  binding: { configDir: string | null; modelsDir: string | null; services?: { milvus?: string | null } },
): BackupComponentName[] {
  const list: BackupComponentName[] = ['postgres', 'redis', 'manager'];
  if (binding.configDir) list.push('config');
  if (profile === 'full' && binding.modelsDir) list.push('models');
  if (profile === 'full' && binding.services?.milvus) list.push('milvus');
  return list;
}

export const newSetId = (at: Date): string => `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;

/**
 * One backup run: every component into the target's repository under one set tag, then the
 * manifest, last. One job per repository (lock); a run that fails leaves no manifest, so
 * its set is listed as incomplete and removed at the next prune.
 */
export async function runBackup(ctx: BackupContext, req: RunBackupRequest, op: Reporter): Promise<{ setId: string; manifest: SnapshotManifest }> {
  ctx.targets.get(req.targetId);
  const config = new BackupConfig(ctx.db);
  const binding = config.stack();
  const names = req.components ?? componentsFor(req.profile, binding);
  const table: Record<BackupComponentName, ComponentBackup> = {
    postgres: backupPostgres,
    redis: backupRedis,
    manager: backupManagerState,
    config: backupFolder('config', () => binding.configDir),
    models: backupFolder('models', () => binding.modelsDir),
    milvus: backupMilvus,
  };
  const runs = new RunsStore(ctx.db);
  const started = ctx.clock.now();
  const setId = newSetId(req.time ?? started);
  const host = ctx.options.host ?? os.hostname();
  return ctx.locks.with(req.targetId, 'backup', async () => {
    const listing = new AbortController();
    const runId = runs.start({ targetId: req.targetId, kind: 'backup', trigger: req.trigger ?? 'manual', scheduleName: req.scheduleName, at: started.toISOString(), setId });
    try {
      const repo = ctx.repo(req.targetId);
      // Hourly (online) runs store PostgreSQL as a differential against the newest full dump;
      // daily (full) runs and the safety copy before a restore are always whole.
      const pgBaseFor = req.profile === 'online' && req.trigger !== 'safety' && names.includes('postgres') ? pgBaseLookup(repo, runs, binding.project, listing.signal) : null;
      // Fail fast and clearly when the target is away, before touching the stack.
      const probe = await repo.probe(undefined, { clearStaleLocks: true });
      if (probe.code !== 0) throw repo.error('connect', probe);
      const total = names.length + 1;
      const components: ComponentManifest[] = [];
      let added = 0;
      let dataAdded = 0;
      const baseTags = [TAG, setTag(setId), `stack:${binding.project}`, `version:${binding.version}`, `trigger:${req.trigger ?? 'manual'}`, ...(req.scheduleName ? [`schedule:${req.scheduleName}`] : [])];
      for (const [index, name] of names.entries()) {
        const step = { id: `backup-${name}`, label: text(`备份 ${name}`, `Back up ${name}`), index, count: total };
        op.progress({ step, percent: Math.round((index / total) * 100) });
        const body = table[name];
        const env: ComponentEnv = {
          ...(pgBaseFor ? { pgBaseFor } : {}),
          repo,
          docker: ctx.docker,
          db: ctx.db,
          dataDir: ctx.dataDir,
          binding,
          common: (component, item) => ({ tags: [...baseTags, `component:${component}`, ...(item ? [`item:${item}`] : [])], host, time: req.time, signal: op.signal }),
          progress: (p) => op.progress({ step, ...p }),
          added: (n) => (dataAdded += n),
          signal: op.signal,
        };
        const t0 = Date.now();
        const result = await body(env);
        components.push({ ...result, durationMs: Date.now() - t0 });
        added += result.items.reduce((a, i) => a + i.bytes, 0);
      }
      const ended = ctx.clock.now();
      const manifest: SnapshotManifest = {
        format: 1,
        setId,
        stackProject: binding.project,
        stackVersion: binding.version,
        managerVersion: ctx.options.managerVersion ?? '0.0.0',
        host,
        profile: req.profile,
        startedAt: (req.time ?? started).toISOString(),
        endedAt: ended.toISOString(),
        durationMs: ended.getTime() - started.getTime(),
        components,
        totalBytes: added,
        addedBytes: dataAdded,
      };
      op.progress({ step: { id: 'manifest', label: text('写入快照清单', 'Write the snapshot manifest'), index: total - 1, count: total }, percent: 95 });
      await repo.backupStream('manifest.json', Readable.from([Buffer.from(JSON.stringify(manifest, null, 2))]), {
        tags: [...baseTags, 'component:manifest'],
        host,
        time: req.time,
      });
      runs.finish(runId, ctx.clock.now().toISOString(), { ok: true, summary: manifest, setId });
      return { setId, manifest };
    } catch (e) {
      listing.abort();
      runs.finish(runId, ctx.clock.now().toISOString(), { ok: false, error: toApiError(e) });
      throw e;
    }
  });
}
