import { describe, expect, it } from 'vitest';
import { histogramQuantile, parsePrometheus, summarizeMetrics } from '../../../electron/core/service/prometheus-text';

const TEXT = `# HELP medai_http_requests_total HTTP requests
# TYPE medai_http_requests_total counter
medai_http_requests_total{method="POST",route="/v1/search",status="200"} 90
medai_http_requests_total{method="POST",route="/v1/search",status="503"} 10
medai_http_request_duration_seconds_bucket{le="0.01",method="POST",route="/v1/search"} 50
medai_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/v1/search"} 99
medai_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/search"} 100
medai_http_request_duration_seconds_sum{method="POST",route="/v1/search"} 2
medai_http_request_duration_seconds_count{method="POST",route="/v1/search"} 100
medai_embedding_batch_size_sum 64
medai_embedding_batch_size_count 4
medai_embedding_queue_depth 3
medai_inflight_requests 2
medai_rejected_requests_total{reason="rate"} 5
medai_process_resident_memory_bytes 123456789
medai_execution_provider_info{provider="cuda",model="m \\"q\\"",dimension="384"} 1
`;

describe('prometheus text', () => {
  it('parses samples with labels, including escaped quotes', () => {
    const s = parsePrometheus(TEXT);
    expect(s.find((x) => x.name === 'medai_execution_provider_info')?.labels).toEqual({ provider: 'cuda', model: 'm "q"', dimension: '384' });
    expect(s.filter((x) => x.name === 'medai_http_requests_total').map((x) => x.value)).toEqual([90, 10]);
  });

  it('estimates quantiles from cumulative buckets', () => {
    const s = parsePrometheus(TEXT);
    expect(histogramQuantile(s, 'medai_http_request_duration_seconds', 0.5)).toBeCloseTo(0.01);
    expect(histogramQuantile(s, 'medai_http_request_duration_seconds', 0.99)).toBeCloseTo(0.1);
    expect(histogramQuantile([], 'x', 0.5)).toBeNull();
  });

  it('summarizes what the Dashboard shows', () => {
    expect(summarizeMetrics(TEXT)).toEqual({
      requestsTotal: 100,
      errorsTotal: 10,
      latencyMeanMs: 20,
      latencyP50Ms: 10,
      latencyP99Ms: 100,
      batchSizeMean: 16,
      queueDepth: 3,
      inflight: 2,
      rejectedTotal: 5,
      residentMemoryBytes: 123456789,
    });
  });
});
