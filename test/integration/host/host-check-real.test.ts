import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCheckReport, type OperationEvent } from '../../../electron/core/contract';
import { openCore } from '../../../electron/core/open-core';
import { makeTempDir } from '../../support/temp-dir';
import { buildHostCli, dockerFmt, HOST_CLI, runCheck, sh } from './host-cli';
import { spawnSync } from 'node:child_process';

const tmp = makeTempDir('host-real');
beforeAll(() => buildHostCli());
afterAll(() => tmp.cleanup());

const dfBytes = (p: string) => Number(sh('df', ['-B1', '--output=avail', p]).split('\n')[1]);
const dfInodes = (p: string) => Number(sh('df', ['--output=iavail', p]).split('\n')[1]);

describe('medai check on this machine, against independently read values', () => {
  let run: ReturnType<typeof runCheck>;
  let dfAt: { rootBytes: number; rootInodes: number; dataBytes: number };
  const dockerRoot = dockerFmt('info', '{{.DockerRootDir}}');

  beforeAll(() => {
    run = runCheck(tmp.dir, []);
    // Read right after the run: other tests write to this disk concurrently.
    dfAt = { rootBytes: dfBytes(dockerRoot), rootInodes: dfInodes(dockerRoot), dataBytes: dfBytes(tmp.dir) };
  });

  it('runs every check and exits by the worst result (speed is measured in bench/host-check)', () => {
    expect(run.report.checks).toHaveLength(32);
    expect(run.code).toBe({ pass: 0, warn: 1, fail: 2, error: 2 }[run.report.worst]);
    expect(HostCheckReport.safeParse(run.report).success).toBe(true);
    expect(run.report.durationMs).toBeGreaterThan(0);
  });

  it('Docker checks report what docker info / docker version report', () => {
    expect(run.check('docker.engine')).toMatchObject({ result: 'pass', measured: '/var/run/docker.sock' });
    expect(run.check('docker.version').measured).toBe(dockerFmt('version', '{{.Server.Version}}'));
    expect(run.check('docker.version').details?.apiVersion).toBe(dockerFmt('version', '{{.Server.APIVersion}}'));
    expect(run.check('docker.storage-driver').measured).toBe(dockerFmt('info', '{{.Driver}}'));
    expect(run.check('docker.cgroup-driver').measured).toBe(dockerFmt('info', '{{.CgroupDriver}}'));
    expect(run.check('docker.cgroup-driver').measuredText).toContain(`cgroup v${dockerFmt('info', '{{.CgroupVersion}}')}`);
    expect(String(run.check('docker.live-restore').measured)).toBe(dockerFmt('info', '{{.LiveRestoreEnabled}}'));
    expect(run.check('docker.log-rotation').measuredText.startsWith(dockerFmt('info', '{{.LoggingDriver}}'))).toBe(true);
    const bridge = sh('docker', ['network', 'inspect', 'bridge', '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}}']);
    expect(run.check('docker.address-pools').measuredText).toContain(`bridge ${bridge}`);
    const dtype = dockerFmt('info', '{{range .DriverStatus}}{{if eq (index . 0) "Supports d_type"}}{{index . 1}}{{end}}{{end}}');
    expect(String(run.check('disk.overlay2-support').measured)).toBe(dtype);
  });

  it('disk checks report what df reports (free bytes within 1 GiB, inodes within 50k: the disk is shared)', () => {
    const root = run.check('disk.docker-root-space');
    expect(root.details?.path).toBe(dockerRoot);
    expect(Math.abs((root.measured as number) - dfAt.rootBytes)).toBeLessThan(1024 ** 3);
    expect(Math.abs((run.check('disk.docker-root-inodes').measured as number) - dfAt.rootInodes)).toBeLessThan(50_000);
    const data = run.check('disk.data-dir-space');
    expect(data.details?.path).toBe(tmp.dir);
    expect(Math.abs((data.measured as number) - dfAt.dataBytes)).toBeLessThan(1024 ** 3);
    // The formula is stated with the figures used.
    expect(root.threshold?.en).toMatch(/images .* \+ volumes .* \+ 2 backups ×/);
  });

  it('system checks report what /proc, nproc, uname and os-release report', () => {
    expect(run.check('system.cpu').measured).toBe(Number(sh('nproc', [])));
    const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))![1]);
    expect(run.check('system.memory').measured).toBe(memKb * 1024);
    expect(run.check('system.kernel').measured).toBe(sh('uname', ['-r']));
    expect(run.check('system.arch').measured).toBe(sh('uname', ['-m']));
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))![1];
    expect(run.check('system.os').measured).toBe(pretty);
    const cgroupFs = sh('stat', ['-f', '-c', '%T', '/sys/fs/cgroup']);
    expect(run.check('system.cgroup').measured === '2').toBe(cgroupFs === 'cgroup2fs');
    // No time sync daemon here: the check says so instead of pretending.
    const hasChrony = spawnSync('sh', ['-c', 'command -v chronyc']).status === 0;
    if (!hasChrony) expect(run.check('system.time-sync')).toMatchObject({ result: 'warn', measuredText: 'no NTP client' });
  });

  it('GPU: no nvidia-smi on this machine → warn "CPU mode", never a failure', () => {
    expect(spawnSync('sh', ['-c', 'command -v nvidia-smi']).status).not.toBe(0);
    expect(run.check('gpu.nvidia')).toMatchObject({ result: 'warn', measured: 0 });
    expect(run.check('gpu.nvidia').message.en).toContain('CPU mode');
  });

  it('stores the run: --history lists it, --show returns it unchanged, --html writes a printable report', () => {
    const history = spawnSync('node', [HOST_CLI, '--data-dir', tmp.dir, '--json', 'check', '--history'], { encoding: 'utf8' });
    expect(history.status).toBe(0);
    expect(JSON.parse(history.stdout)[0]).toMatchObject({ runId: run.report.runId, worst: run.report.worst, counts: run.report.counts });
    const html = path.join(tmp.dir, 'report.html');
    const shown = spawnSync('node', [HOST_CLI, '--data-dir', tmp.dir, '--lang', 'zh-CN', '--json', 'check', '--show', run.report.runId, '--html', html], { encoding: 'utf8' });
    expect(JSON.parse(shown.stdout)).toEqual(run.report);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('主机预检报告');
    for (const c of run.report.checks) expect(page).toContain(c.id);
    const missing = spawnSync('node', [HOST_CLI, '--data-dir', tmp.dir, '--lang', 'en', 'check', '--show', 'hc_0000000000000000'], { encoding: 'utf8' });
    expect(missing.status).toBe(5);
    expect(missing.stderr).toContain('[HOST_CHECK_RUN_NOT_FOUND]');
  });

  it('prints a table grouped by category in the chosen language, and refuses unknown ids with exit 3', () => {
    const r = spawnSync('node', [HOST_CLI, '--data-dir', tmp.dir, '--lang', 'zh-CN', 'check', '--only', 'system.cpu,system.memory'], { encoding: 'utf8' });
    expect(r.stdout).toContain('== 系统 ==');
    expect(r.stdout).toMatch(/\[(PASS |WARN |FAIL )\] system\.cpu +\d+ \(/);
    expect(r.stdout).toContain('结论:');
    const bad = spawnSync('node', [HOST_CLI, '--data-dir', tmp.dir, '--lang', 'en', 'check', '--only', 'docker.prots'], { encoding: 'utf8' });
    expect(bad.status).toBe(3);
    expect(bad.stderr).toContain('unknown check "docker.prots"');
  });
});

describe('host.check through the core API', () => {
  it('reports step i of n per fact source and per check, then the stored report', async () => {
    const core = openCore({ dataDir: path.join(tmp.dir, 'api'), env: process.env });
    try {
      const started = await core.dispatch('host.check', { only: ['system', 'docker.version'] });
      if (!started.ok) throw new Error(JSON.stringify(started.error));
      const { operationId } = started.result as { operationId: string };
      const events: OperationEvent[] = [];
      const last = await core.operations.waitFor(operationId, (e) => events.push(e));
      expect(last.type).toBe('done');
      const steps = events.flatMap((e) => (e.type === 'progress' && e.step ? [e.step] : []));
      // system + docker sources, 8 system checks + docker.version
      expect(steps.map((s) => s.index)).toEqual([...Array(11).keys()]);
      expect(new Set(steps.map((s) => s.count))).toEqual(new Set([11]));
      expect(steps.some((s) => s.id === 'docker.version' && s.label.en === 'Docker engine version')).toBe(true);
      const report = HostCheckReport.parse((last as { result: unknown }).result);
      expect(report.operationId).toBe(operationId);
      expect(report.checks.map((c) => c.id)).toContain('docker.version');
      const runs = await core.dispatch('host.checkRuns', {});
      expect(runs.ok && (runs.result as { runId: string }[])[0]?.runId).toBe(report.runId);
      const html = await core.dispatch('host.checkReportHtml', { runId: report.runId, lang: 'en' });
      expect(html.ok && (html.result as { html: string }).html).toContain(os.hostname());
    } finally {
      core.deps.db.close();
    }
  });
});
