import http from 'node:http';
import { once } from 'node:events';

/** How much may be queued on the request before the reader waits for the engine. */
const WRITE_AHEAD = 8 * 1024 * 1024;

/** What the engine said at the end of POST /images/load. */
export interface LoadOutcome {
  error?: string;
  /** "Loaded image: repo:tag" and "Loaded image ID: sha256:…" lines. */
  loaded: string[];
}

/**
 * Streams one image tarball into the engine's image load (POST /images/load) while the
 * caller still decides whether to let it complete. The caller holds back the tail of the
 * tarball until the sha256 matched: the engine unpacks the archive completely before it
 * registers anything, so without the tail it can create nothing, and abort() leaves no
 * image behind. The importer still removes anything new after a failure, as a second line.
 *
 * The Engine API is used directly over the socket (not through dockerode's loadImage) to
 * own backpressure and to be able to cut the request mid-body.
 */
export class EngineImageLoad {
  private readonly req: http.ClientRequest;
  private readonly outcome: Promise<LoadOutcome>;
  private answered = false;

  constructor(socketPath: string) {
    this.req = http.request({
      socketPath,
      method: 'POST',
      path: '/images/load?quiet=1',
      headers: { 'Content-Type': 'application/x-tar', 'Transfer-Encoding': 'chunked' },
    });
    this.outcome = new Promise<LoadOutcome>((resolve, reject) => {
      this.req.on('error', reject);
      this.req.on('response', (res) => {
        this.answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('error', reject);
        res.on('end', () => resolve(parseLoadOutput(res.statusCode ?? 0, body)));
      });
    });
    // The outcome is awaited by finish(); an abort must not surface as an unhandled rejection.
    this.outcome.catch(() => undefined);
  }

  /**
   * False once the engine has already answered (it refused the archive early). Waits for
   * 'drain' only past a few MiB of queued data: with the default 16 KiB mark, reading and
   * hashing the next chunk would stall on every chunk instead of overlapping the engine's work.
   */
  async write(chunk: Buffer): Promise<boolean> {
    if (this.answered || this.req.destroyed) return false;
    this.req.write(chunk);
    if (this.req.writableLength > WRITE_AHEAD) {
      await Promise.race([once(this.req, 'drain'), this.outcome]).catch(() => undefined);
    }
    return !this.answered && !this.req.destroyed;
  }

  async finish(tail: Buffer): Promise<LoadOutcome> {
    if (!this.answered && !this.req.destroyed) this.req.end(tail);
    return this.outcome;
  }

  /** Cuts the request mid-body: the engine sees a broken archive and loads nothing from it. */
  abort(): void {
    this.req.destroy();
  }
}

export function parseLoadOutput(status: number, body: string): LoadOutcome {
  const loaded: string[] = [];
  let error: string | undefined;
  for (const line of body.split('\n')) {
    if (!line.trim()) continue;
    try {
      const msg = JSON.parse(line) as { stream?: string; error?: string; errorDetail?: { message?: string }; message?: string };
      if (msg.error || msg.errorDetail) error = msg.errorDetail?.message ?? msg.error;
      else if (msg.message && status >= 400) error = msg.message;
      const m = msg.stream?.match(/^Loaded image(?: ID)?: (\S+)/);
      if (m?.[1]) loaded.push(m[1]);
    } catch {
      if (status >= 400) error = line;
    }
  }
  if (status >= 400 && !error) error = `HTTP ${status}`;
  return { loaded, ...(error ? { error } : {}) };
}
