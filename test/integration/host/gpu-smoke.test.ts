import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectDockerFacts } from '../../../electron/core/host/collect/docker-facts';
import { runGpuSmoke } from '../../../electron/core/host/collect/smoke-facts';
import { parseNvidiaSmiXml } from '../../../electron/core/host/nvidia-smi-xml';
import { connectDocker, dockerEndpointFromEnv } from '../../../electron/core/engine/docker-endpoint';
import { checkById } from '../../../electron/core/host/check-registry';
import { DEFAULT_REQUIREMENTS } from '../../../electron/core/host/requirements';
import { fixture } from '../../unit/host/host-facts';

const IMAGE = 'medai/debian-base:bookworm';

// The smoke container path on the real engine. This engine has no GPU, so Docker itself
// refuses the GPU request — the same refusal a hospital server without the NVIDIA toolkit
// gives ("could not select device driver"), and the check must report it and leave nothing behind.
describe('GPU smoke container on the real engine', () => {
  it('reports the engine refusing --gpus as a failure with the engine message, and removes its container', async () => {
    const endpoint = dockerEndpointFromEnv();
    const docker = connectDocker(endpoint);
    const facts = await collectDockerFacts(docker, endpoint, [IMAGE]);
    if (!facts.ok) throw new Error(JSON.stringify(facts.error));
    expect(facts.value.images[IMAGE]).toBe(true);
    const parsed = parseNvidiaSmiXml(fixture('l4-550.90.07.xml'));
    if (!parsed.ok) throw new Error(parsed.detail);
    // A CDI spec "present" lets the smoke test run; the engine then decides.
    const gpu = { nvidiaSmi: { state: 'ok' as const, path: 'nvidia-smi', report: parsed.report }, pciGpus: [], cdiSpecs: ['/etc/cdi/nvidia.yaml'] };

    const smoke = await runGpuSmoke(docker, facts.value, gpu, IMAGE, 30_000);
    expect(smoke.state).toBe('failed');
    expect(smoke.reason).toMatch(/could not select device driver/);
    const out = checkById('gpu.smoke').run({ requirements: { ...DEFAULT_REQUIREMENTS, serviceImage: IMAGE }, dataDir: '/tmp', smoke });
    expect(out.result).toBe('fail');
    expect(out.measuredText).toMatch(/could not select device driver/);
    const left = execFileSync('docker', ['ps', '-aq', '--filter', 'label=medai.host-check=gpu-smoke'], { encoding: 'utf8' }).trim();
    expect(left).toBe('');
  });

  it('does not run at all when the service image is not loaded', async () => {
    const endpoint = dockerEndpointFromEnv();
    const docker = connectDocker(endpoint);
    const facts = await collectDockerFacts(docker, endpoint, ['medai-host/not-loaded:0.0.0']);
    if (!facts.ok) throw new Error(JSON.stringify(facts.error));
    expect(facts.value.images['medai-host/not-loaded:0.0.0']).toBe(false);
    const parsed = parseNvidiaSmiXml(fixture('l4-550.90.07.xml'));
    if (!parsed.ok) throw new Error(parsed.detail);
    const gpu = { nvidiaSmi: { state: 'ok' as const, path: 'nvidia-smi', report: parsed.report }, pciGpus: [], cdiSpecs: ['/etc/cdi/nvidia.yaml'] };
    await expect(runGpuSmoke(docker, facts.value, gpu, 'medai-host/not-loaded:0.0.0')).resolves.toEqual({ state: 'not-run', reason: 'no-image', output: 'medai-host/not-loaded:0.0.0' });
  });
});
