import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli, runBuiltCli } from '../../support/built-cli';
import { makeTempDir } from '../../support/temp-dir';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const tmp = makeTempDir('engine');
beforeAll(() => ensureBuiltCli());
afterAll(() => tmp.cleanup());

const noStackTrace = (s: string) => expect(s).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);

describe('medai status on the real Docker engine', () => {
  it('reports what docker info and docker version report', () => {
    // A container we start makes the running count non-trivial and checks it is live.
    const name = `medai-foundation-status-${process.pid}`;
    docker('run', '-d', '--rm', '--name', name, 'medai/debian-base:bookworm', 'sleep', '60');
    try {
      const r = runBuiltCli(['--data-dir', tmp.dir, 'status', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const status = JSON.parse(r.stdout);
      expect(status.serverVersion).toBe(docker('version', '--format', '{{.Server.Version}}'));
      expect(status.apiVersion).toBe(docker('version', '--format', '{{.Server.APIVersion}}'));
      expect(status.storageDriver).toBe(docker('info', '--format', '{{.Driver}}'));
      expect(status.containersTotal).toBe(Number(docker('info', '--format', '{{.Containers}}')));
      expect(status.containersRunning).toBe(Number(docker('info', '--format', '{{.ContainersRunning}}')));
      expect(status.containersRunning).toBeGreaterThanOrEqual(1);
    } finally {
      docker('rm', '-f', name);
    }
  });

  it('prints the same in plain text for people', () => {
    const r = runBuiltCli(['--data-dir', tmp.dir, '--lang', 'en', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Docker engine version: ${docker('version', '--format', '{{.Server.Version}}')}`);
    expect(r.stdout).toContain(`Storage driver: ${docker('info', '--format', '{{.Driver}}')}`);
  });
});

describe('medai status when the engine cannot be reached', () => {
  it('names the missing socket and how to start Docker, exit 4, no stack trace', () => {
    const sock = path.join(tmp.dir, 'missing', 'docker.sock');
    const r = runBuiltCli(['--data-dir', tmp.dir, '--lang', 'en', 'status'], { DOCKER_HOST: `unix://${sock}` });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`Error [ENGINE_SOCKET_MISSING]: The Docker engine socket ${sock} does not exist.`);
    expect(r.stderr).toMatch(/How to fix: Install and start Docker/);
    noStackTrace(r.stderr);
  });

  it('tells a stopped engine (socket left behind, nobody listening) in Chinese', () => {
    // A unix socket bound by a process that never listens: connect() is refused, as with a stopped dockerd.
    const sock = path.join(tmp.dir, 'stale.sock');
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(sock)})`]);
    expect(fs.statSync(sock).isSocket()).toBe(true);
    const r = runBuiltCli(['--data-dir', tmp.dir, 'status'], { DOCKER_HOST: `unix://${sock}`, LANG: 'zh_CN.UTF-8' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`错误 [ENGINE_NOT_RUNNING]: Docker 引擎未运行：${sock} 无法连接。`);
    expect(r.stderr).toContain('解决办法: 启动 Docker');
    noStackTrace(r.stderr);
  });

  it('explains a socket the user may not read (real permission check as an unprivileged user)', () => {
    const socket = '/var/run/docker.sock';
    const mode = fs.statSync(socket).mode & 0o777;
    expect(mode & 0o006, 'the engine socket must not be world-accessible for this test to mean anything').toBe(0);
    // The user needs a data dir of its own; the test's temp dir is root-only.
    fs.chmodSync(tmp.dir, 0o711);
    const dataDir = path.join(tmp.dir, 'nobody');
    fs.mkdirSync(dataDir);
    fs.chownSync(dataDir, 65534, 65534);
    const r = runBuiltCli(['--data-dir', dataDir, '--lang', 'en', '--json', 'status'], {}, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
    expect(r.code, r.stderr).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe('ENGINE_PERMISSION_DENIED');
    expect(out.error.message.en).toContain(socket);
    expect(out.error.remedy.en).toContain('docker group');
  });

  it('answers usage errors with exit 3', () => {
    expect(runBuiltCli(['--data-dir', tmp.dir, 'no-such-command']).code).toBe(3);
    expect(spawnSync('node', ['--version']).status).toBe(0);
  });
});
