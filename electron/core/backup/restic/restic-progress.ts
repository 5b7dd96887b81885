import type { ProgressUpdate } from '../../contract';

/** restic --json status line (backup and restore share the shape, field names differ). */
interface StatusLine {
  message_type: 'status';
  percent_done?: number;
  total_bytes?: number;
  bytes_done?: number;
  bytes_restored?: number;
  seconds_elapsed?: number;
}

/**
 * Maps restic's JSON status lines to operation progress. `known` is the size the caller
 * expects when restic cannot (stdin streams have no total): percent is then estimated.
 */
export function statusToProgress(line: unknown, knownTotal?: number): Pick<ProgressUpdate, 'percent' | 'bytesDone' | 'bytesTotal'> | null {
  const s = line as StatusLine;
  if (!s || s.message_type !== 'status') return null;
  const done = s.bytes_done ?? s.bytes_restored ?? 0;
  const total = s.total_bytes && s.total_bytes > 0 ? s.total_bytes : knownTotal;
  const percent = total && total > 0 ? Math.min(100, (done / total) * 100) : s.percent_done !== undefined && s.percent_done > 0 ? s.percent_done * 100 : undefined;
  return {
    bytesDone: done,
    ...(total ? { bytesTotal: total } : {}),
    ...(percent !== undefined ? { percent: Math.round(percent * 10) / 10 } : {}),
  };
}

/** Parses one stdout line if it is JSON; restic mixes in plain text in a few commands. */
export function parseJsonLine(line: string): unknown {
  if (!line.startsWith('{') && !line.startsWith('[')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
