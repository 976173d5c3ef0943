// Conversions: exact trap boundaries, properties of truncation against exact rational truncation, and
// integer-to-float rounding against a bigint round-to-nearest-even reference (including the double-rounding
// trap of Number(bigint) followed by Math.fround).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Trap } from '../../errors.ts';
import * as c from './convert.ts';
import { F32_FORMAT, F64_FORMAT, f32FromBits, f64Bits, f64FromBits, ratTrunc, rationalOf, roundRational, roundToF32 } from './test-reference.ts';

type Outcome = number | bigint | string;

function run(f: () => number | bigint): Outcome {
  try {
    return f();
  } catch (e) {
    if (e instanceof Trap) return e.kind;
    throw e;
  }
}

const F = Math.fround;
const OVF = 'integer-overflow';
const INV = 'invalid-conversion-to-integer';

describe('trapping truncation boundaries', () => {
  it('i32.trunc_f32_s / _f64_s', () => {
    const f32Rows: [number, Outcome][] = [
      [F(-2147483648), -2147483648], [F(2147483520), 2147483520], [F(2147483648), OVF], [F(-2147483904), OVF],
      [F(-0.9), 0], [NaN, INV], [Infinity, OVF], [-Infinity, OVF],
    ];
    for (const [x, want] of f32Rows) expect([x, run(() => c.i32_trunc_f32_s(x))]).toEqual([x, want]);
    const f64Rows: [number, Outcome][] = [
      [-2147483648.9, -2147483648], [-2147483649, OVF], [2147483647.9, 2147483647], [2147483648, OVF], [-0.5, 0], [NaN, INV],
    ];
    for (const [x, want] of f64Rows) expect([x, run(() => c.i32_trunc_f64_s(x))]).toEqual([x, want]);
    expect(Object.is(c.i32_trunc_f64_s(-0.5), 0)).toBe(true); // an i32 never carries -0
  });
  it('i32.trunc_f32_u / _f64_u', () => {
    const rows: [number, Outcome][] = [
      [-0.9999999999999999, 0], [-1, OVF], [4294967295.9, -1], [4294967296, OVF], [2147483648, -2147483648],
      [F(4294967040), 0xffffff00 | 0], [F(4294967296), OVF], [NaN, INV], [-Infinity, OVF],
    ];
    for (const [x, want] of rows) expect([x, run(() => c.i32_trunc_f64_u(x))]).toEqual([x, want]);
    expect(run(() => c.i32_trunc_f32_u(F(-0.99)))).toBe(0);
  });
  it('i64.trunc_*_s / _u', () => {
    const s: [number, Outcome][] = [
      [-(2 ** 63), -(2n ** 63n)], [2 ** 63, OVF], [2 ** 63 - 1024, 9223372036854774784n], [-(2 ** 63) - 2048, OVF],
      [F(2 ** 63 - 2 ** 39), 9223371487098961920n], [-0.9, 0n], [NaN, INV], [Infinity, OVF],
    ];
    for (const [x, want] of s) expect([x, run(() => c.i64_trunc_f64_s(x))]).toEqual([x, want]);
    const u: [number, Outcome][] = [
      [2 ** 64 - 2048, -2048n], [2 ** 64, OVF], [2 ** 63, -(2n ** 63n)], [-0.99, 0n], [-1, OVF], [NaN, INV],
    ];
    for (const [x, want] of u) expect([x, run(() => c.i64_trunc_f64_u(x))]).toEqual([x, want]);
  });
});

// Doubles at and around each range boundary, a few ulps either side, plus their float32 roundings.
const BOUNDS = [0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 63, -(2 ** 63), 2 ** 64, -(2 ** 64)];
const nearBound = fc
  .tuple(fc.constantFrom(...BOUNDS), fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 0.5, -0.5, 0.9, -0.9, 1, -1))
  .map(([b, ulps, frac]) => {
    const x = b + frac;
    if (x === 0) return ulps * 5e-324;
    return f64FromBits(f64Bits(x) + BigInt(ulps * Math.sign(x)));
  });
const truncInput = fc.oneof(fc.double(), nearBound, nearBound.map(F), fc.float());

interface Target {
  name: string;
  trap: (x: number) => number | bigint;
  sat: (x: number) => number | bigint;
  min: bigint;
  max: bigint;
  /** How the exact integer is represented in the result (i32 number or i64 bigint, signed view). */
  repr: (v: bigint) => number | bigint;
}

const i32r = (v: bigint): number => Number(BigInt.asIntN(32, v));
const i64r = (v: bigint): bigint => BigInt.asIntN(64, v);
const TARGETS: Target[] = [
  { name: 'i32 s', trap: c.i32_trunc_f64_s, sat: c.i32_trunc_sat_f64_s, min: -(2n ** 31n), max: 2n ** 31n - 1n, repr: i32r },
  { name: 'i32 u', trap: c.i32_trunc_f64_u, sat: c.i32_trunc_sat_f64_u, min: 0n, max: 2n ** 32n - 1n, repr: i32r },
  { name: 'i64 s', trap: c.i64_trunc_f64_s, sat: c.i64_trunc_sat_f64_s, min: -(2n ** 63n), max: 2n ** 63n - 1n, repr: i64r },
  { name: 'i64 u', trap: c.i64_trunc_f64_u, sat: c.i64_trunc_sat_f64_u, min: 0n, max: 2n ** 64n - 1n, repr: i64r },
];

describe('truncation matches exact rational truncation', () => {
  for (const t of TARGETS) {
    it(`${t.name}: trapping and saturating`, () => {
      fc.assert(
        fc.property(truncInput, (x) => {
          let trap: Outcome;
          let sat: bigint;
          if (x !== x) [trap, sat] = [INV, 0n];
          else if (x === Infinity) [trap, sat] = [OVF, t.max];
          else if (x === -Infinity) [trap, sat] = [OVF, t.min];
          else {
            const v = ratTrunc(rationalOf(x));
            if (v < t.min) [trap, sat] = [OVF, t.min];
            else if (v > t.max) [trap, sat] = [OVF, t.max];
            else [trap, sat] = [t.repr(v), v];
          }
          expect(run(() => t.trap(x))).toEqual(trap);
          expect(t.sat(x)).toEqual(t.repr(sat));
        }),
        { numRuns: 3000 },
      );
    });
  }
  it('the f32 entry points are the same functions', () => {
    expect(c.i32_trunc_f32_s).toBe(c.i32_trunc_f64_s);
    expect(c.i64_trunc_sat_f32_u).toBe(c.i64_trunc_sat_f64_u);
  });
});

// 64-bit integers shaped to land on and next to float32/float64 rounding ties: a random significand,
// shifted, nudged by -1, 0 or +1, or with a half-ulp bit set.
const tieProne = fc
  .tuple(fc.bigInt({ min: 0n, max: (1n << 55n) - 1n }), fc.integer({ min: 0, max: 40 }), fc.constantFrom(-1n, 0n, 1n), fc.boolean())
  .map(([m, s, nudge, neg]) => {
    const v = (m << BigInt(s)) + nudge;
    return BigInt.asIntN(64, neg ? -v : v);
  });
const int64 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), tieProne, fc.constantFrom(0n, -1n, -(2n ** 63n), 2n ** 63n - 1n));

function refF32(v: bigint): number {
  return f32FromBits(roundRational({ neg: v < 0n, num: v < 0n ? -v : v, den: 1n }, F32_FORMAT));
}
function refF64(v: bigint): number {
  return f64FromBits(roundRational({ neg: v < 0n, num: v < 0n ? -v : v, den: 1n }, F64_FORMAT));
}

describe('integer to float rounds once, to nearest even', () => {
  it('f32.convert_i64_s/_u match the bigint reference', () => {
    fc.assert(
      fc.property(int64, (a) => {
        expect(c.f32_convert_i64_s(a)).toBe(refF32(a));
        expect(c.f32_convert_i64_u(a)).toBe(refF32(BigInt.asUintN(64, a)));
      }),
      { numRuns: 5000 },
    );
  });
  it('f64.convert_i64_s/_u match the bigint reference', () => {
    fc.assert(
      fc.property(int64, (a) => {
        expect(c.f64_convert_i64_s(a)).toBe(refF64(a));
        expect(c.f64_convert_i64_u(a)).toBe(refF64(BigInt.asUintN(64, a)));
      }),
      { numRuns: 5000 },
    );
  });
  it('avoids the double rounding of Math.fround(Number(x))', () => {
    // 2^63 + 2^39 + 1: Number() drops the +1 onto the float32 tie 2^63 + 2^39, which then rounds to even
    // (down); the exact value is above the tie and must round up to 2^63 + 2^40.
    const x = 2n ** 63n + 2n ** 39n + 1n;
    expect(Math.fround(Number(x))).toBe(2 ** 63);
    expect(c.f32_convert_i64_u(BigInt.asIntN(64, x))).toBe(2 ** 63 + 2 ** 40);
    const y = -(2n ** 62n + 2n ** 38n + 1n);
    expect(Math.fround(Number(y))).toBe(-(2 ** 62));
    expect(c.f32_convert_i64_s(y)).toBe(-(2 ** 62 + 2 ** 39));
    // conversions.wast's cases of the same kind: 0x0020000020000001 -> 0x1.000002p+53 and
    // 0x8000008000000001 -> 0x1.000002p+63
    expect(c.f32_convert_i64_s(0x0020000020000001n)).toBe(2 ** 53 + 2 ** 30);
    expect(c.f32_convert_i64_u(BigInt.asIntN(64, 0x8000008000000001n))).toBe(2 ** 63 + 2 ** 40);
  });
  it('i32 sources', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (a) => {
        expect(c.f32_convert_i32_s(a)).toBe(refF32(BigInt(a)));
        expect(c.f32_convert_i32_u(a)).toBe(refF32(BigInt(a >>> 0)));
        expect(c.f64_convert_i32_s(a)).toBe(a);
        expect(c.f64_convert_i32_u(a)).toBe(a >>> 0);
      }),
      { numRuns: 3000 },
    );
    expect(Object.is(c.f32_convert_i64_s(0n), 0)).toBe(true);
  });
});

describe('float width changes, integer width changes, reinterpret', () => {
  it('demote rounds once (subnormals, overflow to infinity); promote is exact', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(c.f32_demote_f64(x), roundToF32(rationalOf(x)))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(c.f32_demote_f64(3.4028235677973366e38)).toBe(Infinity); // max f32 + half an ulp: tie to even
    expect(c.f32_demote_f64(3.4028235677973362e38)).toBe(3.4028234663852886e38);
    expect(Object.is(c.f32_demote_f64(-1e-50), -0)).toBe(true);
    expect(c.f64_promote_f32(F(0.1))).toBe(F(0.1));
  });
  it('wrap and extend', () => {
    fc.assert(
      fc.property(int64, fc.integer({ min: -0x80000000, max: 0x7fffffff }), (a, b) => {
        expect(c.i32_wrap_i64(a)).toBe(Number(BigInt.asIntN(32, a)));
        expect(c.i64_extend_i32_s(b)).toBe(BigInt(b));
        expect(c.i64_extend_i32_u(b)).toBe(BigInt.asUintN(32, BigInt(b)));
      }),
      { numRuns: 2000 },
    );
  });
  it('reinterpret round-trips every non-NaN value bit-exactly', () => {
    expect(c.i32_reinterpret_f32(1)).toBe(0x3f800000);
    expect(c.i32_reinterpret_f32(-0)).toBe(-0x80000000);
    expect(c.i64_reinterpret_f64(1)).toBe(0x3ff0000000000000n);
    expect(c.i64_reinterpret_f64(-0)).toBe(-(2n ** 63n));
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.float({ noNaN: true }), (d, f) => {
        expect(Object.is(c.f64_reinterpret_i64(c.i64_reinterpret_f64(d)), d)).toBe(true);
        expect(Object.is(c.f32_reinterpret_i32(c.i32_reinterpret_f32(f)), f)).toBe(true);
        const bits = c.i64_reinterpret_f64(d);
        expect(c.f64_high_bits(d)).toBe(Number(BigInt.asIntN(32, bits >> 32n)));
        expect(Object.is(c.f64_from_halves(Number(BigInt.asIntN(32, bits)), c.f64_high_bits(d)), d)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
