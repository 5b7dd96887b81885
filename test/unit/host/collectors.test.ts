import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitForResult, renderCheckReport } from '../../../electron/cli/commands/check-command';
import { HOST_CHECKS } from '../../../electron/core/host/check-registry';
import { measureFs } from '../../../electron/core/host/collect/disk-facts';
import { collectDaemonConfig } from '../../../electron/core/host/collect/docker-facts';
import { findCdiSpecs, readNvidiaSmi } from '../../../electron/core/host/collect/gpu-facts';
import { collectNetworkFacts } from '../../../electron/core/host/collect/network-facts';
import { collectSystemFacts } from '../../../electron/core/host/collect/system-facts';
import type { CommandOutcome } from '../../../electron/core/host/command-runner';
import { realHostProbes, type HostProbes } from '../../../electron/core/host/host-probes';
import { DEFAULT_REQUIREMENTS } from '../../../electron/core/host/requirements';
import type { HostCheckReport } from '../../../electron/core/contract';
import { fixture, healthyFacts } from './host-facts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medai-host-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The real probes with a fake file system and command table: what a given server would show. */
function probes(files: Record<string, string>, commands: Record<string, CommandOutcome> = {}, extra: Partial<HostProbes> = {}): HostProbes {
  const missing: CommandOutcome = { code: null, stdout: '', stderr: '', spawnError: 'ENOENT' };
  return {
    ...realHostProbes({}),
    readFile: (p) => files[p] ?? null,
    listDir: (p) => {
      const names = Object.keys(files).filter((f) => path.dirname(f) === p).map((f) => path.basename(f));
      const dirs = Object.keys(files).filter((f) => f.startsWith(`${p}/`)).map((f) => f.slice(p.length + 1).split('/')[0]!);
      const all = [...new Set([...names, ...dirs])];
      return all.length ? all : null;
    },
    run: async (file, args) => commands[[file, ...args].join(' ')] ?? missing,
    cpuInfo: async () => ({ model: 'Hygon C86 7285', flags: 'fpu sse2 avx avx2' }),
    virtualization: async () => 'KVM',
    pciGpus: async () => [],
    ...extra,
  };
}

describe('collectors over injected probes', () => {
  it('system facts of a RHEL 9 server with SELinux enforcing, chrony and cgroup v2', async () => {
    const p = probes(
      {
        '/etc/os-release': 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.2"\nPRETTY_NAME="Red Hat Enterprise Linux 9.2 (Plow)"\n',
        '/proc/sys/kernel/osrelease': '5.14.0-284.11.1.el9_2.x86_64\n',
        '/proc/meminfo': 'MemTotal:       131574440 kB\nMemFree:        1 kB\n',
        '/sys/fs/selinux/enforce': '1',
      },
      { 'chronyc -n tracking': { code: 0, stdout: 'System time     : 0.000002134 seconds fast of NTP time\nLeap status     : Normal\n', stderr: '', spawnError: null } },
      { statfs: (p) => (p === '/sys/fs/cgroup' ? { type: 0x63677270, bsize: 4096, blocks: 0, bavail: 0, files: 0, ffree: 0 } : null), arch: () => 'x86_64', cpuCount: () => 32 },
    );
    const s = await collectSystemFacts(p);
    expect(s).toMatchObject({
      osRelease: { id: 'rhel', versionId: '9.2', prettyName: 'Red Hat Enterprise Linux 9.2 (Plow)' },
      kernel: '5.14.0-284.11.1.el9_2.x86_64',
      cgroup: '2',
      cpus: 32,
      cpuModel: 'Hygon C86 7285',
      avx2: true,
      memTotalBytes: 131574440 * 1024,
      virtual: 'KVM',
      selinux: 'enforcing',
      apparmor: 'disabled',
      timeSync: { source: 'chrony', synchronized: true, offsetSeconds: 0.000002134 },
    });
  });

  it('time sync falls back to systemd, then says nothing was found', async () => {
    const viaSystemd = await collectSystemFacts(probes({}, { 'timedatectl show -p NTPSynchronized --value': { code: 0, stdout: 'no\n', stderr: '', spawnError: null } }));
    expect(viaSystemd.timeSync).toMatchObject({ source: 'timedatectl', synchronized: false });
    const none = await collectSystemFacts(probes({}));
    expect(none.timeSync).toMatchObject({ source: 'none', synchronized: null });
    expect(none.timeSync.detail).toContain('chronyc: ENOENT');
  });

  it('daemon config: daemon.json plus the running dockerd flags found under /proc', () => {
    const p = probes(
      {
        '/etc/docker/daemon.json': '{"log-driver": "json-file"}',
        '/proc/1/comm': 'systemd\n',
        '/proc/812/comm': 'dockerd\n',
        '/proc/812/cmdline': ['/usr/bin/dockerd', '-H', 'fd://', '--log-opt', 'max-size=20m'].join('\0'),
        '/proc/self/comm': 'node\n',
      },
      {},
      { daemonJsonPath: '/etc/docker/daemon.json', procDir: '/proc' },
    );
    const cfg = collectDaemonConfig(p);
    expect(cfg).toMatchObject({ exists: true, json: { 'log-driver': 'json-file' }, parseError: null, dockerdArgs: ['-H', 'fd://', '--log-opt', 'max-size=20m'] });
    const broken = collectDaemonConfig(probes({ '/x.json': '{"a": 1,}' }, {}, { daemonJsonPath: '/x.json' }));
    expect(broken.parseError).toMatch(/JSON/);
    expect(collectDaemonConfig(probes({}, {}, { daemonJsonPath: '/absent.json' }))).toMatchObject({ exists: false, json: null, parseError: null, dockerdArgs: null });
  });

  it('nvidia-smi outcomes: parsed, missing, failing, malformed', async () => {
    const ok = await readNvidiaSmi(probes({}, { 'nvidia-smi -q -x': { code: 0, stdout: fixture('l4-550.90.07.xml'), stderr: '', spawnError: null } }, { nvidiaSmiPath: 'nvidia-smi' }));
    expect(ok.state === 'ok' && ok.report.gpus[0]?.name).toBe('NVIDIA L4');
    expect((await readNvidiaSmi(probes({}, {}, { nvidiaSmiPath: 'nvidia-smi' }))).state).toBe('missing');
    const failed = await readNvidiaSmi(probes({}, { 'nvidia-smi -q -x': { code: 9, stdout: fixture('driver-not-loaded.txt'), stderr: '', spawnError: null } }, { nvidiaSmiPath: 'nvidia-smi' }));
    expect(failed).toMatchObject({ state: 'failed', detail: expect.stringMatching(/^exit 9: NVIDIA-SMI has failed/) });
    const bad = await readNvidiaSmi(probes({}, { 'nvidia-smi -q -x': { code: 0, stdout: fixture('truncated-a100-535.xml'), stderr: '', spawnError: null } }, { nvidiaSmiPath: 'nvidia-smi' }));
    expect(bad.state).toBe('malformed');
  });

  it('finds CDI specs that describe nvidia.com/gpu and ignores others', () => {
    const dir = path.join(tmp, 'cdi');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'nvidia.yaml'), 'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n- name: "0"\n');
    fs.writeFileSync(path.join(dir, 'other.json'), '{"kind": "vendor.com/fpga"}');
    fs.writeFileSync(path.join(dir, 'README'), 'nvidia.com/gpu');
    expect(findCdiSpecs(realHostProbes({}), [dir, path.join(tmp, 'absent')])).toEqual([path.join(dir, 'nvidia.yaml')]);
  });

  it('measures the nearest existing parent of a data dir that does not exist yet', () => {
    const f = measureFs(realHostProbes({}), path.join(tmp, 'not', 'yet', 'there'));
    expect(f.ok && f.value.measuredPath).toBe(tmp);
    expect(f.ok && f.value.freeBytes).toBeGreaterThan(0);
  });

  it('host networks exclude Docker\'s own interfaces and loopback; ports are probed for real', async () => {
    const p = probes(
      { '/proc/net/route': 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nens3\t0000A8C0\t0102A8C0\t0003\t0\t0\t0\t0000FFFF\ndocker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\n' },
      {},
      {
        networkInterfaces: () => ({
          lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', internal: true, mac: '', cidr: '127.0.0.1/8' }],
          ens3: [{ address: '10.8.1.20', netmask: '255.255.254.0', family: 'IPv4', internal: false, mac: '', cidr: '10.8.1.20/23' }],
          docker0: [{ address: '172.17.0.1', netmask: '255.255.0.0', family: 'IPv4', internal: false, mac: '', cidr: '172.17.0.1/16' }],
        }),
        probePort: async (port) => ({ port, free: port !== 8000, code: port === 8000 ? 'EADDRINUSE' : null }),
      },
    );
    const n = await collectNetworkFacts(p, [8000, 8443]);
    expect(n.hostNetworks).toEqual([
      { iface: 'ens3', cidr: '10.8.0.0/23', kind: 'address' },
      { iface: 'ens3', cidr: '192.168.0.0/16', kind: 'route' },
    ]);
    expect(n.ports).toEqual([{ port: 8000, free: false, code: 'EADDRINUSE' }, { port: 8443, free: true, code: null }]);
  });
});

describe('CLI rendering of a report', () => {
  it('groups by category, shows fix lines only for non-passing checks, and maps the verdict to the exit code', () => {
    const f = healthyFacts();
    f.system!.memTotalBytes = 16 * 1024 ** 3;
    const checks = HOST_CHECKS.filter((c) => c.category === 'system').map((c) => ({ id: c.id, category: c.category, title: c.title, ...c.run(f) }));
    const report: HostCheckReport = {
      runId: 'hc_0123456789abcdef',
      operationId: null,
      startedAt: '2026-11-29T07:00:00.000Z',
      finishedAt: '2026-11-29T07:00:00.400Z',
      durationMs: 400,
      hostname: 'pacs-ai-01',
      worst: 'warn',
      counts: { pass: 7, warn: 1, fail: 0, error: 0 },
      only: ['system'],
      requirements: DEFAULT_REQUIREMENTS,
      checks,
    };
    const zh = renderCheckReport(report, 'zh-CN');
    expect(zh.split('\n')[0]).toBe('== 系统 ==');
    expect(zh).toContain('[WARN ] system.memory');
    expect(zh).toContain('解决办法: 建议增加到 32 GiB 或以上。');
    expect(zh).not.toContain('解决办法: 操作系统');
    expect(zh).toContain('结论: WARN (pass 7, warn 1, fail 0, error 0; 400 ms)');
    expect(renderCheckReport(report, 'en')).toContain('Fix: Consider 32 GiB or more.');
    expect([exitForResult('pass'), exitForResult('warn'), exitForResult('fail'), exitForResult('error')]).toEqual([0, 1, 2, 2]);
  });
});
