import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../../../electron/core/stack/compose/compose-parse';
import { containerCreateOptions } from '../../../electron/core/stack/engine/container-spec';
import { faultHook } from '../../../electron/core/stack/state/step-journal';
import { planUpgrade } from '../../../electron/core/stack/ops/plan';
import { demuxLogs } from '../../../electron/core/stack/engine/log-frames';

const PRODUCT = path.resolve(__dirname, '../../../bundles/medical-ai-stack/compose.yaml');
const VARS = { MEDAI_BIND_ADDRESS: '10.0.0.5', POSTGRES_PASSWORD: 'p', REDIS_PASSWORD: 'r', SECRET_KEY: 's', JWT_SECRET: 'j' };

describe("the product's compose file and the engine requests made from it", () => {
  const model = parseCompose({ file: '/var/lib/medai/stacks/medai/versions/1.0.0/compose.yaml', source: fs.readFileSync(PRODUCT, 'utf8'), vars: VARS });
  const service = model.services.find((s) => s.name === 'medical-ai-service')!;
  const plan = (gpu: boolean) =>
    containerCreateOptions({ project: 'medai', model, service, imageId: 'sha256:abc', configHash: 'h', stackVersion: '1.0.0', gpu });

  it('parses within the supported subset, dependencies first', () => {
    expect(model.services.at(-1)!.name).toBe('medical-ai-service');
    expect(service.readiness).toEqual({ path: '/ready', port: 8000 });
    expect(model.networks.find((n) => n.name === 'backend')!.internal).toBe(true);
  });

  it('maps NVIDIA reservations to DeviceRequests only when GPUs are on', () => {
    expect(plan(true).HostConfig!.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: 1, DeviceIDs: undefined, Capabilities: [['gpu']] }]);
    expect(plan(false).HostConfig!.DeviceRequests).toBeUndefined();
  });

  it('sets the Compose labels, limits, log rotation and the published port on the chosen address', () => {
    const o = plan(false);
    expect(o.name).toBe('medai-medical-ai-service-1');
    expect(o.Labels).toMatchObject({
      'com.docker.compose.project': 'medai',
      'com.docker.compose.service': 'medical-ai-service',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'h',
      'com.docker.compose.depends_on': 'postgres:service_healthy:false,redis:service_healthy:false,milvus:service_healthy:false',
    });
    expect(o.HostConfig!.PortBindings).toEqual({ '8000/tcp': [{ HostIp: '10.0.0.5', HostPort: '8000' }] });
    expect(o.HostConfig!.Memory).toBe(16 * 1024 ** 3);
    expect(o.HostConfig!.NanoCpus).toBe(8e9);
    expect(o.HostConfig!.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '5' } });
    expect(o.HostConfig!.NetworkMode).toBe('medai_frontend');
    expect(o.Healthcheck).toEqual({ Test: ['CMD', 'curl', '-fsS', 'http://127.0.0.1:8000/health'], Interval: 15e9, Timeout: 5e9, Retries: 5, StartPeriod: 60e9 });
  });

  it('plans an upgrade by image ID and config, without showing secret values', () => {
    const next = parseCompose({ file: '/x/compose.yaml', source: fs.readFileSync(PRODUCT, 'utf8'), vars: { ...VARS, POSTGRES_PASSWORD: 'S3cret-new-value' } });
    const ids = new Map(model.services.map((s) => [s.name, `sha256:${s.name}`]));
    const p = planUpgrade('medai', { version: '1.0.0', model, imageIds: ids }, { version: '1.1.0', model: next, imageIds: new Map([...ids, ['redis', 'sha256:new']]), releaseNotes: { 'zh-CN': 'x', en: 'x' } }, false);
    const byName = Object.fromEntries(p.services.map((s) => [s.service, s]));
    expect(byName.postgres!.change).toBe('update');
    expect(byName.postgres!.configDiff).toEqual(['environment.POSTGRES_PASSWORD']);
    expect(JSON.stringify(p)).not.toContain('S3cret-new-value');
    expect(byName.redis!.configDiff).toEqual(['image (ID)']);
    expect(byName.etcd!.change).toBe('unchanged');
  });
});

describe('small stack helpers', () => {
  it('fault hook fires only for its step boundary', () => {
    const hook = faultHook({ MEDAI_FAULT_AT: 'upgrade.backup:end' });
    // A non-matching boundary returns normally (a match would SIGKILL this process).
    expect(hook('upgrade.backup', 'begin')).toBeUndefined();
    expect(faultHook({})('upgrade.backup', 'end')).toBeUndefined();
  });

  it('demultiplexes engine log frames', () => {
    const frame = (type: number, text: string) => Buffer.concat([Buffer.from([type, 0, 0, 0, 0, 0, 0, Buffer.byteLength(text)]), Buffer.from(text)]);
    expect(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toEqual([
      { stream: 'stdout', text: 'out\n' },
      { stream: 'stderr', text: 'err\n' },
    ]);
    expect(demuxLogs(Buffer.from('plain tty text'))).toEqual([{ stream: 'stdout', text: 'plain tty text' }]);
  });
});
