import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One GPU as `nvidia-smi -q -x` describes it, reduced to what the checks need. */
export interface NvidiaGpu {
  index: number;
  busId: string;
  name: string;
  uuid: string | null;
  persistenceMode: string | null;
  memoryTotalMiB: number | null;
  memoryFreeMiB: number | null;
  temperatureC: number | null;
  /** The driver slows the clocks from this temperature on. */
  slowdownC: number | null;
  eccMode: string | null;
  /** Uncorrectable ECC errors since the driver loaded / over the board's life; null where not supported. */
  eccUncorrectableVolatile: number | null;
  eccUncorrectableAggregate: number | null;
  /** Pages waiting to be retired or rows to be remapped (a reset is due). */
  pendingRetirement: boolean;
  remapFailure: boolean;
  migMode: string | null;
  migDevices: number;
}

export interface NvidiaSmiReport {
  dtd: string | null;
  driverVersion: string;
  cudaVersion: string | null;
  gpus: NvidiaGpu[];
}

/**
 * What running nvidia-smi told us. `missing`: no binary (no driver installed);
 * `failed`: it ran and exited non-zero (driver not loaded, "No devices were found");
 * `malformed`: it answered with something that is not a complete nvidia_smi_log.
 */
export type NvidiaSmiFacts =
  | { state: 'ok'; path: string; report: NvidiaSmiReport }
  | { state: 'missing' | 'failed' | 'malformed'; path: string; detail: string };

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // The DOCTYPE names an external DTD; nothing from it may be expanded.
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'gpu' || name === 'mig_device',
});

const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v === '' || v === 'N/A' || v === '[N/A]' ? null : v;
  if (typeof v === 'number') return String(v);
  return null;
};
const node = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
/** "40960 MiB", "41 C", "0" → the number; "N/A" and absent → null. */
const num = (v: unknown): number | null => {
  const s = str(v);
  if (s === null) return null;
  const m = /^(-?\d+(?:\.\d+)?)/.exec(s);
  return m ? Number(m[1]) : null;
};
const sum = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
};

/**
 * Uncorrectable ECC counts in both layouts the driver has used: single_bit/double_bit
 * totals (drivers up to the 5xx series on pre-Ampere boards) and sram_/dram_ counters
 * (Ampere and later with newer drivers).
 */
function uncorrectable(section: unknown): number | null {
  const s = node(section);
  if ('double_bit' in s) return num(node(s.double_bit).total);
  return sum([num(s.sram_uncorrectable), num(s.dram_uncorrectable)]);
}

function gpuFrom(raw: unknown, index: number): NvidiaGpu {
  const g = node(raw);
  const fb = node(g.fb_memory_usage);
  const temp = node(g.temperature);
  const ecc = node(g.ecc_errors);
  const retired = node(g.retired_pages);
  const remapped = node(g.remapped_rows);
  const mig = node(g.mig_mode);
  const migDevices = node(g.mig_devices).mig_device;
  return {
    index: num(g.minor_number) ?? index,
    busId: str(g['@id']) ?? str(node(g.pci).pci_bus_id) ?? `gpu${index}`,
    name: str(g.product_name) ?? 'unknown NVIDIA GPU',
    uuid: str(g.uuid),
    persistenceMode: str(g.persistence_mode),
    memoryTotalMiB: num(fb.total),
    memoryFreeMiB: num(fb.free),
    temperatureC: num(temp.gpu_temp),
    slowdownC: num(temp.gpu_temp_slow_threshold),
    eccMode: str(node(g.ecc_mode).current_ecc),
    eccUncorrectableVolatile: uncorrectable(ecc.volatile),
    eccUncorrectableAggregate: uncorrectable(ecc.aggregate),
    pendingRetirement: str(retired.pending_retirement) === 'Yes' || str(remapped.remapped_row_pending) === 'Yes',
    remapFailure: str(remapped.remapped_row_failure) === 'Yes',
    migMode: str(mig.current_mig),
    migDevices: Array.isArray(migDevices) ? migDevices.length : 0,
  };
}

export type ParseResult = { ok: true; report: NvidiaSmiReport } | { ok: false; detail: string };

/** Parses `nvidia-smi -q -x` output; anything but a complete nvidia_smi_log is a clear failure, never a throw. */
export function parseNvidiaSmiXml(xml: string): ParseResult {
  const trimmed = xml.trim();
  if (!trimmed) return { ok: false, detail: 'empty output' };
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) return { ok: false, detail: `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}` };
  let doc: Node;
  try {
    doc = node(parser.parse(trimmed));
  } catch (e) {
    return { ok: false, detail: `XML parser: ${(e as Error).message}` };
  }
  if (!('nvidia_smi_log' in doc)) return { ok: false, detail: 'no <nvidia_smi_log> root element' };
  const log = node(doc.nvidia_smi_log);
  const driverVersion = str(log.driver_version);
  if (!driverVersion) return { ok: false, detail: 'no <driver_version> in nvidia_smi_log' };
  const dtd = /nvsmi_device_v\d+\.dtd/.exec(trimmed)?.[0] ?? null;
  const gpus = (Array.isArray(log.gpu) ? log.gpu : []).map(gpuFrom);
  return { ok: true, report: { dtd, driverVersion, cudaVersion: str(log.cuda_version), gpus } };
}

/** Compares dotted versions numerically ("535.129.03" vs "525.60.13"); missing parts count as 0. */
export function compareDotted(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
