// i64 (bigint): edge cases plus properties against straightforward unsigned/string reference formulations.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Trap } from '../../errors.ts';
import * as i64 from './i64.ts';

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

function trapKind(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e.kind;
    throw e;
  }
  return undefined;
}

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
