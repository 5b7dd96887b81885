import { setTimeout as sleep } from 'node:timers/promises';
import { fail } from '../../contract';
import type { StackModel } from '../compose/stack-model';

/** The URLs people and checks use: each service's published readiness port, on its bind address. */
export function serviceUrls(model: StackModel): { service: string; base: string; readiness: string }[] {
  const out: { service: string; base: string; readiness: string }[] = [];
  for (const s of model.services) {
    if (!s.readiness) continue;
    const p = s.ports.find((x) => x.containerPort === s.readiness!.port && x.protocol === 'tcp');
    if (!p) continue;
    const host = p.hostIp === '0.0.0.0' ? '127.0.0.1' : p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
    out.push({ service: s.name, base: `http://${host}:${p.hostPort}`, readiness: s.readiness.path });
  }
  return out;
}

async function get(url: string): Promise<number | string> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await r.arrayBuffer();
    return r.status;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The final gate: `/health` and the readiness path answer 200 through the published port,
 * from the host, exactly as a client would reach them. Retries until the deadline.
 */
export async function verifyEndpoints(model: StackModel, timeoutMs: number, log?: (l: string) => void): Promise<string[]> {
  const urls = serviceUrls(model);
  const deadline = Date.now() + timeoutMs;
  for (const u of urls) {
    for (const p of ['/health', u.readiness]) {
      const url = `${u.base}${p}`;
      for (;;) {
        const status = await get(url);
        if (status === 200) {
          log?.(`${url} → 200`);
          break;
        }
        if (Date.now() > deadline) throw fail('STACK_ENDPOINT_UNHEALTHY', { url, status: String(status) });
        await sleep(250);
      }
    }
  }
  return urls.map((u) => u.base);
}
