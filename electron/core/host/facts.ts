import type { ApiError, HostRequirements } from '../contract';
import type { NvidiaSmiFacts } from './nvidia-smi-xml';

/**
 * Everything the checks look at, collected once per run. Checks are pure functions of
 * these facts, so they are unit-tested with real-format inputs and the collectors are
 * integration-tested against the real machine.
 */

/** A fact source that could not be read carries the error instead of a value. */
export type Fact<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface OsRelease {
  id: string;
  versionId: string;
  prettyName: string;
  idLike: string[];
}

export interface TimeSyncFacts {
  /** Which tool answered: chronyc, timedatectl, or none found. */
  source: 'chrony' | 'timedatectl' | 'none';
  synchronized: boolean | null;
  /** Offset from the NTP reference in seconds (chrony only). */
  offsetSeconds: number | null;
  detail: string;
}

export interface SystemFacts {
  osRelease: OsRelease | null;
  kernel: string;
  arch: string;
  /** 'hybrid' is v1 with the unified hierarchy also mounted (Docker counts it as v1). */
  cgroup: '1' | '2' | 'hybrid' | 'unknown';
  cpus: number;
  cpuModel: string;
  avx2: boolean | null;
  memTotalBytes: number | null;
  virtual: string | null;
  timeSync: TimeSyncFacts;
  selinux: 'enforcing' | 'permissive' | 'disabled';
  apparmor: 'enabled' | 'disabled';
}

export interface FsFacts {
  /** The path asked about, and the existing ancestor actually measured (the data dir may not exist yet). */
  path: string;
  measuredPath: string;
  fsType: string;
  device: number;
  totalBytes: number;
  freeBytes: number;
  totalInodes: number;
  freeInodes: number;
}

export interface DiskFacts {
  dockerRoot: Fact<FsFacts>;
  dataDir: Fact<FsFacts>;
}

export interface DockerNetworkFacts {
  name: string;
  subnets: string[];
}

export interface PublishedPort {
  container: string;
  project: string | null;
  /** Created by this manager (label ai.medai.managed-by=medai, set by the stack capability). */
  managed: boolean;
  port: number;
}

export interface DaemonConfigFacts {
  path: string;
  exists: boolean;
  /** Parsed daemon.json; null when missing or unparsable. */
  json: Record<string, unknown> | null;
  parseError: string | null;
  /** `--log-opt` / `--default-address-pool` etc. flags on the running dockerd's command line. */
  dockerdArgs: string[] | null;
}

export interface DockerFacts {
  socketPath: string;
  serverVersion: string;
  apiVersion: string;
  info: DockerInfo;
  networks: DockerNetworkFacts[];
  publishedPorts: PublishedPort[];
  /** Each required image reference → whether the engine has it. */
  images: Record<string, boolean>;
}

/** The fields of `docker info` (Engine API /info) the checks read. */
export interface DockerInfo {
  Driver?: string;
  DriverStatus?: [string, string][];
  CgroupDriver?: string;
  CgroupVersion?: string;
  LoggingDriver?: string;
  LiveRestoreEnabled?: boolean;
  DockerRootDir?: string;
  Runtimes?: Record<string, unknown>;
  DefaultRuntime?: string;
  CDISpecDirs?: string[] | null;
  HttpProxy?: string;
  HttpsProxy?: string;
  NoProxy?: string;
  SecurityOptions?: string[];
  OperatingSystem?: string;
  KernelVersion?: string;
}

export interface HostNetwork {
  iface: string;
  cidr: string;
  kind: 'address' | 'route';
}

export interface PortProbe {
  port: number;
  free: boolean;
  /** EADDRINUSE, EACCES...; null when free. */
  code: string | null;
}

export interface NetworkFacts {
  hostNetworks: HostNetwork[];
  ports: PortProbe[];
}

export interface PciGpu {
  vendor: string;
  model: string;
  busAddress: string | null;
}

export interface GpuFacts {
  nvidiaSmi: NvidiaSmiFacts;
  /** Display/3D controllers systeminformation sees on the PCI bus, whatever the driver state. */
  pciGpus: PciGpu[];
  /** CDI spec files that describe nvidia.com/gpu devices. */
  cdiSpecs: string[];
}

export interface SmokeFacts {
  /** Why the smoke container was not run, or its outcome. */
  state: 'not-run' | 'passed' | 'failed';
  reason: string;
  output: string;
}

export interface ProxyFacts {
  env: Record<string, string>;
  docker: { http: string; https: string; noProxy: string } | null;
}

export interface HostFacts {
  requirements: HostRequirements;
  dataDir: string;
  system?: SystemFacts;
  disk?: DiskFacts;
  docker?: Fact<DockerFacts>;
  daemonConfig?: DaemonConfigFacts;
  network?: NetworkFacts;
  gpu?: GpuFacts;
  smoke?: SmokeFacts;
  proxy?: ProxyFacts;
}

export type FactSource = 'system' | 'disk' | 'docker' | 'daemonConfig' | 'network' | 'gpu' | 'smoke' | 'proxy';
