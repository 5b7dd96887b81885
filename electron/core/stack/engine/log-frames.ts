/**
 * Splits the Engine API's multiplexed log stream (8-byte header per frame: stream type,
 * three zero bytes, big-endian length) into text. Containers without a TTY answer this way.
 */
export function demuxLogs(buf: Buffer): { stream: 'stdout' | 'stderr'; text: string }[] {
  const frames: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const type = buf[at];
    const size = buf.readUInt32BE(at + 4);
    if ((type !== 1 && type !== 2) || at + 8 + size > buf.length) break;
    frames.push({ stream: type === 2 ? 'stderr' : 'stdout', text: buf.subarray(at + 8, at + 8 + size).toString('utf8') });
    at += 8 + size;
  }
  // Not multiplexed (a TTY container): the whole buffer is text.
  if (at === 0 && buf.length) return [{ stream: 'stdout', text: buf.toString('utf8') }];
  return frames;
}

export const logText = (buf: Buffer): string => demuxLogs(buf).map((f) => f.text).join('');
