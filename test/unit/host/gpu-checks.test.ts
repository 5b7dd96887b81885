import { describe, expect, it } from 'vitest';
import type { HostCheckId } from '../../../electron/core/contract';
import type { HostFacts } from '../../../electron/core/host/facts';
import { healthyFacts, runCheck, smiFrom } from './host-facts';

const GPU_IDS: HostCheckId[] = ['gpu.nvidia', 'gpu.driver', 'gpu.memory', 'gpu.ecc', 'gpu.persistence', 'gpu.temperature', 'gpu.mig', 'gpu.container-runtime'];

function withGpu(fixtureName: string, nvidiaRuntime = true): HostFacts {
  const f = healthyFacts();
  f.gpu = { nvidiaSmi: smiFrom(fixtureName), pciGpus: [], cdiSpecs: [] };
  if (nvidiaRuntime && f.docker?.ok) f.docker.value.info.Runtimes = { ...f.docker.value.info.Runtimes, nvidia: { path: 'nvidia-container-runtime' } };
  return f;
}
const results = (f: HostFacts) => Object.fromEntries(GPU_IDS.map((id) => [id, runCheck(id, f).result]));

describe('GPU checks on recorded-format nvidia-smi output', () => {
  it('L4 on 550: everything passes', () => {
    expect(results(withGpu('l4-550.90.07.xml'))).toEqual(Object.fromEntries(GPU_IDS.map((id) => [id, 'pass'])));
    expect(runCheck('gpu.nvidia', withGpu('l4-550.90.07.xml')).measuredText).toBe('1 × NVIDIA L4');
  });

  it('A100 with MIG: driver fine, MIG instances in use → warn with how to assign one', () => {
    const f = withGpu('a100-sxm4-80gb-x2-mig-535.129.03.xml');
    expect(results(f)).toMatchObject({ 'gpu.nvidia': 'pass', 'gpu.driver': 'pass', 'gpu.mig': 'warn', 'gpu.ecc': 'pass', 'gpu.persistence': 'pass' });
    const mig = runCheck('gpu.mig', f);
    expect(mig.measuredText).toBe('gpu0: Enabled (2 instances); gpu1: Disabled');
    expect(mig.remedy?.en).toMatch(/nvidia-smi -L/);
  });

  it('MIG on with no instance: CUDA sees nothing → fail', () => {
    const f = withGpu('a100-sxm4-80gb-x2-mig-535.129.03.xml');
    if (f.gpu!.nvidiaSmi.state === 'ok') f.gpu!.nvidiaSmi.report.gpus[0]!.migDevices = 0;
    expect(runCheck('gpu.mig', f).result).toBe('fail');
  });

  it('T4 on 470 (CUDA 11.4): driver too old → fail naming the minimum; persistence off → warn', () => {
    const f = withGpu('t4-470.82.01.xml');
    const drv = runCheck('gpu.driver', f);
    expect(drv).toMatchObject({ result: 'fail', measured: '470.82.01', measuredText: '470.82.01 (CUDA 11.4)' });
    expect(drv.threshold?.en).toContain('≥ 525.60.13');
    expect(drv.remedy?.en).toMatch(/Upgrade the NVIDIA driver to 525\.60\.13/);
    expect(drv.remedy?.['zh-CN']).toMatch(/升级到 525\.60\.13/);
    expect(runCheck('gpu.persistence', f).result).toBe('warn');
  });

  it('V100 on 418: too old, and a past double-bit error → ECC warn', () => {
    const f = withGpu('v100-pcie-16gb-x2-418.87.01.xml');
    expect(results(f)).toMatchObject({ 'gpu.driver': 'fail', 'gpu.ecc': 'warn', 'gpu.mig': 'pass' });
  });

  it('H100 with uncorrectable errors since boot → ECC fail; 82 °C vs 87 °C slowdown → temperature warn', () => {
    const f = withGpu('h100-80gb-hbm3-550.54.15-ecc-errors.xml');
    const ecc = runCheck('gpu.ecc', f);
    expect(ecc).toMatchObject({ result: 'fail', measured: 2 });
    expect(ecc.remedy?.en).toMatch(/nvidia-smi -r/);
    expect(runCheck('gpu.temperature', f)).toMatchObject({ result: 'warn', measured: 82 });
  });

  it('a GPU but no NVIDIA runtime or CDI spec in Docker → container-runtime fail ("could not select device driver")', () => {
    const f = withGpu('l4-550.90.07.xml', false);
    const r = runCheck('gpu.container-runtime', f);
    expect(r.result).toBe('fail');
    expect(r.message.en).toContain('could not select device driver');
    expect(r.remedy?.en).toContain('nvidia-ctk runtime configure');
    f.gpu!.cdiSpecs = ['/etc/cdi/nvidia.yaml'];
    expect(runCheck('gpu.container-runtime', f).result).toBe('pass');
  });

  it('no nvidia-smi at all: warn "CPU mode, slower inference", and the other GPU checks are not applicable', () => {
    const f = healthyFacts();
    const r = runCheck('gpu.nvidia', f);
    expect(r.result).toBe('warn');
    expect(r.message.en).toContain('CPU mode: inference runs, but slower');
    expect(r.message['zh-CN']).toContain('CPU 模式');
    for (const id of GPU_IDS.slice(1)) expect(runCheck(id, f)).toMatchObject({ result: 'pass', measuredText: 'n/a (no NVIDIA GPU)' });
  });

  it('an NVIDIA card on the PCI bus (systeminformation) without a driver: warn and say to install it', () => {
    const f = healthyFacts();
    f.gpu!.pciGpus = [{ vendor: 'NVIDIA Corporation', model: 'GA100 [A100 SXM4 80GB]', busAddress: '07:00.0' }];
    const r = runCheck('gpu.nvidia', f);
    expect(r.result).toBe('warn');
    expect(r.message.en).toContain('GA100');
    expect(r.remedy?.en).toMatch(/Install the NVIDIA driver/);
  });

  it('driver not loaded (nvidia-smi exits 9): fail with the reinstall remedy; dependent checks report an error, not a pass', () => {
    const f = healthyFacts();
    f.gpu!.nvidiaSmi = { state: 'failed', path: 'nvidia-smi', detail: "exit 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." };
    expect(runCheck('gpu.nvidia', f)).toMatchObject({ result: 'fail' });
    expect(runCheck('gpu.driver', f)).toMatchObject({ result: 'error' });
  });

  it('"No devices were found" (exit 6) is CPU mode, not a failure', () => {
    const f = healthyFacts();
    f.gpu!.nvidiaSmi = { state: 'failed', path: 'nvidia-smi', detail: 'exit 6: No devices were found' };
    expect(runCheck('gpu.nvidia', f).result).toBe('warn');
  });

  it('truncated XML: an error result that says so, and no crash in any GPU check', () => {
    const f = withGpu('truncated-a100-535.xml');
    const r = runCheck('gpu.nvidia', f);
    expect(r.result).toBe('error');
    expect(r.message.en).toMatch(/cannot be parsed: not well-formed XML/);
    for (const id of GPU_IDS.slice(1)) expect(runCheck(id, f).result).toBe('error');
  });

  it('smoke test outcomes map to results', () => {
    const f = withGpu('l4-550.90.07.xml');
    f.smoke = { state: 'passed', reason: 'ok', output: 'GPU 0: NVIDIA L4 (UUID: GPU-7d6c5b4a)' };
    expect(runCheck('gpu.smoke', f).result).toBe('pass');
    f.smoke = { state: 'failed', reason: 'could not select device driver "" with capabilities: [[gpu]]', output: '' };
    expect(runCheck('gpu.smoke', f)).toMatchObject({ result: 'fail', measuredText: expect.stringContaining('could not select device driver') });
    f.smoke = { state: 'not-run', reason: 'no-image', output: 'vendor/medical-ai-service:1.4.0' };
    expect(runCheck('gpu.smoke', f).result).toBe('warn');
  });
});
