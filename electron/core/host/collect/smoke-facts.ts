import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import type { DockerFacts, GpuFacts, SmokeFacts } from '../facts';

/** Whether Docker can hand a GPU to a container: registered nvidia runtime, or CDI specs. */
export const gpuRuntimeAvailable = (d: DockerFacts, g: GpuFacts): boolean => Object.keys(d.info.Runtimes ?? {}).includes('nvidia') || g.cdiSpecs.length > 0;

/**
 * The end-to-end proof: the service image itself started with --gpus all, running
 * nvidia-smi -L (the toolkit mounts it in). Only run when everything it needs is there,
 * so the report says which earlier check to fix rather than a confusing container error.
 */
export async function runGpuSmoke(docker: Docker, d: DockerFacts, g: GpuFacts, serviceImage: string | null, timeoutMs = 30_000): Promise<SmokeFacts> {
  if (g.nvidiaSmi.state !== 'ok' || g.nvidiaSmi.report.gpus.length === 0) return { state: 'not-run', reason: 'no-gpu', output: '' };
  if (!gpuRuntimeAvailable(d, g)) return { state: 'not-run', reason: 'no-runtime', output: '' };
  if (!serviceImage || !d.images[serviceImage]) return { state: 'not-run', reason: 'no-image', output: serviceImage ?? '' };
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text = (text + b.toString()).slice(-4000)));
  const name = `medai-host-gpu-smoke-${Date.now().toString(36)}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = docker.run(serviceImage, ['nvidia-smi', '-L'], out, {
      name,
      Entrypoint: [],
      Labels: { 'medai.host-check': 'gpu-smoke' },
      HostConfig: { AutoRemove: true, DeviceRequests: [{ Driver: '', Count: -1, Capabilities: [['gpu']] }], NetworkMode: 'none' },
    }) as Promise<[{ StatusCode: number }, unknown]>;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), timeoutMs)));
    const [result] = await Promise.race([run, timeout]);
    return result.StatusCode === 0 && /GPU \d+:/.test(text)
      ? { state: 'passed', reason: 'ok', output: text.trim() }
      : { state: 'failed', reason: `exit ${result.StatusCode}`, output: text.trim() };
  } catch (e) {
    await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    return { state: 'failed', reason: (e as { json?: { message?: string } }).json?.message ?? (e as Error).message, output: text.trim() };
  } finally {
    clearTimeout(timer);
  }
}
