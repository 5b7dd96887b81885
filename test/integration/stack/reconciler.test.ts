import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../../electron/core/contract';
import { parseCompose } from '../../../electron/core/stack/compose/compose-parse';
import { parseEnvFile } from '../../../electron/core/stack/compose/interpolate';
import { applyStack } from '../../../electron/core/stack/engine/reconcile';
import { makeTempDir } from '../../support/temp-dir';
import { cleanupProjects, ensureTestImages, PG_REDIS_COMPOSE, projectObjects, realEngine, testProject, writeStackDir } from './stack-fixtures';

const access = realEngine();
const tmp = makeTempDir('stacktest');
const projects: string[] = [];
const ENV = { POSTGRES_PASSWORD: 'pw-reconciler-test', REDIS_PASSWORD: 'redis-pw-test' };

function load(dir: string, compose: string, env: Record<string, string> = ENV) {
  const file = writeStackDir(dir, compose, env);
  return parseCompose({ file, source: compose, vars: parseEnvFile(fs.readFileSync(path.join(dir, '.env'), 'utf8')) });
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return (e as CoreError).error;
  }
  throw new Error('expected a refusal');
}

beforeAll(() => ensureTestImages());
afterAll(async () => {
  await cleanupProjects(access, projects);
  tmp.cleanup();
});

describe('reconciler on the real engine', () => {
  const project = testProject('rec');
  projects.push(project);
  const dir = path.join(tmp.dir, project);

  it('creates the stack in dependency order with Compose labels, healthy', async () => {
    const model = load(dir, PG_REDIS_COMPOSE);
    const result = await applyStack(access, { project, model, stackVersion: '1.0.0', gpu: false, healthTimeoutMs: 90_000 });
    expect(result.actions).toEqual([
      { service: 'postgres', action: 'create' },
      { service: 'redis', action: 'create' },
    ]);
    const pg = await access.docker.getContainer(`${project}-postgres-1`).inspect();
    expect(pg.State.Health?.Status).toBe('healthy');
    expect(pg.Config.Labels).toMatchObject({
      'com.docker.compose.project': project,
      'com.docker.compose.service': 'postgres',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.project.working_dir': dir,
      'com.docker.compose.project.config_files': path.join(dir, 'compose.yaml'),
      'ai.medai.stack-version': '1.0.0',
      'ai.medai.role': 'database',
    });
    expect(pg.Config.Labels['com.docker.compose.config-hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(pg.Mounts.find((m) => m.Destination === '/var/lib/postgresql/data')?.Name).toBe(`${project}_pgdata`);
    const redis = await access.docker.getContainer(`${project}-redis-1`).inspect();
    expect(redis.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });
    // Postgres got the default rotation: no unbounded logs.
    expect(pg.HostConfig.LogConfig?.Config).toEqual({ 'max-size': '10m', 'max-file': '3' });
    // Redis reaches postgres by its service name on the project network.
    const exec = await access.docker.getContainer(`${project}-redis-1`).exec({ Cmd: ['getent', 'hosts', 'postgres'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const out = await new Promise<string>((resolve) => {
      let s = '';
      stream.on('data', (d: Buffer) => (s += d.toString()));
      stream.on('end', () => resolve(s));
    });
    expect(out).toContain(pg.NetworkSettings.Networks[`${project}_default`]!.IPAddress);
  });

  it('changes nothing when the same version is applied again', async () => {
    const before = await access.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    const result = await applyStack(access, { project, model: load(dir, PG_REDIS_COMPOSE), stackVersion: '1.0.0', gpu: false, healthTimeoutMs: 60_000 });
    expect(result.actions.map((a) => a.action)).toEqual(['keep', 'keep']);
    const after = await access.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    expect(after.map((c) => c.Id).sort()).toEqual(before.map((c) => c.Id).sort());
  });

  it('replaces only the service whose config changed', async () => {
    const pgBefore = (await access.docker.getContainer(`${project}-postgres-1`).inspect()).Id;
    const changed = PG_REDIS_COMPOSE.replace('      REDIS_PASSWORD: ${REDIS_PASSWORD}\n', '      REDIS_PASSWORD: ${REDIS_PASSWORD}\n      TZ: UTC\n');
    const result = await applyStack(access, { project, model: load(dir, changed), stackVersion: '1.0.1', gpu: false, healthTimeoutMs: 60_000 });
    expect(result.actions).toEqual([
      { service: 'postgres', action: 'keep' },
      { service: 'redis', action: 'replace' },
    ]);
    expect((await access.docker.getContainer(`${project}-postgres-1`).inspect()).Id).toBe(pgBefore);
    const redis = await access.docker.getContainer(`${project}-redis-1`).inspect();
    expect(redis.Config.Env).toContain('TZ=UTC');
    expect(redis.State.Health?.Status).toBe('healthy');
    expect((await projectObjects(access, project)).containers).toBe(2);
  });

  it("is listed and logged by Debian's docker-compose (Compose v1)", () => {
    const file = path.join(dir, 'compose.yaml');
    const ps = execFileSync('docker-compose', ['-p', project, '-f', file, 'ps'], { cwd: dir, encoding: 'utf8' });
    expect(ps).toContain(`${project}-postgres-1`);
    expect(ps).toContain(`${project}-redis-1`);
    expect(ps).toMatch(/Up \(healthy\)/);
    const logs = execFileSync('docker-compose', ['-p', project, '-f', file, 'logs', '--no-color', 'postgres'], { cwd: dir, encoding: 'utf8' });
    expect(logs).toMatch(/database system is ready to accept connections/);
  });

  it('refuses a published port that is taken, leaving nothing behind', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const p2 = testProject('port');
    projects.push(p2);
    const compose = PG_REDIS_COMPOSE.replace('    image: medai-test/redis:7\n', `    image: medai-test/redis:7\n    ports: ["127.0.0.1:${port}:6379"]\n`);
    const err = await refusal(applyStack(access, { project: p2, model: load(path.join(tmp.dir, p2), compose), stackVersion: '1.0.0', gpu: false, healthTimeoutMs: 60_000 }));
    blocker.close();
    expect(err.code).toBe('STACK_PORT_IN_USE');
    expect(err.message.en).toContain(String(port));
    expect(await projectObjects(access, p2)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('refuses a missing image by name, leaving nothing behind', async () => {
    const p3 = testProject('img');
    projects.push(p3);
    const compose = PG_REDIS_COMPOSE.replace('medai-test/redis:7', 'medai-test/not-there:9');
    const err = await refusal(applyStack(access, { project: p3, model: load(path.join(tmp.dir, p3), compose), stackVersion: '1.0.0', gpu: false, healthTimeoutMs: 60_000 }));
    expect(err.code).toBe('STACK_IMAGE_MISSING');
    expect(err.message.en).toContain('medai-test/not-there:9');
    expect(await projectObjects(access, p3)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('refuses a volume owned by another project and never touches it', async () => {
    const p4 = testProject('vol');
    projects.push(p4, `${p4}-other`);
    const volume = await access.docker.createVolume({ Name: `${p4}_pgdata`, Labels: { 'com.docker.compose.project': `${p4}-other` } });
    const err = await refusal(applyStack(access, { project: p4, model: load(path.join(tmp.dir, p4), PG_REDIS_COMPOSE), stackVersion: '1.0.0', gpu: false, healthTimeoutMs: 60_000 }));
    expect(err.code).toBe('STACK_VOLUME_FOREIGN');
    expect(err.message.en).toContain(`${p4}-other`);
    expect(await projectObjects(access, p4)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect((await access.docker.getVolume(volume.name).inspect()).Labels['com.docker.compose.project']).toBe(`${p4}-other`);
  });
});
