import type { LocalizedText } from '../contract';
import type { OperationContext } from '../operations/operation-hub';

/**
 * Progress in bytes of the bundle file, with the current step (signature, each image,
 * each model). Byte updates are throttled: every event is journaled in SQLite, and a
 * multi-gigabyte import must not write a row per megabyte.
 */
export class BundleProgress {
  private done = 0;
  private lastPercent = -1;
  private lastAt = 0;
  private step: { id: string; label: LocalizedText; index: number; count: number } | undefined;

  constructor(
    private readonly ctx: OperationContext,
    private readonly total: number,
    private readonly minIntervalMs = 250,
  ) {}

  enter(id: string, label: LocalizedText, index: number, count: number, log?: string): void {
    this.step = { id, label, index, count };
    this.emit(log);
  }

  add(bytes: number): void {
    this.done += bytes;
    const percent = this.percent();
    const now = Date.now();
    if (Math.floor(percent) > this.lastPercent && now - this.lastAt >= this.minIntervalMs) this.emit();
  }

  emit(log?: string): void {
    const percent = this.percent();
    this.lastPercent = Math.floor(percent);
    this.lastAt = Date.now();
    this.ctx.progress({ ...(this.step ? { step: this.step } : {}), percent, bytesDone: this.done, bytesTotal: this.total, ...(log ? { log } : {}) });
  }

  private percent(): number {
    return this.total > 0 ? Math.min(100, (this.done / this.total) * 100) : 100;
  }
}
