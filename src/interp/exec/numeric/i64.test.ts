// i64 (bigint): edge cases plus properties against straightforward unsigned/string reference formulations.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Trap } from '../../errors.ts';
import * as i64 from './i64.ts';
import { trapKind } from './test-reference.ts';

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const int64 = fc.oneof(
  fc.bigInt({ min: MIN, max: MAX }),
  // Values near the word boundaries, where carries and sign handling go wrong first.
  fc.constantFrom(0n, 1n, -1n, MIN, MAX, MIN + 1n, 0xffffffffn, 0x100000000n, -0x100000000n, 0x7fffffffn, 0x80000000n, -0x80000000n, 63n, 64n, 65n),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map(BigInt),
);
const u = (a: bigint): bigint => BigInt.asUintN(64, a);
const s64 = (a: bigint): bigint => BigInt.asIntN(64, a);

describe('i64 traps', () => {
  it('div/rem by zero and div_s overflow', () => {
    for (const f of [i64.div_s, i64.div_u, i64.rem_s, i64.rem_u]) expect(trapKind(() => f(MIN, 0n))).toBe('integer-divide-by-zero');
    expect(trapKind(() => i64.div_s(MIN, -1n))).toBe('integer-overflow');
    expect(i64.rem_s(MIN, -1n)).toBe(0n);
    expect(i64.div_u(MIN, -1n)).toBe(0n);
    expect(i64.rem_u(-1n, MIN)).toBe(MAX);
  });
});

describe('i64 bit counting', () => {
  it('edge values', () => {
    expect([i64.clz(0n), i64.clz(-1n), i64.clz(1n), i64.clz(0x100000000n), i64.clz(0xffffffffn)]).toEqual([64n, 0n, 63n, 31n, 32n]);
    expect([i64.ctz(0n), i64.ctz(MIN), i64.ctz(0x100000000n), i64.ctz(-1n)]).toEqual([64n, 63n, 32n, 0n]);
    expect([i64.popcnt(0n), i64.popcnt(-1n), i64.popcnt(MIN), i64.popcnt(0x100000001n)]).toEqual([0n, 64n, 1n, 2n]);
  });
  it('match a string-based reference', () => {
    fc.assert(
      fc.property(int64, (a) => {
        const s = u(a).toString(2).padStart(64, '0');
        const first = s.indexOf('1');
        const last = s.lastIndexOf('1');
        expect(i64.clz(a)).toBe(BigInt(first < 0 ? 64 : first));
        expect(i64.ctz(a)).toBe(BigInt(last < 0 ? 64 : 63 - last));
        expect(i64.popcnt(a)).toBe(BigInt([...s].filter((c) => c === '1').length));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('i64 arithmetic', () => {
  it('wraps mod 2^64 and divides like the spec', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        expect(i64.add(a, b)).toBe(s64(a + b));
        expect(i64.sub(a, b)).toBe(s64(a - b));
        expect(i64.mul(a, b)).toBe(s64(u(a) * u(b)));
        if (b !== 0n) {
          expect(i64.div_u(a, b)).toBe(s64(u(a) / u(b)));
          expect(i64.rem_u(a, b)).toBe(s64(u(a) % u(b)));
          if (!(a === MIN && b === -1n)) {
            // Reference: truncating division from magnitudes, so it does not lean on bigint `/` semantics.
            const q = (a < 0n ? -a : a) / (b < 0n ? -b : b);
            const sq = (a < 0n) !== (b < 0n) ? -q : q;
            expect(i64.div_s(a, b)).toBe(sq);
            expect(i64.rem_s(a, b)).toBe(a - sq * b);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('shifts and rotates take the count mod 64 (also from negative and huge counts)', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        const k = Number(u(b) % 64n);
        const bits = u(a).toString(2).padStart(64, '0');
        const fromBits = (str: string): bigint => s64(BigInt('0b' + str));
        expect(i64.shl(a, b)).toBe(fromBits(bits.slice(k) + '0'.repeat(k)));
        expect(i64.shr_u(a, b)).toBe(fromBits('0'.repeat(k) + bits.slice(0, 64 - k)));
        expect(i64.shr_s(a, b)).toBe(fromBits(bits[0]!.repeat(k) + bits.slice(0, 64 - k)));
        expect(i64.rotl(a, b)).toBe(fromBits(bits.slice(k) + bits.slice(0, k)));
        expect(i64.rotr(a, b)).toBe(fromBits(bits.slice(64 - k) + bits.slice(0, 64 - k)));
      }),
      { numRuns: 2000 },
    );
  });
  it('sign extension', () => {
    expect([i64.extend8_s(0x80n), i64.extend16_s(0x8000n), i64.extend32_s(0x80000000n), i64.extend32_s(0x7fffffffn)]).toEqual([-128n, -32768n, -0x80000000n, 0x7fffffffn]);
    expect(i64.extend32_s(-0x123456789n)).toBe(BigInt.asIntN(32, -0x123456789n));
  });
  it('comparisons return 0/1 and unsigned ones see negatives as large', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        const c = (x: boolean): number => (x ? 1 : 0);
        expect([i64.eq(a, b), i64.ne(a, b), i64.eqz(a)]).toEqual([c(a === b), c(a !== b), c(a === 0n)]);
        expect([i64.lt_s(a, b), i64.gt_s(a, b), i64.le_s(a, b), i64.ge_s(a, b)]).toEqual([c(a < b), c(a > b), c(a <= b), c(a >= b)]);
        const [ua, ub] = [u(a), u(b)];
        expect([i64.lt_u(a, b), i64.gt_u(a, b), i64.le_u(a, b), i64.ge_u(a, b)]).toEqual([c(ua < ub), c(ua > ub), c(ua <= ub), c(ua >= ub)]);
      }),
      { numRuns: 2000 },
    );
  });
});

// Division: the reference is BigInt arithmetic written from the spec text, independent of i64.ts. Operands lean on the places a double-based division goes wrong: word and 2^53 boundaries,
// powers of two and their neighbours, INT64_MIN/MAX, and dividends just off a multiple of the divisor
// (where the halved-dividend quotient of div_u/rem_u needs its correction step).
const U64 = (1n << 64n) - 1n;
const pow2 = fc.integer({ min: 0, max: 63 }).chain((k) =>
  fc.constantFrom(-1n, 0n, 1n).map((d) => s64((1n << BigInt(k)) + d)),
);
const edge = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, 2n, -2n, 3n, MIN, MAX, MIN + 1n, 1n << 31n, -(1n << 31n), (1n << 31n) - 1n),
  fc.constantFrom(1n << 32n, -(1n << 32n), (1n << 32n) - 1n, (1n << 32n) + 1n, 1n << 53n, -(1n << 53n), (1n << 53n) + 1n, -(1n << 53n) - 1n),
  pow2,
  pow2.map((x) => s64(-x)),
);
const operand = fc.oneof(
  { arbitrary: fc.bigInt({ min: MIN, max: MAX }), weight: 3 },
  { arbitrary: edge, weight: 3 },
  { arbitrary: fc.bigInt({ min: -(1n << 53n), max: 1n << 53n }), weight: 1 },
  { arbitrary: fc.bigInt({ min: -(1n << 33n), max: 1n << 33n }), weight: 1 },
  { arbitrary: fc.integer().map(BigInt), weight: 2 },
);
/** (a, b) with unsigned a = q * b + r for r near 0 or b: the quotient estimate's hard cases. */
const nearMultiple = fc
  .tuple(fc.oneof(operand, fc.bigInt({ min: 1n, max: 1n << 40n })), fc.bigInt({ min: 0n, max: U64 }), fc.constantFrom(-2n, -1n, 0n, 1n, 2n))
  .map(([b, t, dr]) => {
    const ub = u(b) === 0n ? 1n : u(b);
    const q = t % (U64 / ub + 1n);
    return [s64(q * ub + dr), s64(ub)] as const;
  });
const pair = fc.oneof(fc.tuple(operand, operand), nearMultiple);

type DivResult = bigint | 'integer-divide-by-zero' | 'integer-overflow';
const REF: Record<'div_s' | 'div_u' | 'rem_s' | 'rem_u', (a: bigint, b: bigint) => DivResult> = {
  div_s: (a, b) => (b === 0n ? 'integer-divide-by-zero' : a === MIN && b === -1n ? 'integer-overflow' : a / b),
  div_u: (a, b) => (b === 0n ? 'integer-divide-by-zero' : s64(u(a) / u(b))),
  rem_s: (a, b) => (b === 0n ? 'integer-divide-by-zero' : a % b),
  rem_u: (a, b) => (b === 0n ? 'integer-divide-by-zero' : s64(u(a) % u(b))),
};

function outcome(f: () => bigint): DivResult {
  try {
    return f();
  } catch (e) {
    if (e instanceof Trap && (e.kind === 'integer-divide-by-zero' || e.kind === 'integer-overflow')) {
      expect(e.message).toBe(e.kind.replaceAll('-', ' '));
      return e.kind;
    }
    throw e;
  }
}

describe('i64 division and remainder', () => {
  const ops = ['div_s', 'div_u', 'rem_s', 'rem_u'] as const;
  it('agrees with BigInt semantics, traps included, on edge-biased pairs', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        for (const op of ops) {
          const want = REF[op](a, b);
          expect([op, a, b, outcome(() => i64[op](a, b))]).toEqual([op, a, b, want]);
        }
      }),
      { numRuns: 20000 },
    );
  });
  it('every pair of edge values', () => {
    const values = [0n, 1n, -1n, 2n, -2n, 3n, 7n, MIN, MAX, MIN + 1n, MAX - 1n];
    for (const k of [1, 2, 15, 16, 31, 32, 33, 52, 53, 54, 62, 63]) values.push(s64(1n << BigInt(k)), s64((1n << BigInt(k)) - 1n), s64((1n << BigInt(k)) + 1n));
    for (const v of [...values]) values.push(s64(-v));
    for (const a of values) {
      for (const b of values) {
        for (const op of ops) expect([op, a, b, outcome(() => i64[op](a, b))]).toEqual([op, a, b, REF[op](a, b)]);
      }
    }
  });
  it('the spec traps', () => {
    expect(outcome(() => i64.div_s(MIN, -1n))).toBe('integer-overflow');
    expect(i64.rem_s(MIN, -1n)).toBe(0n);
    expect(i64.div_s(-(1n << 31n), -1n)).toBe(1n << 31n);
    for (const op of ops) expect(outcome(() => i64[op](MIN, 0n))).toBe('integer-divide-by-zero');
  });
});
