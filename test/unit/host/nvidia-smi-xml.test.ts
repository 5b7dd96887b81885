import { describe, expect, it } from 'vitest';
import { compareDotted, parseNvidiaSmiXml } from '../../../electron/core/host/nvidia-smi-xml';
import { fixture } from './host-facts';

const parse = (name: string) => {
  const r = parseNvidiaSmiXml(fixture(name));
  if (!r.ok) throw new Error(`${name}: ${r.detail}`);
  return r.report;
};

describe('parsing nvidia-smi -q -x (v10, v11, v12 layouts)', () => {
  it('reads two A100s, one in MIG mode with its instances (v12, 535)', () => {
    const r = parse('a100-sxm4-80gb-x2-mig-535.129.03.xml');
    expect(r).toMatchObject({ dtd: 'nvsmi_device_v12.dtd', driverVersion: '535.129.03', cudaVersion: '12.2' });
    expect(r.gpus).toHaveLength(2);
    expect(r.gpus[0]).toMatchObject({ index: 0, busId: '00000000:07:00.0', name: 'NVIDIA A100-SXM4-80GB', persistenceMode: 'Enabled', migMode: 'Enabled', migDevices: 2, memoryTotalMiB: 81920, memoryFreeMiB: 81269 });
    expect(r.gpus[1]).toMatchObject({ index: 1, migMode: 'Disabled', migDevices: 0, eccUncorrectableVolatile: 0, eccUncorrectableAggregate: 0, pendingRetirement: false, temperatureC: 35, slowdownC: 89 });
  });

  it('sums sram/dram uncorrectable counters and sees a pending row remap (v12, 550)', () => {
    const g = parse('h100-80gb-hbm3-550.54.15-ecc-errors.xml').gpus[0]!;
    expect(g).toMatchObject({ name: 'NVIDIA H100 80GB HBM3', eccUncorrectableVolatile: 2, eccUncorrectableAggregate: 2, pendingRetirement: true, remapFailure: false, temperatureC: 82, slowdownC: 87 });
  });

  it('reads the old single_bit/double_bit ECC layout and persistence off (v11, 470)', () => {
    const r = parse('t4-470.82.01.xml');
    expect(r).toMatchObject({ dtd: 'nvsmi_device_v11.dtd', driverVersion: '470.82.01', cudaVersion: '11.4' });
    expect(r.gpus[0]).toMatchObject({ name: 'Tesla T4', persistenceMode: 'Disabled', eccMode: 'Enabled', eccUncorrectableVolatile: 0, migMode: null, migDevices: 0, memoryTotalMiB: 15109 });
  });

  it('reads a v10 capture without MIG elements (418) and an aggregate double-bit error', () => {
    const r = parse('v100-pcie-16gb-x2-418.87.01.xml');
    expect(r.dtd).toBe('nvsmi_device_v10.dtd');
    expect(r.gpus.map((g) => g.eccUncorrectableAggregate)).toEqual([0, 1]);
    expect(r.gpus.every((g) => g.migMode === null)).toBe(true);
  });

  it.each([
    ['truncated-a100-535.xml', /not well-formed/],
    ['malformed-mismatched-tags.xml', /not well-formed/],
    ['driver-not-loaded.txt', /not well-formed|no <nvidia_smi_log>/],
  ])('refuses %s with a reason, never a throw', (name, reason) => {
    const r = parseNvidiaSmiXml(fixture(name));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).toMatch(reason);
  });

  it('refuses empty output and XML that is not an nvidia_smi_log', () => {
    expect(parseNvidiaSmiXml('')).toEqual({ ok: false, detail: 'empty output' });
    expect(parseNvidiaSmiXml('<?xml version="1.0"?><html><body/></html>')).toEqual({ ok: false, detail: 'no <nvidia_smi_log> root element' });
    expect(parseNvidiaSmiXml('<nvidia_smi_log><gpu/></nvidia_smi_log>')).toEqual({ ok: false, detail: 'no <driver_version> in nvidia_smi_log' });
  });

  it('never expands entities from an inline DTD (no file read through XXE)', () => {
    const r = parseNvidiaSmiXml(fixture('xxe-entity.xml'));
    expect(r).toEqual({ ok: false, detail: expect.stringMatching(/External entities are not supported/) });
  });

  it('compares driver versions numerically', () => {
    expect(compareDotted('535.129.03', '525.60.13')).toBe(1);
    expect(compareDotted('470.82.01', '525.60.13')).toBe(-1);
    expect(compareDotted('525.60.13', '525.60.13')).toBe(0);
    expect(compareDotted('20.10.24+dfsg1', '20.10')).toBe(1);
    expect(compareDotted('19.03.15', '20.10')).toBe(-1);
  });
});
