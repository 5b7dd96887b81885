// Dynamic batching: texts from concurrent requests are gathered until maxBatch texts are
// waiting or maxWaitMs has passed since the first one, then go through one forward pass.
// One pass runs at a time; while it runs the next batch fills, so under load batches grow
// to maxBatch on their own and at low load a request waits at most maxWaitMs.
export interface BatchRunner<R> {
  (texts: string[]): Promise<R[]>;
}

interface Pending<R> {
  texts: string[];
  resolve: (r: R[]) => void;
  reject: (e: unknown) => void;
}

export interface BatcherStats {
  onBatch?: (size: number, seconds: number) => void;
}

export class DynamicBatcher<R> {
  private queue: Pending<R>[] = [];
  private queuedTexts = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: BatchRunner<R>,
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
    private readonly stats: BatcherStats = {},
  ) {}

  /** Texts waiting for a forward pass (the queue depth in /metrics). */
  get depth(): number {
    return this.queuedTexts;
  }

  submit(texts: string[]): Promise<R[]> {
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ texts, resolve, reject });
      this.queuedTexts += texts.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queuedTexts >= this.maxBatch || this.maxWaitMs === 0) {
      this.clearTimer();
      void this.drain();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private take(): Pending<R>[] {
    // Whole requests only, so one request's texts never straddle two passes; a single
    // request larger than maxBatch is split by the caller before submit.
    const out: Pending<R>[] = [];
    let n = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (out.length > 0 && n + next.texts.length > this.maxBatch) break;
      out.push(this.queue.shift()!);
      n += next.texts.length;
    }
    this.queuedTexts -= n;
    return out;
  }

  private async drain(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.take();
    const texts = batch.flatMap((p) => p.texts);
    const started = process.hrtime.bigint();
    try {
      const results = await this.run(texts);
      this.stats.onBatch?.(texts.length, Number(process.hrtime.bigint() - started) / 1e9);
      let at = 0;
      for (const p of batch) {
        p.resolve(results.slice(at, at + p.texts.length));
        at += p.texts.length;
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
