import type { ServiceMetrics } from '../contract';

/** One sample of the Prometheus text format: name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, '$1');
    const value = Number(m[3]);
    if (!Number.isNaN(value)) out.push({ name: m[1]!, labels, value });
  }
  return out;
}

const sum = (s: Sample[], name: string, where: (l: Record<string, string>) => boolean = () => true) =>
  s.filter((x) => x.name === name && where(x.labels)).reduce((a, x) => a + x.value, 0);

/** Quantile from cumulative histogram buckets (summed over label sets), linear inside a bucket. */
export function histogramQuantile(samples: Sample[], name: string, q: number): number | null {
  const buckets = new Map<number, number>();
  for (const x of samples.filter((s) => s.name === `${name}_bucket`)) {
    const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + x.value);
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      const inBucket = count - prevCount;
      return inBucket === 0 ? le : prevLe + ((le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}

/** The Dashboard's figures from the service's /metrics. */
export function summarizeMetrics(text: string): ServiceMetrics {
  const s = parsePrometheus(text);
  const reqCount = sum(s, 'medai_http_request_duration_seconds_count');
  const reqSum = sum(s, 'medai_http_request_duration_seconds_sum');
  const batchCount = sum(s, 'medai_embedding_batch_size_count');
  const ms = (v: number | null) => (v === null ? null : Math.round(v * 1000 * 10) / 10);
  const rss = s.find((x) => x.name === 'medai_process_resident_memory_bytes');
  return {
    requestsTotal: sum(s, 'medai_http_requests_total'),
    errorsTotal: sum(s, 'medai_http_requests_total', (l) => (l.status ?? '').startsWith('5')),
    latencyMeanMs: reqCount > 0 ? ms(reqSum / reqCount) : null,
    latencyP50Ms: ms(histogramQuantile(s, 'medai_http_request_duration_seconds', 0.5)),
    latencyP99Ms: ms(histogramQuantile(s, 'medai_http_request_duration_seconds', 0.99)),
    batchSizeMean: batchCount > 0 ? Math.round((sum(s, 'medai_embedding_batch_size_sum') / batchCount) * 100) / 100 : null,
    queueDepth: sum(s, 'medai_embedding_queue_depth'),
    inflight: sum(s, 'medai_inflight_requests'),
    rejectedTotal: sum(s, 'medai_rejected_requests_total'),
    residentMemoryBytes: rss ? rss.value : null,
  };
}
