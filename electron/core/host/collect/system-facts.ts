import type { OsRelease, SystemFacts, TimeSyncFacts } from '../facts';
import type { HostProbes } from '../host-probes';

export function parseOsRelease(text: string | null): OsRelease | null {
  if (!text) return null;
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv.set(m[1]!, m[2]!.replace(/^["']|["']$/g, ''));
  }
  if (!kv.has('ID')) return null;
  return {
    id: kv.get('ID')!,
    versionId: kv.get('VERSION_ID') ?? '',
    prettyName: kv.get('PRETTY_NAME') ?? kv.get('NAME') ?? kv.get('ID')!,
    idLike: (kv.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
  };
}

export const parseMemTotal = (meminfo: string | null): number | null => {
  const m = /^MemTotal:\s+(\d+)\s+kB/m.exec(meminfo ?? '');
  return m ? Number(m[1]) * 1024 : null;
};

/** `chronyc -n tracking`: "System time     : 0.000012345 seconds fast of NTP time", "Leap status     : Normal". */
export function parseChronyTracking(out: string): TimeSyncFacts {
  const offset = /^System time\s*:\s*([\d.]+) seconds (fast|slow)/m.exec(out);
  const leap = /^Leap status\s*:\s*(.+)$/m.exec(out)?.[1]?.trim() ?? '';
  const seconds = offset ? Number(offset[1]) * (offset[2] === 'slow' ? -1 : 1) : null;
  return { source: 'chrony', synchronized: leap === 'Normal', offsetSeconds: seconds, detail: `leap status: ${leap || 'unknown'}` };
}

const CGROUP2_MAGIC = 0x63677270;

async function timeSync(p: HostProbes): Promise<TimeSyncFacts> {
  const chrony = await p.run('chronyc', ['-n', 'tracking'], 1500);
  if (chrony.code === 0) return parseChronyTracking(chrony.stdout);
  const tdc = await p.run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], 1500);
  if (tdc.code === 0 && /^(yes|no)$/.test(tdc.stdout.trim())) {
    return { source: 'timedatectl', synchronized: tdc.stdout.trim() === 'yes', offsetSeconds: null, detail: 'systemd NTPSynchronized' };
  }
  // systemd-timesyncd leaves this file once it has synchronized.
  if (p.readFile('/run/systemd/timesync/synchronized') !== null) {
    return { source: 'timedatectl', synchronized: true, offsetSeconds: null, detail: '/run/systemd/timesync/synchronized' };
  }
  const why = [chrony.spawnError ? `chronyc: ${chrony.spawnError}` : `chronyc exit ${chrony.code}`, tdc.spawnError ? `timedatectl: ${tdc.spawnError}` : `timedatectl: ${(tdc.stderr || tdc.stdout).trim().split('\n')[0] ?? ''}`];
  return { source: 'none', synchronized: null, offsetSeconds: null, detail: why.join('; ') };
}

export async function collectSystemFacts(p: HostProbes): Promise<SystemFacts> {
  const [cpu, virtual, sync] = await Promise.all([
    p.cpuInfo().catch(() => ({ model: 'unknown', flags: '' })),
    p.virtualization().catch(() => null),
    timeSync(p),
  ]);
  const cgroupFs = p.statfs('/sys/fs/cgroup');
  const cgroup: SystemFacts['cgroup'] =
    cgroupFs?.type === CGROUP2_MAGIC ? '2' : cgroupFs === null ? 'unknown' : p.readFile('/sys/fs/cgroup/unified/cgroup.controllers') !== null ? 'hybrid' : '1';
  const enforce = p.readFile('/sys/fs/selinux/enforce');
  return {
    osRelease: parseOsRelease(p.readFile('/etc/os-release') ?? p.readFile('/usr/lib/os-release')),
    kernel: (p.readFile('/proc/sys/kernel/osrelease') ?? '').trim() || 'unknown',
    arch: p.arch(),
    cgroup,
    cpus: p.cpuCount(),
    cpuModel: cpu.model,
    avx2: cpu.flags ? /\bavx2\b/.test(cpu.flags) : null,
    memTotalBytes: parseMemTotal(p.readFile('/proc/meminfo')),
    virtual,
    timeSync: sync,
    selinux: enforce === null ? 'disabled' : enforce.trim() === '1' ? 'enforcing' : 'permissive',
    apparmor: (p.readFile('/sys/module/apparmor/parameters/enabled') ?? '').trim() === 'Y' ? 'enabled' : 'disabled',
  };
}
