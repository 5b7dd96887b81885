import client from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(queueDepthSource: () => number = () => 0) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'medai_' });
  const m = {
    registry,
    requests: new client.Counter({ name: 'medai_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    latency: new client.Histogram({
      name: 'medai_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchSize: new client.Histogram({ name: 'medai_embedding_batch_size', help: 'Texts per forward pass', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [registry] }),
    batchSeconds: new client.Histogram({
      name: 'medai_embedding_batch_duration_seconds',
      help: 'Duration of one forward pass (tokenize, run, pool)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    queueDepth: new client.Gauge({
      name: 'medai_embedding_queue_depth',
      help: 'Texts waiting for a forward pass',
      registers: [registry],
      collect() {
        this.set(queueDepthSource());
      },
    }),
    inflight: new client.Gauge({ name: 'medai_inflight_requests', help: 'Requests being served now', registers: [registry] }),
    rejected: new client.Counter({ name: 'medai_rejected_requests_total', help: 'Requests turned away by a limit', labelNames: ['reason'], registers: [registry] }),
    provider: new client.Gauge({ name: 'medai_execution_provider_info', help: 'Execution provider in use (value 1)', labelNames: ['provider', 'model', 'dimension'], registers: [registry] }),
    cache: new client.Counter({ name: 'medai_embedding_cache_total', help: 'Embedding cache lookups', labelNames: ['result'], registers: [registry] }),
    auditDropped: new client.Counter({ name: 'medai_audit_dropped_total', help: 'Audit rows dropped while PostgreSQL was unreachable', registers: [registry] }),
    dependencyUp: new client.Gauge({ name: 'medai_dependency_up', help: 'Dependency reachable at the last readiness check', labelNames: ['dependency'], registers: [registry] }),
    tokens: new client.Counter({ name: 'medai_embedding_tokens_total', help: 'Tokens embedded', registers: [registry] }),
  };
  return m;
}
