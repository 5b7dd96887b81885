import type Docker from 'dockerode';
import type { ServiceSpec, StackModel } from '../compose/stack-model';
import { containerName, LABEL, networkName, projectLabels, volumeName } from './compose-labels';

export interface ContainerPlan {
  project: string;
  model: StackModel;
  service: ServiceSpec;
  imageId: string;
  configHash: string;
  stackVersion: string;
  /** Off: GPU reservations are dropped (a host without the NVIDIA runtime, or the user said no). */
  gpu: boolean;
  /** Defaults to the service's usual name; a replacement is created under a temporary one. */
  name?: string;
}

// Logs rotate by default: an unbounded json-file log is how a hospital disk fills up.
const DEFAULT_LOGGING = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } };

/** The Engine API create request for one service container, with the Compose labels. */
export function containerCreateOptions(plan: ContainerPlan): Docker.ContainerCreateOptions {
  const { project, model, service: s } = plan;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of s.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  const labels: Record<string, string> = {
    ...s.labels,
    ...projectLabels(project, model.file),
    [LABEL.service]: s.name,
    [LABEL.number]: '1',
    [LABEL.oneoff]: 'False',
    [LABEL.configHash]: plan.configHash,
    [LABEL.image]: plan.imageId,
    [LABEL.stackVersion]: plan.stackVersion,
  };
  if (s.dependsOn.length) labels[LABEL.dependsOn] = s.dependsOn.map((d) => `${d.service}:${d.condition}:false`).join(',');
  const firstNetwork = s.networks[0] ?? 'default';
  const hc = s.healthcheck;
  const host: Docker.HostConfig = {
    PortBindings: bindings,
    Mounts: s.mounts.map((m) => ({
      Type: m.type,
      Source: m.type === 'volume' ? volumeName(project, m.source) : m.source,
      Target: m.target,
      ReadOnly: m.readOnly,
    })),
    RestartPolicy: { Name: s.restart === 'no' ? '' : s.restart },
    LogConfig: s.logging ? { Type: s.logging.driver, Config: s.logging.options } : DEFAULT_LOGGING,
    NetworkMode: networkName(project, firstNetwork),
    Ulimits: s.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
  };
  if (s.resources.memoryBytes !== undefined) host.Memory = s.resources.memoryBytes;
  if (s.resources.memoryReservationBytes !== undefined) host.MemoryReservation = s.resources.memoryReservationBytes;
  if (s.resources.nanoCpus !== undefined) host.NanoCpus = s.resources.nanoCpus;
  if (s.shmSizeBytes !== undefined) host.ShmSize = s.shmSizeBytes;
  if (s.resources.pidsLimit !== undefined) host.PidsLimit = s.resources.pidsLimit;
  if (plan.gpu && s.resources.gpus.length) {
    host.DeviceRequests = s.resources.gpus.map((g) => ({
      Driver: g.driver,
      Count: g.count,
      DeviceIDs: g.deviceIds.length ? g.deviceIds : undefined,
      Capabilities: [g.capabilities],
    }));
  }
  const opts: Docker.ContainerCreateOptions = {
    name: plan.name ?? containerName(project, s.name),
    Image: plan.imageId,
    Env: Object.entries(s.environment).map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    ExposedPorts: exposed,
    HostConfig: host,
    NetworkingConfig: { EndpointsConfig: { [networkName(project, firstNetwork)]: { Aliases: [s.name] } } },
  };
  if (s.command) opts.Cmd = s.command;
  if (s.entrypoint) opts.Entrypoint = s.entrypoint;
  if (hc) {
    opts.Healthcheck = { Test: hc.test };
    if (hc.intervalNs !== undefined) opts.Healthcheck.Interval = hc.intervalNs;
    if (hc.timeoutNs !== undefined) opts.Healthcheck.Timeout = hc.timeoutNs;
    if (hc.retries !== undefined) opts.Healthcheck.Retries = hc.retries;
    if (hc.startPeriodNs !== undefined) opts.Healthcheck.StartPeriod = hc.startPeriodNs;
  }
  return opts;
}
