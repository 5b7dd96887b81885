import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir';
import { buildHostCli, dockerFmt, FAKE_SMI, runCheck, sh, smiFixture } from './host-cli';

const tmp = makeTempDir('host-fail');
beforeAll(() => buildHostCli());
afterAll(() => tmp.cleanup());

describe('engine not reachable (the shared dockerd is never stopped: the check is pointed at dead sockets)', () => {
  it('a stale socket with nobody listening → docker.engine fails with how to start Docker; exit 2', () => {
    // Bound but never listening, as a socket file left behind by a stopped dockerd.
    const sock = path.join(tmp.dir, 'stale.sock');
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(sock)})`]);
    const r = runCheck(tmp.dir, ['--only', 'docker,system.memory'], { DOCKER_HOST: `unix://${sock}` });
    expect(r.code).toBe(2);
    const engine = r.check('docker.engine');
    expect(engine).toMatchObject({ result: 'fail', measured: 'ENGINE_NOT_RUNNING' });
    expect(engine.message.en).toContain(sock);
    expect(engine.remedy?.en).toContain('systemctl start docker');
    expect(engine.remedy?.['zh-CN']).toContain('启动 Docker');
    // The checks that need the engine say why they could not measure; the rest still measure.
    expect(r.check('docker.version')).toMatchObject({ result: 'error', measuredText: 'ENGINE_NOT_RUNNING' });
    expect(r.check('system.memory').measured).toBeGreaterThan(0);
  });

  it('a missing socket path → ENGINE_SOCKET_MISSING with the install remedy', () => {
    const sock = path.join(tmp.dir, 'no-such', 'docker.sock');
    const r = runCheck(tmp.dir, ['--only', 'docker.engine'], { DOCKER_HOST: `unix://${sock}` });
    expect(r.code).toBe(2);
    expect(r.check('docker.engine')).toMatchObject({ result: 'fail', measured: 'ENGINE_SOCKET_MISSING' });
    expect(r.check('docker.engine').remedy?.en).toContain('apt-get install -y docker.io');
  });

  it('no permission on the real /var/run/docker.sock (run as an unprivileged user) → ENGINE_PERMISSION_DENIED', () => {
    const socket = '/var/run/docker.sock';
    expect(fs.statSync(socket).mode & 0o006, 'the socket must not be world-accessible for this to mean anything').toBe(0);
    fs.chmodSync(tmp.dir, 0o711);
    const dataDir = path.join(tmp.dir, 'nobody');
    fs.mkdirSync(dataDir);
    fs.chownSync(dataDir, 65534, 65534);
    const r = runCheck(dataDir, ['--only', 'docker.engine,docker.version,system.cpu'], {}, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
    expect(r.code).toBe(2);
    const engine = r.check('docker.engine');
    expect(engine).toMatchObject({ result: 'fail', measured: 'ENGINE_PERMISSION_DENIED' });
    expect(engine.message.en).toContain(socket);
    expect(engine.remedy?.en).toContain('docker group');
    expect(r.check('system.cpu').measured).toBe(Number(sh('nproc', [])));
  });
});

describe('a stack port already in use', () => {
  const listen = (): Promise<net.Server> =>
    new Promise((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    });

  it('a test listener on the port → docker.ports fails with how to find the owner; freed → passes', async () => {
    const server = await listen();
    const port = (server.address() as net.AddressInfo).port;
    let r;
    try {
      r = runCheck(tmp.dir, ['--only', 'docker.ports', '--ports', String(port)]);
    } finally {
      await new Promise((res) => server.close(res));
    }
    expect(r.code).toBe(2);
    expect(r.check('docker.ports')).toMatchObject({ result: 'fail', measured: String(port), measuredText: `in use: ${port} (EADDRINUSE)` });
    expect(r.check('docker.ports').remedy?.en).toContain(`ss -ltnp 'sport = :${port}'`);
    const after = runCheck(tmp.dir, ['--only', 'docker.ports', '--ports', String(port)]);
    expect(after.code).toBe(0);
    expect(after.check('docker.ports')).toMatchObject({ result: 'pass', measuredText: `${port} free` });
  });

  it('a container publishing the port is named as the owner', async () => {
    const probe = await listen();
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((res) => probe.close(res));
    const name = `medai-host-port-${process.pid}`;
    execFileSync('docker', ['run', '-d', '--rm', '--name', name, '--label', 'medai.test=host', '-p', `127.0.0.1:${port}:80`, 'medai/debian-base:bookworm', 'sleep', '120']);
    try {
      const r = runCheck(tmp.dir, ['--only', 'docker.ports', '--ports', String(port)]);
      expect(r.code).toBe(2);
      expect(r.check('docker.ports').measuredText).toBe(`in use: ${port} (container ${name})`);
    } finally {
      execFileSync('docker', ['rm', '-f', name]);
    }
  });
});

describe('json-file logging without max-size (daemon.json read from a temp file; the shared engine is not reconfigured)', () => {
  let dockerd: string[] = [];
  beforeAll(() => {
    // The real engine logs with json-file and has no --log-opt flag, so daemon.json decides.
    expect(dockerFmt('info', '{{.LoggingDriver}}')).toBe('json-file');
    const pid = sh('pidof', ['dockerd']).split(' ')[0]!;
    dockerd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(dockerd.join(' ')).not.toContain('max-size');
  });
  const daemonJson = (name: string, content: string) => {
    const p = path.join(tmp.dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('without max-size → warn with the daemon.json fix; with max-size → pass', () => {
    const none = runCheck(tmp.dir, ['--only', 'docker.log-rotation'], { MEDAI_DOCKER_DAEMON_JSON: daemonJson('no-max.json', '{"log-driver": "json-file", "live-restore": true}') });
    expect(none.code).toBe(1);
    expect(none.check('docker.log-rotation')).toMatchObject({ result: 'warn', measured: null, measuredText: 'json-file, no max-size' });
    expect(none.check('docker.log-rotation').remedy?.en).toContain('"log-opts": {"max-size": "100m", "max-file": "5"}');
    const set = runCheck(tmp.dir, ['--only', 'docker.log-rotation'], { MEDAI_DOCKER_DAEMON_JSON: daemonJson('max.json', '{"log-opts": {"max-size": "100m", "max-file": "5"}}') });
    expect(set.code).toBe(0);
    expect(set.check('docker.log-rotation')).toMatchObject({ result: 'pass', measured: '100m' });
  });

  it('a daemon.json that is not valid JSON fails (Docker would not start after a restart)', () => {
    const r = runCheck(tmp.dir, ['--only', 'docker.log-rotation'], { MEDAI_DOCKER_DAEMON_JSON: daemonJson('broken.json', '{"log-opts": {"max-size": "100m",}}') });
    expect(r.code).toBe(2);
    expect(r.check('docker.log-rotation').message.en).toContain('is not valid JSON');
  });
});

describe('GPU checks with a stand-in nvidia-smi printing recorded-format output', () => {
  const withSmi = (output: string, exit = 0) => ({ MEDAI_NVIDIA_SMI: FAKE_SMI, MEDAI_FAKE_NVSMI_OUTPUT: smiFixture(output), MEDAI_FAKE_NVSMI_EXIT: String(exit) });

  it('T4 on driver 470: driver too old → fail, exit 2', () => {
    const r = runCheck(tmp.dir, ['--only', 'gpu'], withSmi('t4-470.82.01.xml'));
    expect(r.code).toBe(2);
    expect(r.check('gpu.nvidia')).toMatchObject({ result: 'pass', measuredText: '1 × Tesla T4' });
    expect(r.check('gpu.driver')).toMatchObject({ result: 'fail', measured: '470.82.01' });
  });

  it('L4 on 550 with this engine (no NVIDIA runtime registered): the runtime check fails as measured on the real engine', () => {
    expect(dockerFmt('info', '{{json .Runtimes}}')).not.toContain('nvidia');
    const r = runCheck(tmp.dir, ['--only', 'gpu'], withSmi('l4-550.90.07.xml'));
    expect(r.check('gpu.driver').result).toBe('pass');
    expect(r.check('gpu.container-runtime')).toMatchObject({ result: 'fail', measured: false });
    expect(r.check('gpu.smoke')).toMatchObject({ result: 'fail', measuredText: 'not run: no NVIDIA runtime' });
  });

  it('truncated XML → gpu.nvidia error with the parse reason, every GPU check answers, no crash', () => {
    const r = runCheck(tmp.dir, ['--only', 'gpu'], withSmi('truncated-a100-535.xml'));
    expect(r.code).toBe(2);
    expect(r.check('gpu.nvidia').result).toBe('error');
    expect(r.check('gpu.nvidia').message.en).toMatch(/cannot be parsed/);
    expect(r.report.checks.filter((c) => c.category === 'gpu')).toHaveLength(9);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('driver not loaded (exit 9) → fail; no devices (exit 6) → CPU-mode warn', () => {
    const broken = runCheck(tmp.dir, ['--only', 'gpu.nvidia'], withSmi('driver-not-loaded.txt', 9));
    expect(broken.check('gpu.nvidia')).toMatchObject({ result: 'fail' });
    expect(broken.check('gpu.nvidia').message.en).toContain("couldn't communicate with the NVIDIA driver");
    const none = runCheck(tmp.dir, ['--only', 'gpu.nvidia'], withSmi('no-devices.txt', 6));
    expect(none.code).toBe(1);
  });

  it('missing binary → warn "CPU mode"', () => {
    const r = runCheck(tmp.dir, ['--only', 'gpu'], { MEDAI_NVIDIA_SMI: path.join(tmp.dir, 'no', 'nvidia-smi') });
    expect(r.code).toBe(1);
    expect(r.check('gpu.nvidia')).toMatchObject({ result: 'warn', measured: 0 });
  });

  it('a hung nvidia-smi is cut off and reported, not waited on forever', () => {
    const hang = path.join(tmp.dir, 'hang-smi.sh');
    // exec: the timeout's SIGTERM then reaches the sleeping process itself, leaving nothing behind.
    fs.writeFileSync(hang, '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 });
    const r = runCheck(tmp.dir, ['--only', 'gpu.nvidia'], { MEDAI_NVIDIA_SMI: hang });
    expect(r.check('gpu.nvidia')).toMatchObject({ result: 'fail' });
    expect(r.check('gpu.nvidia').message.en).toContain('TIMEOUT');
  });
});
