// i32: hand-picked edge cases plus fast-check properties against BigInt reference formulations.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as i32 from './i32.ts';
import { trapKind } from './test-reference.ts';

const MIN = -0x80000000;
const MAX = 0x7fffffff;
const int32 = fc.oneof(
  fc.integer({ min: MIN, max: MAX }),
  fc.constantFrom(0, 1, -1, 2, -2, MIN, MAX, MIN + 1, MAX - 1, 31, 32, 33, 63, 64, 0x10000, -0x10000),
);

const big = (a: number): bigint => BigInt(a);
const u = (a: number): bigint => BigInt(a >>> 0);
const toI32 = (x: bigint): number => Number(BigInt.asIntN(32, x));

describe('i32 traps', () => {
  it('div/rem by zero trap with integer-divide-by-zero', () => {
    for (const f of [i32.div_s, i32.div_u, i32.rem_s, i32.rem_u]) {
      expect(trapKind(() => f(1, 0))).toBe('integer-divide-by-zero');
      expect(trapKind(() => f(MIN, 0))).toBe('integer-divide-by-zero');
    }
  });
  it('div_s INT_MIN / -1 overflows, rem_s INT_MIN % -1 is +0', () => {
    expect(trapKind(() => i32.div_s(MIN, -1))).toBe('integer-overflow');
    expect(Object.is(i32.rem_s(MIN, -1), 0)).toBe(true);
    expect(i32.div_u(MIN, -1)).toBe(0);
    expect(i32.rem_u(MIN, -1)).toBe(MIN);
  });
  it('rem_s never returns -0', () => {
    expect(Object.is(i32.rem_s(-4, 2), 0)).toBe(true);
    expect(Object.is(i32.rem_s(-5, 5), 0)).toBe(true);
  });
});

describe('i32 bit counting', () => {
  it('edge values', () => {
    expect([i32.clz(0), i32.clz(-1), i32.clz(1), i32.clz(MIN)]).toEqual([32, 0, 31, 0]);
    expect([i32.ctz(0), i32.ctz(-1), i32.ctz(MIN), i32.ctz(0x10000)]).toEqual([32, 0, 31, 16]);
    expect([i32.popcnt(0), i32.popcnt(-1), i32.popcnt(MIN), i32.popcnt(0x55555555)]).toEqual([0, 32, 1, 16]);
  });
  it('match a string-based reference', () => {
    fc.assert(
      fc.property(int32, (a) => {
        const s = (a >>> 0).toString(2).padStart(32, '0');
        const first = s.indexOf('1');
        const last = s.lastIndexOf('1');
        expect(i32.clz(a)).toBe(first < 0 ? 32 : first);
        expect(i32.ctz(a)).toBe(last < 0 ? 32 : 31 - last);
        expect(i32.popcnt(a)).toBe([...s].filter((c) => c === '1').length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('i32 arithmetic matches BigInt', () => {
  it('add, sub, mul wrap mod 2^32', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        expect(i32.add(a, b)).toBe(toI32(big(a) + big(b)));
        expect(i32.sub(a, b)).toBe(toI32(big(a) - big(b)));
        expect(i32.mul(a, b)).toBe(toI32(big(a) * big(b)));
      }),
      { numRuns: 2000 },
    );
  });
  it('div and rem (truncating, sign of dividend)', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        fc.pre(b !== 0 && !(a === MIN && b === -1));
        expect(i32.div_s(a, b)).toBe(toI32(big(a) / big(b)));
        expect(i32.rem_s(a, b)).toBe(toI32(big(a) % big(b)));
        expect(i32.div_u(a, b)).toBe(toI32(u(a) / u(b)));
        expect(i32.rem_u(a, b)).toBe(toI32(u(a) % u(b)));
      }),
      { numRuns: 3000 },
    );
  });
  it('shifts and rotates take the count mod 32', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        const k = BigInt(b & 31);
        expect(i32.shl(a, b)).toBe(toI32(big(a) << k));
        expect(i32.shr_s(a, b)).toBe(toI32(big(a) >> k));
        expect(i32.shr_u(a, b)).toBe(toI32(u(a) >> k));
        const rotl = ((u(a) << k) | (u(a) >> (32n - k))) & 0xffffffffn;
        const rotr = ((u(a) >> k) | (u(a) << (32n - k))) & 0xffffffffn;
        expect(i32.rotl(a, b)).toBe(toI32(rotl));
        expect(i32.rotr(a, b)).toBe(toI32(rotr));
      }),
      { numRuns: 2000 },
    );
  });
  it('sign extension', () => {
    expect([i32.extend8_s(0x7f), i32.extend8_s(0x80), i32.extend8_s(0x12345680), i32.extend8_s(-1)]).toEqual([127, -128, -128, -1]);
    expect([i32.extend16_s(0x7fff), i32.extend16_s(0x8000), i32.extend16_s(0x12348000)]).toEqual([32767, -32768, -32768]);
    fc.assert(
      fc.property(int32, (a) => {
        expect(i32.extend8_s(a)).toBe(Number(BigInt.asIntN(8, big(a))));
        expect(i32.extend16_s(a)).toBe(Number(BigInt.asIntN(16, big(a))));
      }),
    );
  });
  it('comparisons return 0/1, unsigned ones order negatives above positives', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        const c = (x: boolean): number => (x ? 1 : 0);
        expect([i32.eq(a, b), i32.ne(a, b), i32.eqz(a)]).toEqual([c(a === b), c(a !== b), c(a === 0)]);
        expect([i32.lt_s(a, b), i32.gt_s(a, b), i32.le_s(a, b), i32.ge_s(a, b)]).toEqual([c(a < b), c(a > b), c(a <= b), c(a >= b)]);
        const [ua, ub] = [u(a), u(b)];
        expect([i32.lt_u(a, b), i32.gt_u(a, b), i32.le_u(a, b), i32.ge_u(a, b)]).toEqual([c(ua < ub), c(ua > ub), c(ua <= ub), c(ua >= ub)]);
      }),
      { numRuns: 2000 },
    );
    expect(i32.lt_u(-1, 0)).toBe(0);
    expect(i32.gt_u(MIN, MAX)).toBe(1);
  });
});
