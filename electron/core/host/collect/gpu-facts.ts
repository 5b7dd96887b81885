import type { GpuFacts } from '../facts';
import type { HostProbes } from '../host-probes';
import { parseNvidiaSmiXml, type NvidiaSmiFacts } from '../nvidia-smi-xml';

export async function readNvidiaSmi(p: HostProbes): Promise<NvidiaSmiFacts> {
  const path = p.nvidiaSmiPath;
  const out = await p.run(path, ['-q', '-x'], 10_000);
  if (out.spawnError === 'ENOENT') return { state: 'missing', path, detail: `${path} not found` };
  if (out.spawnError) return { state: 'failed', path, detail: `${path}: ${out.spawnError}` };
  if (out.code !== 0) {
    const said = (out.stdout + out.stderr).trim().split('\n').slice(0, 3).join(' / ');
    return { state: 'failed', path, detail: `exit ${out.code}: ${said || 'no output'}` };
  }
  const parsed = parseNvidiaSmiXml(out.stdout);
  return parsed.ok ? { state: 'ok', path, report: parsed.report } : { state: 'malformed', path, detail: parsed.detail };
}

/** CDI specs (the toolkit's `nvidia-ctk cdi generate`) that describe nvidia.com/gpu devices. */
export function findCdiSpecs(p: HostProbes, dirs: readonly string[]): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const f of p.listDir(dir) ?? []) {
      if (!/\.(json|ya?ml)$/.test(f)) continue;
      const text = p.readFile(`${dir}/${f}`) ?? '';
      if (/nvidia\.com\/gpu/.test(text)) found.push(`${dir}/${f}`);
    }
  }
  return found;
}

export async function collectGpuFacts(p: HostProbes, cdiSpecDirs: readonly string[] = []): Promise<GpuFacts> {
  const [nvidiaSmi, pci] = await Promise.all([readNvidiaSmi(p), p.pciGpus().catch(() => [])]);
  return {
    nvidiaSmi,
    pciGpus: pci.filter((g) => /nvidia/i.test(g.vendor)),
    cdiSpecs: findCdiSpecs(p, [...new Set([...p.cdiDirs, ...cdiSpecDirs])]),
  };
}
