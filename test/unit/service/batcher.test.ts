import { describe, expect, it } from 'vitest';
import { DynamicBatcher } from '../../../service/src/model/batcher.js';

describe('DynamicBatcher', () => {
  it('merges concurrent submissions into one pass and hands each caller its own results in order', async () => {
    const passes: string[][] = [];
    const b = new DynamicBatcher<string>(async (t) => (passes.push(t), t.map((x) => x.toUpperCase())), 32, 5);
    const [a, c, d] = await Promise.all([b.submit(['a', 'b']), b.submit(['c']), b.submit(['d', 'e', 'f'])]);
    expect(a).toEqual(['A', 'B']);
    expect(c).toEqual(['C']);
    expect(d).toEqual(['D', 'E', 'F']);
    expect(passes).toEqual([['a', 'b', 'c', 'd', 'e', 'f']]);
  });

  it('never exceeds maxBatch and keeps one request in one pass', async () => {
    const sizes: number[] = [];
    const b = new DynamicBatcher<number>(async (t) => (sizes.push(t.length), t.map((x) => x.length)), 4, 1);
    const rs = await Promise.all([b.submit(['a', 'b', 'c']), b.submit(['d', 'e']), b.submit(['f']), b.submit(['g', 'h', 'i', 'j'])]);
    expect(rs.flat()).toHaveLength(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(10);
  });

  it('runs one pass at a time and fills the next batch meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    const sizes: number[] = [];
    const b = new DynamicBatcher<string>(
      async (t) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        sizes.push(t.length);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return t;
      },
      8,
      0,
    );
    const first = b.submit(['x']);
    const rest = Array.from({ length: 6 }, (_, i) => b.submit([`y${i}`]));
    expect(b.depth).toBe(6);
    await Promise.all([first, ...rest]);
    expect(maxRunning).toBe(1);
    expect(sizes).toEqual([1, 6]);
    expect(b.depth).toBe(0);
  });

  it('rejects every caller of a failed pass and keeps working', async () => {
    let fail = true;
    const b = new DynamicBatcher<string>(async (t) => {
      if (fail) throw Object.assign(new Error('boom'), { code: 'X' });
      return t;
    }, 8, 1);
    const r = await Promise.allSettled([b.submit(['a']), b.submit(['b'])]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await b.submit(['c'])).toEqual(['c']);
  });
});
