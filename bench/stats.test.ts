// Not in vitest.config.ts's include list (bench/ is not part of `npm test`); run with
// `npx vitest run --root . --config bench/vitest.config.ts`.
import { describe, expect, it } from 'vitest';
import { BenchRunError, type Runner } from './engines.ts';
import { geomean, markdownTable, measure, median } from './stats.ts';

/** A runner whose calls take the given times and return checksum n (or the given checksums). */
function fakeRunner(times: number[], checksums?: bigint[]): Runner & { calls: number[] } {
  const calls: number[] = [];
  return {
    compileMs: 1,
    calls,
    run(n) {
      const i = calls.length;
      calls.push(n);
      return { ms: times[i] ?? times[times.length - 1], checksum: checksums?.[i] ?? BigInt(n), fuel: 1000 };
    },
  };
}

describe('median and geomean', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('geomean cancels reciprocal ratios', () => {
    expect(geomean([2, 0.5])).toBeCloseTo(1, 12);
    expect(geomean([10, 1000])).toBeCloseTo(100, 9);
  });
});

describe('measure', () => {
  it('warms up with warmupN, then times `runs` calls at n', () => {
    const r = fakeRunner([5, 10, 30, 20]);
    const m = measure(r, 100, { warmups: 1, warmupN: 10, runs: 3, budgetMs: Infinity });
    expect(r.calls).toEqual([10, 100, 100, 100]);
    expect(m.warmupMs).toEqual([5]);
    expect(m.runsMs).toEqual([10, 30, 20]);
    expect(m.medianMs).toBe(20);
    expect(m.minMs).toBe(10);
    expect(m.checksum).toBe(100n);
    expect(m.fuel).toBe(1000);
  });
  it('stops once another run would pass the budget, but always takes one', () => {
    const slow = fakeRunner([1, 50]);
    expect(measure(slow, 7, { warmups: 1, runs: 5, budgetMs: 40 }).runsMs).toEqual([50]);
    const mid = fakeRunner([1, 15]);
    // 15 + 15 <= 40, 30 + 15 > 40: two runs.
    expect(measure(mid, 7, { warmups: 1, runs: 5, budgetMs: 40 }).runsMs).toEqual([15, 15]);
  });
  it('rejects a checksum that changes between calls with the same n', () => {
    const r = fakeRunner([1], [1n, 1n, 2n]);
    expect(() => measure(r, 3, { warmups: 1, runs: 3, budgetMs: Infinity })).toThrow(BenchRunError);
  });
});

describe('markdownTable', () => {
  it('pads columns and right-aligns the chosen ones', () => {
    const t = markdownTable(['name', 'ms'], [['a', '1.5'], ['long', '10']], new Set([1]));
    expect(t.split('\n')).toEqual(['| name |  ms |', '|------|----:|', '| a    | 1.5 |', '| long |  10 |']);
  });
});
