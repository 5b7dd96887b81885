import type pg from 'pg';

export interface AuditEntry {
  principal: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  requestId: string;
  clientIp: string | undefined;
  body: unknown;
}

// Audit rows are written in batches off the request path. While PostgreSQL is down they
// wait in a bounded buffer; beyond it the oldest are dropped and counted in /metrics.
export class AuditWriter {
  private buf: AuditEntry[] = [];
  private timer: NodeJS.Timeout;
  private flushing = false;

  constructor(
    private readonly db: pg.Pool,
    private readonly onDropped: (n: number) => void,
    private readonly maxBuffered = 10_000,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(e: AuditEntry): void {
    this.buf.push(e);
    if (this.buf.length > this.maxBuffered) {
      const drop = this.buf.length - this.maxBuffered;
      this.buf.splice(0, drop);
      this.onDropped(drop);
    }
  }

  async flush(): Promise<void> {
    if (this.flushing || this.buf.length === 0) return;
    this.flushing = true;
    const batch = this.buf.splice(0, 1000);
    try {
      await this.db.query(
        `INSERT INTO audit_log (principal, method, route, status, duration_ms, request_id, client_ip, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::real[], $6::text[], $7::text[], $8::jsonb[])`,
        [
          batch.map((e) => e.principal),
          batch.map((e) => e.method),
          batch.map((e) => e.route),
          batch.map((e) => e.status),
          batch.map((e) => e.durationMs),
          batch.map((e) => e.requestId),
          batch.map((e) => e.clientIp ?? null),
          batch.map((e) => (e.body === undefined ? null : JSON.stringify(e.body))),
        ],
      );
    } catch {
      this.buf.unshift(...batch);
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
