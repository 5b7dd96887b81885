import { describe, expect, it } from 'vitest';
import { addressPools, flagValues, logMaxSize } from '../../../electron/core/host/checks/docker-checks';
import { parseRoutes } from '../../../electron/core/host/collect/network-facts';
import { engineDown, healthyFacts, runCheck } from './host-facts';

const info = (f: ReturnType<typeof healthyFacts>) => {
  if (!f.docker?.ok) throw new Error('fixture');
  return f.docker.value;
};

describe('Docker checks', () => {
  it('a well-configured engine passes every Docker check', () => {
    const f = healthyFacts();
    for (const id of ['docker.engine', 'docker.version', 'docker.storage-driver', 'docker.cgroup-driver', 'docker.log-rotation', 'docker.live-restore', 'docker.address-pools', 'docker.ports'] as const) {
      expect(runCheck(id, f).result, id).toBe('pass');
    }
  });

  it('engine unreachable: docker.engine fails with the engine error and remedy; the others are errors', () => {
    const f = healthyFacts();
    f.docker = engineDown();
    const r = runCheck('docker.engine', f);
    expect(r).toMatchObject({ result: 'fail', measured: 'ENGINE_NOT_RUNNING' });
    expect(r.remedy?.en).toContain('systemctl start docker');
    expect(runCheck('docker.version', f).result).toBe('error');
    // The ports can still be probed without the engine.
    expect(runCheck('docker.ports', f).result).toBe('pass');
  });

  it('engine older than 20.10 fails', () => {
    const f = healthyFacts();
    info(f).serverVersion = '19.03.15';
    expect(runCheck('docker.version', f).result).toBe('fail');
  });

  it('json-file without max-size warns (disks fill up); max-size in daemon.json or as a dockerd flag passes', () => {
    const f = healthyFacts();
    f.daemonConfig = { ...f.daemonConfig!, json: { 'log-driver': 'json-file' } };
    const r = runCheck('docker.log-rotation', f);
    expect(r).toMatchObject({ result: 'warn', measuredText: 'json-file, no max-size' });
    expect(r.remedy?.en).toContain('"max-size": "100m"');
    expect(r.remedy?.['zh-CN']).toContain('"max-size": "100m"');
    f.daemonConfig = { ...f.daemonConfig, dockerdArgs: ['--log-opt', 'max-size=50m'] };
    expect(runCheck('docker.log-rotation', f)).toMatchObject({ result: 'pass', measured: '50m' });
    expect(logMaxSize({ ...f.daemonConfig, dockerdArgs: ['--log-opt=max-size=10m'] }).value).toBe('10m');
  });

  it('local and journald drivers rotate by themselves; "none" warns; an invalid daemon.json fails', () => {
    const f = healthyFacts();
    info(f).info.LoggingDriver = 'local';
    f.daemonConfig = { ...f.daemonConfig!, json: {} };
    expect(runCheck('docker.log-rotation', f).result).toBe('pass');
    info(f).info.LoggingDriver = 'none';
    expect(runCheck('docker.log-rotation', f).result).toBe('warn');
    f.daemonConfig = { ...f.daemonConfig, json: null, parseError: 'Unexpected token } in JSON at position 31' };
    expect(runCheck('docker.log-rotation', f).result).toBe('fail');
  });

  it('live-restore off warns', () => {
    const f = healthyFacts();
    info(f).info.LiveRestoreEnabled = false;
    expect(runCheck('docker.live-restore', f)).toMatchObject({ result: 'warn', measured: false });
  });

  it('cgroup v2 with the cgroupfs driver warns; vfs storage fails', () => {
    const f = healthyFacts();
    info(f).info.CgroupDriver = 'cgroupfs';
    expect(runCheck('docker.cgroup-driver', f).result).toBe('warn');
    info(f).info.Driver = 'vfs';
    expect(runCheck('docker.storage-driver', f).result).toBe('fail');
  });

  it('the default bridge on the hospital LAN (172.17.0.0/16) fails and names both sides', () => {
    const f = healthyFacts();
    f.network!.hostNetworks = [{ iface: 'ens192', cidr: '172.17.8.0/22', kind: 'address' }];
    const r = runCheck('docker.address-pools', f);
    expect(r.result).toBe('fail');
    expect(r.measuredText).toBe('bridge 172.17.0.0/16 ↔ ens192 172.17.8.0/22');
    expect(r.remedy?.en).toContain('default-address-pools');
  });

  it('a routed hospital network inside Docker\'s default pools warns (the next network may clash)', () => {
    const f = healthyFacts();
    f.network!.hostNetworks = [...f.network!.hostNetworks, ...parseRoutes('Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neno1\t0000A8C0\t01141E0A\t0003\t0\t0\t0\t0000FFFF\n')];
    expect(f.network!.hostNetworks.at(-1)).toEqual({ iface: 'eno1', cidr: '192.168.0.0/16', kind: 'route' });
    const r = runCheck('docker.address-pools', f);
    expect(r.result).toBe('warn');
    expect(r.measuredText).toContain('192.168.0.0/16 ↔ eno1 192.168.0.0/16');
    // Pools moved out of the way in daemon.json: no clash.
    f.daemonConfig = { ...f.daemonConfig!, json: { 'default-address-pools': [{ base: '10.232.0.0/16', size: 24 }] } };
    expect(addressPools(f.daemonConfig).pools).toEqual(['10.232.0.0/16']);
    expect(runCheck('docker.address-pools', f).result).toBe('pass');
  });

  it('a port held by another program fails; one held by the installed stack passes', () => {
    const f = healthyFacts();
    f.network!.ports = [{ port: 8000, free: false, code: 'EADDRINUSE' }];
    const r = runCheck('docker.ports', f);
    expect(r).toMatchObject({ result: 'fail', measured: '8000', measuredText: 'in use: 8000 (EADDRINUSE)' });
    expect(r.remedy?.en).toContain("ss -ltnp 'sport = :8000'");
    info(f).publishedPorts = [{ container: 'medai-service-1', project: 'medai', managed: true, port: 8000 }];
    expect(runCheck('docker.ports', f).result).toBe('pass');
    info(f).publishedPorts = [{ container: 'pacs-viewer', project: null, managed: false, port: 8000 }];
    expect(runCheck('docker.ports', f).measuredText).toBe('in use: 8000 (container pacs-viewer)');
  });

  it('reads dockerd flags in both spellings', () => {
    expect(flagValues(['--log-opt', 'max-size=1m', '--log-opt=max-file=3', '--bip', '10.0.0.1/24'], '--log-opt')).toEqual(['max-size=1m', 'max-file=3']);
    expect(flagValues(null, '--log-opt')).toEqual([]);
  });
});
