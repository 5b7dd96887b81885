import { describe, expect, it } from 'vitest';
import { DockerDemux } from '../../../electron/core/backup/snapshot/container-exec';
import { methodOf, methodOfFacts, factsSql } from '../../../electron/core/backup/snapshot/pg-facts';

const frame = (kind: number, payload: Buffer) => {
  const h = Buffer.alloc(8);
  h[0] = kind;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
};

async function run(chunks: Buffer[]): Promise<{ out: Buffer; err: string; error?: Error }> {
  let err = '';
  const d = new DockerDemux((b) => (err += b.toString('utf8')));
  const parts: Buffer[] = [];
  d.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<Error | undefined>((resolve) => {
    d.on('end', () => resolve(undefined));
    d.on('error', resolve);
  });
  for (const c of chunks) d.write(c);
  d.end();
  const error = await done;
  return { out: Buffer.concat(parts), err, error };
}

describe("docker's multiplexed stream, split without copying", () => {
  const stdout = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
  const stream = Buffer.concat([frame(1, stdout.subarray(0, 100_000)), frame(2, Buffer.from('warning: one\n')), frame(1, Buffer.alloc(0)), frame(1, stdout.subarray(100_000)), frame(2, Buffer.from('two'))]);

  it('gives the same bytes however the engine cuts its chunks, headers included', async () => {
    for (const size of [1, 3, 7, 8, 9, 4096, 65_536, stream.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      const r = await run(size === 1 ? chunks.slice(0, 5000).concat([Buffer.concat(chunks.slice(5000))]) : chunks);
      expect(r.error).toBeUndefined();
      expect(r.out.equals(stdout)).toBe(true);
      expect(r.err).toBe('warning: one\ntwo');
    }
  });

  it('refuses a stream that is not multiplexed (a TTY exec) instead of passing garbage on', async () => {
    const r = await run([Buffer.from('PGDMP plain bytes, not framed')]);
    expect(r.error?.message).toMatch(/not a multiplexed docker stream/);
  });
});

describe('table checksum methods', () => {
  it('reads the method from the recorded checksum, old manifests included', () => {
    expect(methodOf('h1:-123')).toBe('h1');
    expect(methodOf('119854285972049115983')).toBe('legacy');
    expect(methodOfFacts({ 'public.a': { rows: 1, checksum: '42' } })).toBe('legacy');
    expect(methodOfFacts({ 'public.a': { rows: 1, checksum: 'h1:42' } })).toBe('h1');
    expect(methodOfFacts(undefined)).toBe('h1');
  });

  it('pins the output settings the row text depends on, for the current method only', () => {
    expect(factsSql(['public.a'], 'h1')).toMatch(/SET LOCAL TimeZone = 'UTC'.*hashtextextended\(r::text, 0\)/);
    expect(factsSql(['public.a'], 'legacy')).not.toMatch(/SET LOCAL/);
    expect(factsSql([], 'h1')).toBe('');
  });
});
