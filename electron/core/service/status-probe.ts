import { fail, type ApiError, type ServiceStatus } from '../contract';
import { summarizeMetrics } from './prometheus-text';

interface ReadyBody {
  status?: string;
  version?: string;
  checks?: Record<string, { ok: boolean; latencyMs: number; error?: string; code?: string; name?: string; dimension?: number; provider?: string; providerNote?: string }>;
}

const TIMEOUT_MS = 5000;

/**
 * Reads /health, /ready and (with a key) /metrics of the running service. A refused key the
 * caller gave is an error; a refused key the manager holds (refused set) only blanks the
 * figures, since readiness is still worth showing.
 */
export async function probeService(url: string, apiKey: string | undefined, refused?: ApiError, now: () => Date = () => new Date()): Promise<ServiceStatus> {
  const base = url.replace(/\/+$/, '');
  // Every request, not only the first: a service stopping between /health and /ready (or
  // /metrics) is as unreachable as one that never answered.
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((e: unknown) => {
      throw fail('SERVICE_UNREACHABLE', { url: base, reason: e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e) });
    });
  const alive = (await get('/health')).ok;
  const readyRes = await get('/ready');
  const ready = (await readyRes.json().catch(() => ({}))) as ReadyBody;
  const checks = ready.checks ?? {};
  const { model: m, ...deps } = checks;
  let metrics: ServiceStatus['metrics'] = null;
  let metricsError: ApiError | null = null;
  if (apiKey) {
    const r = await get('/metrics', { authorization: `Bearer ${apiKey}` });
    if (r.status === 401) {
      if (!refused) throw fail('SERVICE_KEY_REJECTED');
      metricsError = refused;
    } else if (r.ok) metrics = summarizeMetrics(await r.text());
  }
  return {
    url: base,
    checkedAt: now().toISOString(),
    alive,
    ready: readyRes.status === 200 && ready.status === 'ready',
    version: ready.version ?? null,
    dependencies: Object.fromEntries(
      Object.entries(deps).map(([k, v]) => [k, { ok: v.ok, latencyMs: v.latencyMs, ...(v.error ? { error: v.error } : {}), ...(v.code ? { code: v.code } : {}) }]),
    ),
    model: m?.name ? { name: m.name, dimension: m.dimension ?? 0, provider: m.provider ?? 'unknown', ...(m.providerNote ? { providerNote: m.providerNote } : {}) } : null,
    metrics,
    ...(refused ? { metricsError } : {}),
  };
}
