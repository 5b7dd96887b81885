/**
 * The normalized stack: what the compose subset means once parsed, interpolated and
 * checked. The reconciler only ever sees this, never raw YAML.
 */

export interface PortBinding {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export type Mount =
  | { type: 'volume'; source: string; target: string; readOnly: boolean }
  | { type: 'bind'; source: string; target: string; readOnly: boolean };

export interface Healthcheck {
  /** Engine form: ['CMD', ...] or ['CMD-SHELL', cmd] or ['NONE']. */
  test: string[];
  intervalNs?: number;
  timeoutNs?: number;
  retries?: number;
  startPeriodNs?: number;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface GpuRequest {
  driver: string;
  /** -1 means all GPUs. */
  count: number;
  deviceIds: string[];
  capabilities: string[];
}

export interface Resources {
  memoryBytes?: number;
  nanoCpus?: number;
  pidsLimit?: number;
  memoryReservationBytes?: number;
  gpus: GpuRequest[];
}

export interface ServiceSpec {
  name: string;
  image: string;
  /** x-medai-image-id: the image ID the bundle was built with (refs can be re-tagged). */
  pinnedImageId?: string;
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  ports: PortBinding[];
  mounts: Mount[];
  networks: string[];
  dependsOn: { service: string; condition: DependencyCondition }[];
  healthcheck?: Healthcheck;
  restart: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  resources: Resources;
  labels: Record<string, string>;
  ulimits: { name: string; soft: number; hard: number }[];
  logging?: { driver: string; options: Record<string, string> };
  shmSizeBytes?: number;
  /** x-medai-readiness: the HTTP path that says the service can take work (checked through the published port). */
  readiness?: { path: string; port: number };
  /** x-medai-migrate: the one-off command that migrates the database, run with the service's image and environment. */
  migrate?: { command: string[] };
}

export interface NetworkSpec {
  name: string;
  driver: string;
  internal: boolean;
  labels: Record<string, string>;
}

export interface VolumeSpec {
  name: string;
  labels: Record<string, string>;
}

export interface StackModel {
  /** Absolute path of the compose file (also the label docker compose reads). */
  file: string;
  /** The compose `name`: the default stack (project) name. */
  name?: string;
  /** Services in dependency order: each after everything it depends on. */
  services: ServiceSpec[];
  networks: NetworkSpec[];
  volumes: VolumeSpec[];
}
