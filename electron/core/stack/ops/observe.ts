import type Docker from 'dockerode';
import type { OperationId, StackLogs, StackServiceStatus, StackStatus } from '../../contract';
import type { StateDb } from '../../state/open-state';
import { LABEL } from '../engine/compose-labels';
import { engine, projectContainers, type EngineAccess } from '../engine/engine-access';
import { demuxLogs } from '../engine/log-frames';
import { preflight } from '../engine/preflight';
import { loadVersionModel } from '../files/stack-files';
import { StackStore } from '../state/stack-store';
import { StepJournal } from '../state/step-journal';

interface Stats {
  cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; limit?: number; stats?: { inactive_file?: number } };
}

/** CPU % the way `docker stats` computes it, memory without page cache. */
function fromStats(s: Stats): { cpuPercent: number | null; memoryBytes: number | null; memoryLimitBytes: number | null } {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus ?? 1;
  const cpuPercent = sysDelta > 0 && cpuDelta >= 0 ? Math.round((cpuDelta / sysDelta) * cpus * 10000) / 100 : null;
  const usage = s.memory_stats.usage;
  return { cpuPercent, memoryBytes: usage === undefined ? null : usage - (s.memory_stats.stats?.inactive_file ?? 0), memoryLimitBytes: s.memory_stats.limit ?? null };
}

async function serviceStatus(access: EngineAccess, c: Docker.ContainerInfo): Promise<StackServiceStatus> {
  const container = access.docker.getContainer(c.Id);
  const info = await engine(access, () => container.inspect());
  const stats = info.State.Running ? fromStats((await engine(access, () => container.stats({ stream: false }))) as unknown as Stats) : { cpuPercent: null, memoryBytes: null, memoryLimitBytes: null };
  return {
    service: c.Labels[LABEL.service] ?? c.Names[0] ?? c.Id,
    containerId: c.Id,
    state: info.State.Status,
    health: info.State.Health?.Status ?? null,
    restartCount: (info as { RestartCount?: number }).RestartCount ?? 0,
    ...stats,
    image: c.Labels['com.docker.compose.image'] ?? c.Image,
    version: c.Labels[LABEL.stackVersion] ?? null,
  };
}

/** Containers, health, restart counts, CPU and memory of each service, and any unfinished operation. */
export async function stackStatus(access: EngineAccess, db: StateDb, stack: string): Promise<StackStatus> {
  const store = new StackStore(db);
  const install = store.install(stack);
  const containers = (await projectContainers(access, stack)).filter((c) => c.Labels[LABEL.oneoff] !== 'True');
  const services = await Promise.all(containers.map((c) => serviceStatus(access, c)));
  services.sort((a, b) => a.service.localeCompare(b.service));
  const open = store.openOperation(stack);
  return {
    stack,
    installed: install?.state === 'installed',
    version: install?.state === 'installed' ? install.currentVersion : null,
    config: install?.config ?? null,
    openOperation: open ? { operationId: open.operationId as OperationId, kind: open.kind, fromVersion: open.fromVersion, toVersion: open.toVersion, lastStep: StepJournal.lastStep(db, open.operationId) } : null,
    services,
  };
}

/** Recent log lines of one or every service (timestamps from the engine), optionally filtered. */
export async function stackLogs(access: EngineAccess, stack: string, opts: { service?: string; tail: number; since?: number; filter?: string }): Promise<StackLogs> {
  const containers = (await projectContainers(access, stack)).filter((c) => c.Labels[LABEL.oneoff] !== 'True' && (!opts.service || c.Labels[LABEL.service] === opts.service));
  const lines: StackLogs['lines'] = [];
  const until = Math.floor(Date.now() / 1000);
  for (const c of containers) {
    const buf = (await engine(access, () =>
      access.docker.getContainer(c.Id).logs({ stdout: true, stderr: true, timestamps: true, tail: opts.tail, ...(opts.since !== undefined ? { since: opts.since } : {}), until, follow: false }),
    )) as unknown as Buffer;
    for (const frame of demuxLogs(buf)) {
      for (const raw of frame.text.split('\n')) {
        if (!raw) continue;
        const sp = raw.indexOf(' ');
        const line = { service: c.Labels[LABEL.service] ?? c.Id, at: raw.slice(0, sp), text: raw.slice(sp + 1) };
        if (!opts.filter || line.text.toLowerCase().includes(opts.filter.toLowerCase())) lines.push(line);
      }
    }
  }
  lines.sort((a, b) => a.at.localeCompare(b.at));
  return { lines: lines.slice(-opts.tail), until };
}

/** Every version deployed here, and whether a rollback to it is possible now. */
export async function stackHistory(access: EngineAccess, db: StateDb, stack: string) {
  const store = new StackStore(db);
  const current = store.install(stack);
  const out = [];
  for (const v of store.versions(stack)) {
    let imagesPresent = true;
    try {
      const model = loadVersionModel(v.stackDir);
      await preflight(access, stack, { ...model, volumes: [], services: model.services.map((s) => ({ ...s, ports: [] })) });
    } catch {
      imagesPresent = false;
    }
    out.push({
      version: v.version,
      firstDeployedAt: v.firstDeployedAt,
      lastDeployedAt: v.lastDeployedAt,
      current: current?.state === 'installed' && current.currentVersion === v.version,
      imagesPresent,
      safetyBackupAt: v.safetyBackupAt,
    });
  }
  return out;
}
