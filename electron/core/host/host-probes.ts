import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import si from 'systeminformation';
import { runCommand, type CommandRunner } from './command-runner';
import type { PciGpu, PortProbe } from './facts';

/** The raw numbers of statfs(2), as fs.statfsSync gives them. */
export interface StatFsResult {
  type: number;
  bsize: number;
  blocks: number;
  bavail: number;
  files: number;
  ffree: number;
}

/**
 * Every side effect the collectors use, injected so tests can point one at a fixture
 * (a fake nvidia-smi, a temp daemon.json, a missing CDI dir) while the rest stays real.
 */
export interface HostProbes {
  run: CommandRunner;
  /** File contents, or null when it does not exist or cannot be read. */
  readFile(path: string): string | null;
  listDir(path: string): string[] | null;
  statfs(path: string): StatFsResult | null;
  /** st_dev, to tell whether two paths share a filesystem. */
  device(path: string): number | null;
  env: NodeJS.ProcessEnv;
  hostname(): string;
  arch(): string;
  cpuCount(): number;
  networkInterfaces(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  /** Tries to bind the port on all IPv4 addresses, as a published container port would. */
  probePort(port: number): Promise<PortProbe>;
  cpuInfo(): Promise<{ model: string; flags: string }>;
  virtualization(): Promise<string | null>;
  pciGpus(): Promise<PciGpu[]>;
  nvidiaSmiPath: string;
  daemonJsonPath: string;
  cdiDirs: string[];
  /** Where /proc is (dockerd's command line is read from it). */
  procDir: string;
}

const readOrNull = (p: string): string | null => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
};

export const probePort = (port: number): Promise<PortProbe> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve({ port, free: false, code: e.code ?? 'ERROR' }));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve({ port, free: true, code: null })));
  });

/** The real machine. MEDAI_NVIDIA_SMI and MEDAI_DOCKER_DAEMON_JSON override the two tool locations. */
export function realHostProbes(env: NodeJS.ProcessEnv = process.env): HostProbes {
  return {
    run: runCommand,
    readFile: readOrNull,
    listDir: (p) => {
      try {
        return fs.readdirSync(p);
      } catch {
        return null;
      }
    },
    statfs: (p) => {
      try {
        return fs.statfsSync(p);
      } catch {
        return null;
      }
    },
    device: (p) => {
      try {
        return fs.statSync(p).dev;
      } catch {
        return null;
      }
    },
    env,
    hostname: () => os.hostname(),
    arch: () => os.machine(),
    // Like nproc: the CPUs this process may run on.
    cpuCount: () => os.availableParallelism(),
    networkInterfaces: () => os.networkInterfaces(),
    probePort,
    cpuInfo: async () => {
      const c = await si.cpu();
      return { model: `${c.manufacturer} ${c.brand}`.trim(), flags: c.flags };
    },
    virtualization: async () => {
      const s = await si.system();
      return s.virtual ? s.virtualHost || 'virtual machine' : null;
    },
    pciGpus: async () => {
      const g = await si.graphics();
      return g.controllers.map((c) => ({ vendor: c.vendor, model: c.model, busAddress: c.busAddress ?? null }));
    },
    nvidiaSmiPath: env.MEDAI_NVIDIA_SMI || 'nvidia-smi',
    daemonJsonPath: env.MEDAI_DOCKER_DAEMON_JSON || '/etc/docker/daemon.json',
    cdiDirs: ['/etc/cdi', '/var/run/cdi'],
    procDir: '/proc',
  };
}
