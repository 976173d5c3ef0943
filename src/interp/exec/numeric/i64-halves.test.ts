// i64 on int32 halves, property-tested against the bigint implementation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as h from './i64-halves.ts';
import * as i64 from './i64.ts';

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const int64 = fc.oneof(
  fc.bigInt({ min: MIN, max: MAX }),
  fc.constantFrom(0n, 1n, -1n, MIN, MAX, 0xffffffffn, 0x100000000n, -0x100000000n, 0x80000000n, 0xffffn, 0x10000n, 32n, 63n, 64n),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map(BigInt),
);

const lo = (a: bigint): number => Number(BigInt.asIntN(32, a));
const hi = (a: bigint): number => Number(BigInt.asIntN(32, a >> 32n));
const join = (l: number, hw: number): bigint => (BigInt(hw) << 32n) | BigInt(l >>> 0);

type Bin = (aLo: number, aHi: number, bLo: number, bHi: number) => number;

function viaHalves(f: Bin, a: bigint, b: bigint): bigint {
  h.HI[0] = 0x5a5a5a5a; // poison: every op must write the high word
  const l = f(lo(a), hi(a), lo(b), hi(b));
  expect(l).toBe(l | 0); // low word comes back as an int32
  return join(l, h.HI[0]!);
}

describe('i64 halves', () => {
  it('add, sub, mul, and, or, xor agree with bigint', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        expect(viaHalves(h.add, a, b)).toBe(i64.add(a, b));
        expect(viaHalves(h.sub, a, b)).toBe(i64.sub(a, b));
        expect(viaHalves(h.mul, a, b)).toBe(i64.mul(a, b));
        expect(viaHalves(h.and, a, b)).toBe(i64.and(a, b));
        expect(viaHalves(h.or, a, b)).toBe(i64.or(a, b));
        expect(viaHalves(h.xor, a, b)).toBe(i64.xor(a, b));
      }),
      { numRuns: 5000 },
    );
  });
  it('mul on all-ones low words (largest partial products)', () => {
    for (const [a, b] of [[-1n, -1n], [0xffffffffn, 0xffffffffn], [MIN, -1n], [MAX, MAX], [0xffff_ffffn, -1n]] as const) {
      expect(viaHalves(h.mul, a, b)).toBe(i64.mul(a, b));
    }
  });
  it('unary ops agree with bigint', () => {
    const unary = ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s'] as const;
    fc.assert(
      fc.property(int64, (a) => {
        for (const name of unary) {
          h.HI[0] = 0x5a5a5a5a;
          const l = h[name](lo(a), hi(a));
          expect([name, join(l, h.HI[0]!)]).toEqual([name, i64[name](a)]);
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('shifts and rotates agree with bigint for every count 0..127', () => {
    fc.assert(
      fc.property(int64, (a) => {
        for (let n = 0; n < 128; n++) {
          const shift = (f: typeof h.shl): bigint => {
            h.HI[0] = 0x5a5a5a5a;
            const l = f(lo(a), hi(a), n);
            return join(l, h.HI[0]!);
          };
          expect(shift(h.shl)).toBe(i64.shl(a, BigInt(n)));
          expect(shift(h.shr_s)).toBe(i64.shr_s(a, BigInt(n)));
          expect(shift(h.shr_u)).toBe(i64.shr_u(a, BigInt(n)));
          expect(shift(h.rotl)).toBe(i64.rotl(a, BigInt(n)));
          expect(shift(h.rotr)).toBe(i64.rotr(a, BigInt(n)));
        }
      }),
      { numRuns: 300 },
    );
  });
  it('comparisons agree with bigint', () => {
    const cmp = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'] as const;
    fc.assert(
      fc.property(int64, int64, fc.boolean(), (a, b0, same) => {
        const b = same ? a : b0; // equal operands exercise the tie branches
        for (const name of cmp) expect([name, h[name](lo(a), hi(a), lo(b), hi(b))]).toEqual([name, i64[name](a, b)]);
        expect(h.eqz(lo(a), hi(a))).toBe(i64.eqz(a));
      }),
      { numRuns: 3000 },
    );
  });
});
