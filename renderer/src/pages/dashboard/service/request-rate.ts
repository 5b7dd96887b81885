/** One reading of the service's request counter, as the panel polled it. */
export interface CounterSample {
  requestsTotal: number;
  atMs: number;
}

/**
 * Each poll of service.status itself sends /health, /ready and /metrics; the service counts
 * them in medai_http_requests_total like any request, so they are taken off the difference
 * to show the traffic of the service's users rather than the panel's own.
 */
export const PROBE_REQUESTS_PER_POLL = 3;

/**
 * Requests per second between two successive polls. /metrics has counters only (a rate
 * needs two readings), so the panel keeps the previous sample. Null without a previous
 * sample or when the counter went down (the service restarted and began again at 0).
 */
export function requestRate(previous: CounterSample | undefined, current: CounterSample): number | null {
  if (!previous || current.atMs <= previous.atMs || current.requestsTotal < previous.requestsTotal) return null;
  const requests = Math.max(0, current.requestsTotal - previous.requestsTotal - PROBE_REQUESTS_PER_POLL);
  return requests / ((current.atMs - previous.atMs) / 1000);
}
