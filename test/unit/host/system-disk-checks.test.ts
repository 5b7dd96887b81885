import { describe, expect, it } from 'vitest';
import { parseChronyTracking, parseMemTotal, parseOsRelease } from '../../../electron/core/host/collect/system-facts';
import { engineDown, healthyFacts, runCheck } from './host-facts';

const GiB = 1024 ** 3;

describe('system checks', () => {
  it('a healthy server passes every system check', () => {
    const f = healthyFacts();
    for (const id of ['system.os', 'system.kernel', 'system.arch', 'system.cgroup', 'system.cpu', 'system.memory', 'system.time-sync', 'system.security-module'] as const) {
      expect(runCheck(id, f).result, id).toBe('pass');
    }
  });

  it.each([
    [1, 'fail'],
    [2, 'warn'],
    [7, 'warn'],
    [8, 'pass'],
  ])('%i CPU cores → %s (needs ≥ 2, recommends ≥ 8)', (cpus, result) => {
    const f = healthyFacts();
    f.system!.cpus = cpus;
    expect(runCheck('system.cpu', f)).toMatchObject({ result, measured: cpus });
  });

  it.each([
    [7.9, 'fail'],
    [8, 'warn'],
    [31.9, 'warn'],
    [32, 'pass'],
  ])('%d GiB memory → %s (fail < 8 GiB, warn < 32 GiB)', (gib, result) => {
    const f = healthyFacts();
    f.system!.memTotalBytes = Math.round(gib * GiB);
    const r = runCheck('system.memory', f);
    expect(r.result).toBe(result);
    if (result !== 'pass') expect(r.remedy?.['zh-CN']).toMatch(/GiB/);
  });

  it('kernel versions: 3.9 fails, 4.4 warns, 5.x passes', () => {
    const f = healthyFacts();
    f.system!.kernel = '3.9.0';
    expect(runCheck('system.kernel', f).result).toBe('fail');
    f.system!.kernel = '4.4.0-210-generic';
    expect(runCheck('system.kernel', f).result).toBe('warn');
    f.system!.kernel = '5.14.0-362.el9.x86_64';
    expect(runCheck('system.kernel', f).result).toBe('pass');
  });

  it('an arm64 server cannot run amd64 images', () => {
    const f = healthyFacts();
    f.system!.arch = 'aarch64';
    expect(runCheck('system.arch', f).result).toBe('fail');
  });

  it('OS support: Kylin V10 and Rocky 9 pass, CentOS 7 warns', () => {
    const f = healthyFacts();
    f.system!.osRelease = parseOsRelease('NAME="Kylin Linux Advanced Server"\nVERSION="V10 (Sword)"\nID="kylin"\nVERSION_ID="V10"\nPRETTY_NAME="Kylin Linux Advanced Server V10 (Sword)"\n');
    expect(runCheck('system.os', f).result).toBe('pass');
    f.system!.osRelease = parseOsRelease('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n');
    expect(runCheck('system.os', f)).toMatchObject({ result: 'pass', measured: 'Rocky Linux 9.3 (Blue Onyx)' });
    f.system!.osRelease = parseOsRelease('NAME="CentOS Linux"\nID="centos"\nVERSION_ID="7"\nPRETTY_NAME="CentOS Linux 7 (Core)"\n');
    expect(runCheck('system.os', f).result).toBe('warn');
    f.system!.osRelease = null;
    expect(runCheck('system.os', f).result).toBe('warn');
  });

  it('cgroup v1 warns, unknown is an error', () => {
    const f = healthyFacts();
    f.system!.cgroup = 'hybrid';
    expect(runCheck('system.cgroup', f)).toMatchObject({ result: 'warn', measuredText: 'v1 (hybrid)' });
    f.system!.cgroup = 'unknown';
    expect(runCheck('system.cgroup', f).result).toBe('error');
  });

  it('time sync: chrony offsets are parsed; none found and > 1 s offsets warn', () => {
    const t = parseChronyTracking('Reference ID    : C0A80101 (ntp.hospital.local)\nStratum         : 3\nSystem time     : 1.250000000 seconds slow of NTP time\nLeap status     : Normal\n');
    expect(t).toMatchObject({ source: 'chrony', synchronized: true, offsetSeconds: -1.25 });
    const f = healthyFacts();
    f.system!.timeSync = t;
    expect(runCheck('system.time-sync', f)).toMatchObject({ result: 'warn', measured: -1.25 });
    f.system!.timeSync = { source: 'none', synchronized: null, offsetSeconds: null, detail: 'chronyc: ENOENT' };
    expect(runCheck('system.time-sync', f).remedy?.en).toContain('chrony');
    f.system!.timeSync = parseChronyTracking('System time     : 0.000000012 seconds fast of NTP time\nLeap status     : Not synchronised\n');
    expect(runCheck('system.time-sync', f).result).toBe('warn');
  });

  it('SELinux enforcing without Docker SELinux support warns', () => {
    const f = healthyFacts();
    f.system!.selinux = 'enforcing';
    expect(runCheck('system.security-module', f).result).toBe('warn');
    if (f.docker?.ok) f.docker.value.info.SecurityOptions = ['name=selinux', 'name=seccomp,profile=default'];
    expect(runCheck('system.security-module', f).result).toBe('pass');
  });

  it('reads MemTotal from /proc/meminfo text', () => {
    expect(parseMemTotal('MemTotal:       24684084 kB\nMemFree:        21595968 kB\n')).toBe(24684084 * 1024);
    expect(parseMemTotal(null)).toBeNull();
  });
});

describe('disk checks (images + volumes + 2 backups)', () => {
  it('one filesystem must hold images + volumes + 2 × volumes; the formula is in the threshold', () => {
    const f = healthyFacts();
    // defaults: images 12 GiB, volumes 20 GiB, 2 backups → 72 GiB on one filesystem
    (f.disk!.dockerRoot as { value: { freeBytes: number } }).value.freeBytes = 71 * GiB;
    const r = runCheck('disk.docker-root-space', f);
    expect(r).toMatchObject({ result: 'fail', measured: 71 * GiB });
    expect(r.threshold?.en).toBe('≥ 72.0 GiB = images 12.0 GiB + volumes 20.0 GiB + 2 backups × 20.0 GiB (one filesystem); ≥ 108.0 GiB recommended (upgrades keep the old images until the new version is healthy)');
    expect(r.remedy?.en).toContain('/var/lib/docker');
  });

  it('separate filesystems: the data root needs images + volumes, the data dir 2 backups', () => {
    const f = healthyFacts();
    const root = (f.disk!.dockerRoot as { value: { device: number; freeBytes: number } }).value;
    const data = (f.disk!.dataDir as { value: { device: number; freeBytes: number } }).value;
    data.device = 2050;
    root.freeBytes = 40 * GiB; // needs 32, recommends 48
    data.freeBytes = 39 * GiB; // needs 40
    expect(runCheck('disk.docker-root-space', f).result).toBe('warn');
    expect(runCheck('disk.data-dir-space', f)).toMatchObject({ result: 'fail', threshold: { en: expect.stringContaining('2 backups × volumes 20.0 GiB') } });
  });

  it('free inodes: fail below 100k, warn below 1M, dynamic inode filesystems pass', () => {
    const f = healthyFacts();
    const root = (f.disk!.dockerRoot as { value: { freeInodes: number; totalInodes: number; fsType: string } }).value;
    root.freeInodes = 50_000;
    expect(runCheck('disk.docker-root-inodes', f).result).toBe('fail');
    root.freeInodes = 500_000;
    expect(runCheck('disk.docker-root-inodes', f).result).toBe('warn');
    root.totalInodes = 0;
    root.fsType = 'btrfs';
    expect(runCheck('disk.docker-root-inodes', f).result).toBe('pass');
  });

  it('overlay2 on a filesystem without d_type or on NFS fails', () => {
    const f = healthyFacts();
    if (!f.docker?.ok) throw new Error('fixture');
    f.docker.value.info.DriverStatus = [['Backing Filesystem', 'xfs'], ['Supports d_type', 'false']];
    expect(runCheck('disk.overlay2-support', f)).toMatchObject({ result: 'fail', measuredText: 'xfs, d_type: false' });
    f.docker.value.info.DriverStatus = [['Backing Filesystem', 'nfs'], ['Supports d_type', 'true']];
    expect(runCheck('disk.overlay2-support', f).result).toBe('fail');
  });

  it('with the engine down, the d_type check is an error carrying the engine remedy', () => {
    const f = healthyFacts();
    f.docker = engineDown();
    const r = runCheck('disk.overlay2-support', f);
    expect(r.result).toBe('error');
    expect(r.remedy?.en).toContain('systemctl start docker');
  });
});
