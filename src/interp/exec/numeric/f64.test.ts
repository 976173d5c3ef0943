// f64: nearest/min/max edge semantics, sign operations on the high word, and a check that the engine's
// double arithmetic is the correctly rounded IEEE result these functions rely on.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as f64 from './f64.ts';
import { f64Bits, f64FromBits, ratAdd, ratDiv, ratMul, rationalOf, roundToF64 } from './test-reference.ts';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const TWO_52 = 2 ** 52;
const anyF64 = fc.oneof(fc.double(), fc.constantFrom(0, -0, 0.5, -0.5, 1.5, -2.5, TWO_52 - 0.5, -(TWO_52 - 0.5), Infinity, -Infinity, NaN));
const canonicalNaN = (x: number): boolean => (f64Bits(x) & 0x7fffffffffffffffn) === 0x7ff8000000000000n;

/** Splits an f64 into its int32 halves, applies a high-word op, and rebuilds it. */
function onHigh(x: number, f: (hi: number) => number): bigint {
  const bits = f64Bits(x);
  const hi = Number(BigInt.asIntN(32, bits >> 32n));
  return (BigInt.asUintN(32, BigInt(f(hi))) << 32n) | (bits & 0xffffffffn);
}

describe('f64 arithmetic', () => {
  it('add, mul, div are the correctly rounded results', () => {
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const [ra, rb] = [rationalOf(a), rationalOf(b)];
        const sum = ratAdd(ra, rb);
        if (sum.num !== 0n) expect(f64.add(a, b)).toBe(roundToF64(sum));
        const prod = ratMul(ra, rb);
        if (prod.num !== 0n) expect(f64.mul(a, b)).toBe(roundToF64(prod));
        if (ra.num !== 0n && rb.num !== 0n) expect(f64.div(a, b)).toBe(roundToF64(ratDiv(ra, rb)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('f64 min/max', () => {
  it('NaN if either is NaN, canonical; -0 < +0', () => {
    fc.assert(
      fc.property(anyF64, anyF64, (a, b) => {
        const lo = f64.min(a, b);
        const hi = f64.max(a, b);
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
  it('a NaN operand with a payload still gives the canonical NaN', () => {
    const payloadNaN = f64FromBits(0x7ff4000000000001n);
    expect(canonicalNaN(f64.min(payloadNaN, 1))).toBe(true);
    expect(canonicalNaN(f64.max(1, payloadNaN))).toBe(true);
  });
});

describe('f64 nearest', () => {
  it('rounds half to even and keeps the sign of zero', () => {
    const cases: [number, number][] = [
      [0.5, 0], [-0.5, -0], [1.5, 2], [-1.5, -2], [2.5, 2], [-2.5, -2], [0.49999999999999994, 0], [-0.49999999999999994, -0],
      [TWO_52 - 0.5, TWO_52], [-(TWO_52 - 0.5), -TWO_52], [TWO_52 - 1.5, TWO_52 - 2], [TWO_52 + 1, TWO_52 + 1], [2 ** 53 + 2, 2 ** 53 + 2],
      [-0, -0], [5e-324, 0], [-5e-324, -0], [Infinity, Infinity], [-Infinity, -Infinity], [-1.7976931348623157e308, -1.7976931348623157e308],
    ];
    for (const [x, want] of cases) expect([x, f64.nearest(x)]).toEqual([x, want]);
    expect(Number.isNaN(f64.nearest(NaN))).toBe(true);
  });
  it('matches an exact reference on random doubles', () => {
    fc.assert(
      fc.property(fc.oneof(finite, fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -1e6, max: 1e6 }).map((n) => n + 0.5)), (x) => {
        const r = rationalOf(x);
        const signed = r.neg ? -r.num : r.num;
        const fl = signed >= 0n ? signed / r.den : -((-signed + r.den - 1n) / r.den);
        const twice = 2n * (signed - fl * r.den);
        let n = fl;
        if (twice > r.den || (twice === r.den && (fl & 1n) === 1n)) n += 1n;
        const want = n === 0n ? (r.neg ? -0 : 0) : Number(n);
        expect(Object.is(f64.nearest(x), want)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('f64 sign operations on the high word', () => {
  it('abs, neg, copysign touch only the sign bit of any bit pattern', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (a, b) => {
        const hiOf = (x: bigint): number => Number(BigInt.asIntN(32, x >> 32n));
        const sign = 1n << 63n;
        const withHi = (x: bigint, hi: number): bigint => (BigInt.asUintN(32, BigInt(hi)) << 32n) | (x & 0xffffffffn);
        expect(withHi(a, f64.abs(hiOf(a)))).toBe(a & ~sign);
        expect(withHi(a, f64.neg(hiOf(a)))).toBe(a ^ sign);
        expect(withHi(a, f64.copysign(hiOf(a), hiOf(b)))).toBe((a & ~sign) | (b & sign));
      }),
      { numRuns: 2000 },
    );
  });
  it('works on ordinary numbers through their bits', () => {
    expect(f64FromBits(onHigh(-2.5, f64.abs))).toBe(2.5);
    expect(Object.is(f64FromBits(onHigh(0, f64.neg)), -0)).toBe(true);
  });
  it('comparisons treat NaN as unordered and -0 as +0', () => {
    expect([f64.eq(NaN, NaN), f64.ne(NaN, NaN), f64.gt(NaN, 1), f64.le(NaN, NaN)]).toEqual([0, 1, 0, 0]);
    expect([f64.eq(-0, 0), f64.gt(0, -0), f64.ge(-0, 0)]).toEqual([1, 0, 1]);
  });
});
