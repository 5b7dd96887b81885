import { createHash } from 'node:crypto';
import { fail } from '../contract';
import type { BundleEntry } from './bundle-reader';

/** What the manifest promises about one entry. */
export interface EntrySpec {
  file: string;
  sha256: string;
  size: number;
}

/** Bytes kept back from the sink until the hash matched (gzip trailer and tar end blocks fit many times over). */
export const HOLD_BACK = 64 * 1024;

export interface EntrySink {
  /** Resolves false when the sink gave up (the engine answered early). */
  write(chunk: Buffer): Promise<boolean>;
}

/**
 * Reads one entry once: every chunk goes through sha256 and, minus the last HOLD_BACK
 * bytes, on to the sink. The held-back tail is returned only when size and hash match
 * the signed manifest, so the sink never sees a complete corrupt entry.
 */
export async function pumpEntry(entry: BundleEntry, spec: EntrySpec, sink: EntrySink | undefined, onBytes: (n: number) => void): Promise<Buffer> {
  if (entry.header.name !== spec.file) throw fail('BUNDLE_ENTRY_CORRUPT', { entry: spec.file }, `found entry ${entry.header.name} where ${spec.file} belongs`);
  if (entry.header.size !== spec.size) throw fail('BUNDLE_ENTRY_CORRUPT', { entry: spec.file }, `size ${entry.header.size ?? '?'} in the archive, ${spec.size} in the manifest`);
  const hash = createHash('sha256');
  // Held chunks are kept as they came (no copying): whole chunks leave once the rest still
  // held is at least HOLD_BACK bytes, so the tail kept back is HOLD_BACK to HOLD_BACK + one chunk.
  const held: Buffer[] = [];
  let heldBytes = 0;
  let size = 0;
  let sinkOpen = sink !== undefined;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    onBytes(chunk.length);
    if (!sinkOpen || !sink) continue;
    held.push(chunk);
    heldBytes += chunk.length;
    while (held.length > 1 && heldBytes - held[0]!.length >= HOLD_BACK) {
      const out = held.shift()!;
      heldBytes -= out.length;
      sinkOpen = await sink.write(out);
      if (!sinkOpen) break;
    }
  }
  const digest = hash.digest('hex');
  if (size !== spec.size) throw fail('BUNDLE_ENTRY_CORRUPT', { entry: spec.file }, `read ${size} bytes, manifest says ${spec.size}`);
  if (digest !== spec.sha256) throw fail('BUNDLE_ENTRY_CORRUPT', { entry: spec.file }, `sha256 ${digest}, manifest says ${spec.sha256}`);
  return Buffer.concat(held);
}
