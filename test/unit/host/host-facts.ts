import fs from 'node:fs';
import path from 'node:path';
import { apiError, type HostCheckId } from '../../../electron/core/contract';
import { checkById } from '../../../electron/core/host/check-registry';
import type { CheckOutcome } from '../../../electron/core/host/check-kit';
import type { HostFacts } from '../../../electron/core/host/facts';
import { parseNvidiaSmiXml, type NvidiaSmiFacts } from '../../../electron/core/host/nvidia-smi-xml';
import { DEFAULT_REQUIREMENTS } from '../../../electron/core/host/requirements';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'nvidia-smi');
export const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const GiB = 1024 ** 3;

/** nvidia-smi facts from a recorded-format fixture, as the collector would build them. */
export function smiFrom(name: string): NvidiaSmiFacts {
  const parsed = parseNvidiaSmiXml(fixture(name));
  return parsed.ok ? { state: 'ok', path: 'nvidia-smi', report: parsed.report } : { state: 'malformed', path: 'nvidia-smi', detail: parsed.detail };
}

/**
 * Facts shaped like a healthy 16-core, 64 GiB Debian 12 server with Docker 24 configured as
 * the docs recommend, in the formats the real collectors produce (docker info field names,
 * statfs numbers). Each test changes the one fact it is about.
 */
export function healthyFacts(): HostFacts {
  return {
    requirements: { ...DEFAULT_REQUIREMENTS },
    dataDir: '/var/lib/medai',
    system: {
      osRelease: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', idLike: [] },
      kernel: '6.1.0-18-amd64',
      arch: 'x86_64',
      cgroup: '2',
      cpus: 16,
      cpuModel: 'Intel Xeon Gold 6338',
      avx2: true,
      memTotalBytes: 64 * GiB,
      virtual: null,
      timeSync: { source: 'chrony', synchronized: true, offsetSeconds: 0.000021, detail: 'leap status: Normal' },
      selinux: 'disabled',
      apparmor: 'enabled',
    },
    disk: {
      dockerRoot: { ok: true, value: { path: '/var/lib/docker', measuredPath: '/var/lib/docker', fsType: 'ext2/3/4', device: 2049, totalBytes: 1000 * GiB, freeBytes: 800 * GiB, totalInodes: 60_000_000, freeInodes: 59_000_000 } },
      dataDir: { ok: true, value: { path: '/var/lib/medai', measuredPath: '/var/lib', fsType: 'ext2/3/4', device: 2049, totalBytes: 1000 * GiB, freeBytes: 800 * GiB, totalInodes: 60_000_000, freeInodes: 59_000_000 } },
    },
    docker: {
      ok: true,
      value: {
        socketPath: '/var/run/docker.sock',
        serverVersion: '24.0.7',
        apiVersion: '1.43',
        info: {
          Driver: 'overlay2',
          DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true'], ['userxattr', 'false']],
          CgroupDriver: 'systemd',
          CgroupVersion: '2',
          LoggingDriver: 'json-file',
          LiveRestoreEnabled: true,
          DockerRootDir: '/var/lib/docker',
          Runtimes: { 'io.containerd.runc.v2': { path: 'runc' }, runc: { path: 'runc' } },
          DefaultRuntime: 'runc',
          HttpProxy: '',
          HttpsProxy: '',
          NoProxy: '',
          SecurityOptions: ['name=apparmor', 'name=seccomp,profile=builtin', 'name=cgroupns'],
        },
        networks: [
          { name: 'bridge', subnets: ['172.17.0.0/16'] },
          { name: 'host', subnets: [] },
          { name: 'none', subnets: [] },
        ],
        publishedPorts: [],
        images: {},
      },
    },
    daemonConfig: { path: '/etc/docker/daemon.json', exists: true, json: { 'log-driver': 'json-file', 'log-opts': { 'max-size': '100m', 'max-file': '5' }, 'live-restore': true }, parseError: null, dockerdArgs: ['-H', 'fd://', '--containerd=/run/containerd/containerd.sock'] },
    network: { hostNetworks: [{ iface: 'eno1', cidr: '10.20.30.0/24', kind: 'address' }], ports: [{ port: 8000, free: true, code: null }] },
    gpu: { nvidiaSmi: { state: 'missing', path: 'nvidia-smi', detail: 'nvidia-smi not found' }, pciGpus: [], cdiSpecs: [] },
    smoke: { state: 'not-run', reason: 'no-gpu', output: '' },
    proxy: { env: {}, docker: { http: '', https: '', noProxy: '' } },
  };
}

export const runCheck = (id: HostCheckId, facts: HostFacts): CheckOutcome => checkById(id).run(facts);

export const engineDown = () => ({ ok: false as const, error: apiError('ENGINE_NOT_RUNNING', { socket: '/var/run/docker.sock' }, 'connect ECONNREFUSED') });
