import type Docker from 'dockerode';
import { text, type HostRequirements, type LocalizedText } from '../contract';
import type { DockerEndpoint } from '../engine/docker-endpoint';
import { proxyEnv } from './checks/airgap-checks';
import { measureFs } from './collect/disk-facts';
import { collectDaemonConfig, collectDockerFacts } from './collect/docker-facts';
import { collectGpuFacts } from './collect/gpu-facts';
import { collectNetworkFacts } from './collect/network-facts';
import { runGpuSmoke } from './collect/smoke-facts';
import { collectSystemFacts } from './collect/system-facts';
import type { FactSource, HostFacts } from './facts';
import type { HostProbes } from './host-probes';

export interface CollectContext {
  docker: Docker;
  dockerEndpoint: DockerEndpoint;
  dataDir: string;
  probes: HostProbes;
  requirements: HostRequirements;
}

export const SOURCE_LABELS: Record<FactSource, LocalizedText> = {
  system: text('读取系统信息', 'Reading the system'),
  disk: text('测量磁盘', 'Measuring disks'),
  docker: text('查询 Docker 引擎', 'Asking the Docker engine'),
  daemonConfig: text('读取 Docker 配置', "Reading Docker's configuration"),
  network: text('检查网络与端口', 'Checking networks and ports'),
  gpu: text('查询 GPU（nvidia-smi）', 'Asking the GPUs (nvidia-smi)'),
  smoke: text('GPU 容器实测', 'GPU container smoke test'),
  proxy: text('读取代理设置', 'Reading proxy settings'),
};

/** Sources some other source reads from (disk needs Docker's data root, the smoke test needs both engine and GPUs). */
const DEPENDS: Partial<Record<FactSource, FactSource[]>> = { disk: ['docker'], smoke: ['docker', 'gpu'], proxy: ['docker'] };

export function closeSources(wanted: Iterable<FactSource>): FactSource[] {
  const out = new Set<FactSource>();
  const add = (s: FactSource) => {
    if (out.has(s)) return;
    out.add(s);
    (DEPENDS[s] ?? []).forEach(add);
  };
  for (const s of wanted) add(s);
  // Stable order: the order facts are reported in progress.
  return (Object.keys(SOURCE_LABELS) as FactSource[]).filter((s) => out.has(s));
}

/**
 * Collects the wanted facts: independent sources in parallel, then the ones that depend
 * on them. `onSource` fires as each source completes (progress).
 */
export async function collectFacts(ctx: CollectContext, sources: readonly FactSource[], onSource: (s: FactSource) => void): Promise<HostFacts> {
  const has = (s: FactSource) => sources.includes(s);
  const facts: HostFacts = { requirements: ctx.requirements, dataDir: ctx.dataDir };
  const done = <T>(s: FactSource, p: Promise<T>): Promise<T> => p.then((v) => (onSource(s), v));
  const p = ctx.probes;

  const dockerP = has('docker') ? done('docker', collectDockerFacts(ctx.docker, ctx.dockerEndpoint, ctx.requirements.images.map((i) => i.ref))) : undefined;
  const gpuP = has('gpu') ? done('gpu', collectGpuFacts(p)) : undefined;
  const [system, network] = await Promise.all([
    has('system') ? done('system', collectSystemFacts(p)) : undefined,
    has('network') ? done('network', collectNetworkFacts(p, ctx.requirements.ports)) : undefined,
  ]);
  if (has('daemonConfig')) facts.daemonConfig = await done('daemonConfig', Promise.resolve(collectDaemonConfig(p)));
  facts.system = system;
  facts.network = network;
  facts.docker = await dockerP;
  facts.gpu = await gpuP;

  if (has('disk')) {
    const root = facts.docker?.ok ? (facts.docker.value.info.DockerRootDir ?? '/var/lib/docker') : '/var/lib/docker';
    facts.disk = await done('disk', Promise.resolve({ dockerRoot: measureFs(p, root), dataDir: measureFs(p, ctx.dataDir) }));
  }
  if (has('proxy')) {
    const info = facts.docker?.ok ? facts.docker.value.info : null;
    facts.proxy = await done('proxy', Promise.resolve({ env: proxyEnv(p.env), docker: info ? { http: info.HttpProxy ?? '', https: info.HttpsProxy ?? '', noProxy: info.NoProxy ?? '' } : null }));
  }
  if (has('smoke')) {
    facts.smoke = await done(
      'smoke',
      facts.docker?.ok && facts.gpu
        ? runGpuSmoke(ctx.docker, facts.docker.value, facts.gpu, ctx.requirements.serviceImage)
        : Promise.resolve({ state: 'not-run' as const, reason: facts.gpu?.nvidiaSmi.state === 'ok' && facts.gpu.nvidiaSmi.report.gpus.length ? 'no-engine' : 'no-gpu', output: '' }),
    );
  }
  return facts;
}
