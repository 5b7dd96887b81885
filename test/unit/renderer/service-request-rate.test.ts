import { describe, expect, it } from 'vitest';
import { PROBE_REQUESTS_PER_POLL, requestRate } from '../../../renderer/src/pages/dashboard/service/request-rate';

describe('request rate from two polls of the service counter', () => {
  it('needs a previous sample', () => {
    expect(requestRate(undefined, { requestsTotal: 10, atMs: 5000 })).toBeNull();
  });

  it('divides the new requests, less the panel own probes, by the seconds between the polls', () => {
    expect(requestRate({ requestsTotal: 100, atMs: 0 }, { requestsTotal: 100 + 20 + PROBE_REQUESTS_PER_POLL, atMs: 5000 })).toBe(4);
  });

  it('reads an idle service as 0, not as the panel own polling', () => {
    expect(requestRate({ requestsTotal: 100, atMs: 0 }, { requestsTotal: 100 + PROBE_REQUESTS_PER_POLL, atMs: 5000 })).toBe(0);
  });

  it('gives no rate when the counter went back (the service restarted) or time did not move', () => {
    expect(requestRate({ requestsTotal: 100, atMs: 0 }, { requestsTotal: 4, atMs: 5000 })).toBeNull();
    expect(requestRate({ requestsTotal: 100, atMs: 5000 }, { requestsTotal: 120, atMs: 5000 })).toBeNull();
  });
});
