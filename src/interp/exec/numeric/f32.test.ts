// f32: correct rounding of arithmetic against an exact rational reference, min/max/nearest edge semantics,
// and bit-exact sign operations.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as f32 from './f32.ts';
import { f32Bits, f32FromBits, ratAdd, ratDiv, ratMul, rationalOf, roundToF32, type Rational } from './test-reference.ts';

const finite = fc.float({ noNaN: true, noDefaultInfinity: true });
const anyF32 = fc.oneof(fc.float(), fc.constantFrom(0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 8388607.5, -8388607.5, 8388608, Infinity, -Infinity, NaN));
const neg = (r: Rational): Rational => ({ ...r, neg: !r.neg });
const canonicalNaN = (x: number): boolean => (f32Bits(x) & 0x7fffffff) === 0x7fc00000;

describe('f32 arithmetic is correctly rounded', () => {
  it('add, sub, mul, div agree with exact rational arithmetic rounded once', () => {
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const [ra, rb] = [rationalOf(a), rationalOf(b)];
        const sum = ratAdd(ra, rb);
        if (sum.num !== 0n) expect(f32.add(a, b)).toBe(roundToF32(sum));
        const diff = ratAdd(ra, neg(rb));
        if (diff.num !== 0n) expect(f32.sub(a, b)).toBe(roundToF32(diff));
        const prod = ratMul(ra, rb);
        if (prod.num !== 0n) expect(f32.mul(a, b)).toBe(roundToF32(prod));
        if (rb.num !== 0n && ra.num !== 0n) expect(f32.div(a, b)).toBe(roundToF32(ratDiv(ra, rb)));
      }),
      { numRuns: 3000 },
    );
  });
  it('sqrt lies between the midpoints to its float32 neighbours', () => {
    fc.assert(
      fc.property(fc.float({ min: Math.fround(1e-45), noNaN: true, noDefaultInfinity: true }), (x) => {
        const r = f32.sqrt(x);
        const bits = f32Bits(r);
        const mid = (a: number, b: number): Rational => {
          const s = ratAdd(rationalOf(a), rationalOf(b));
          return { ...s, den: s.den * 2n };
        };
        const lo = mid(f32FromBits(bits - 1), r);
        const hi = mid(r, f32FromBits(bits + 1));
        const rx = rationalOf(x);
        // lo^2 <= x <= hi^2, compared as cross-multiplied rationals
        expect(lo.num * lo.num * rx.den <= rx.num * lo.den * lo.den).toBe(true);
        expect(rx.num * hi.den * hi.den <= hi.num * hi.num * rx.den).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(Object.is(f32.sqrt(-0), -0)).toBe(true);
    expect(canonicalNaN(f32.sqrt(-1))).toBe(true);
  });
  it('overflow goes to infinity and tiny results to signed zero', () => {
    expect(f32.mul(3.4028234663852886e38, 2)).toBe(Infinity);
    // Max float32 has an odd significand, so adding exactly half an ulp (2^103) ties to even = 2^128 = inf;
    // anything less stays at max.
    const max = 3.4028234663852886e38;
    expect(f32.add(max, 2 ** 103)).toBe(Infinity);
    expect(f32.add(max, Math.fround(2 ** 103 * (1 - 2 ** -24)))).toBe(max);
    expect(Object.is(f32.mul(-1.401298464324817e-45, 0.5), -0)).toBe(true);
  });
});

describe('f32 min/max', () => {
  it('NaN if either is NaN, canonical; -0 < +0', () => {
    fc.assert(
      fc.property(anyF32, anyF32, (a, b) => {
        const lo = f32.min(a, b);
        const hi = f32.max(a, b);
        if (a !== a || b !== b) {
          expect(canonicalNaN(lo) && canonicalNaN(hi)).toBe(true);
        } else if (a === 0 && b === 0) {
          expect(Object.is(lo, Object.is(a, -0) || Object.is(b, -0) ? -0 : 0)).toBe(true);
          expect(Object.is(hi, Object.is(a, 0) || Object.is(b, 0) ? 0 : -0)).toBe(true);
        } else {
          expect([lo, hi]).toEqual([a < b ? a : b, a > b ? a : b]);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('f32 rounding to integral values', () => {
  it('nearest rounds half to even and keeps the sign of zero', () => {
    const cases: [number, number][] = [
      [0.5, 0], [-0.5, -0], [1.5, 2], [-1.5, -2], [2.5, 2], [-2.5, -2], [0.49999997, 0], [-0.49999997, -0],
      [8388607.5, 8388608], [-8388607.5, -8388608], [8388609, 8388609], [-0, -0], [1e-45, 0], [-1e-45, -0],
    ];
    for (const [x, want] of cases) expect([x, f32.nearest(Math.fround(x))]).toEqual([x, want]);
    expect(Number.isNaN(f32.nearest(NaN))).toBe(true);
  });
  it('nearest matches an exact reference on random floats', () => {
    fc.assert(
      fc.property(finite, (x) => {
        const r = rationalOf(x);
        const signed = r.neg ? -r.num : r.num;
        // floor division for a signed numerator
        const fl = signed >= 0n ? signed / r.den : -((-signed + r.den - 1n) / r.den);
        const twice = 2n * (signed - fl * r.den); // 2 * fractional part, scaled by den
        let n = fl;
        if (twice > r.den || (twice === r.den && (fl & 1n) === 1n)) n += 1n;
        const want = n === 0n ? (r.neg ? -0 : 0) : Number(n);
        expect(Object.is(f32.nearest(x), want)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
  it('ceil, floor, trunc keep -0 where the spec says', () => {
    expect(Object.is(f32.ceil(Math.fround(-0.5)), -0)).toBe(true);
    expect(Object.is(f32.trunc(Math.fround(-0.9)), -0)).toBe(true);
    expect(Object.is(f32.floor(Math.fround(0.5)), 0)).toBe(true);
    expect(f32.floor(Math.fround(-0.5))).toBe(-1);
  });
});

describe('f32 sign operations work on bits', () => {
  it('abs clears, neg flips, copysign copies only the sign bit, for every bit pattern', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.integer({ min: -0x80000000, max: 0x7fffffff }), (a, b) => {
        expect(f32.abs(a)).toBe(a & 0x7fffffff);
        expect(f32.neg(a)).toBe((a ^ 0x80000000) | 0);
        expect(f32.copysign(a, b)).toBe(((a & 0x7fffffff) | (b & 0x80000000)) | 0);
      }),
      { numRuns: 2000 },
    );
  });
  it('NaN payloads survive', () => {
    const snan = 0x7fa00000;
    expect(f32.abs(snan | 0x80000000)).toBe(snan);
    expect(f32.neg(snan)).toBe((snan | 0x80000000) | 0);
    expect(f32.copysign(0x7f800001, -1)).toBe(0xff800001 | 0);
  });
  it('comparisons treat NaN as unordered and -0 as +0', () => {
    expect([f32.eq(NaN, NaN), f32.ne(NaN, NaN), f32.lt(NaN, 1), f32.ge(NaN, 1)]).toEqual([0, 1, 0, 0]);
    expect([f32.eq(-0, 0), f32.lt(-0, 0), f32.le(-0, 0)]).toEqual([1, 0, 1]);
  });
});
