// i64 arithmetic on two int32 halves (lo, hi), an alternative to bigint for the executor's hot path:
// no allocation, only int32/double arithmetic that V8 keeps in registers. Each binary op takes
// (aLo, aHi, bLo, bHi), returns the low word and leaves the high word in HI[0]; comparisons return i32 0/1
// and leave HI alone. The executor calls the comparisons; for the ops with an i64 result it keeps inline
// copies of these bodies (reading HI back costs, see machine.ts) or uses BigInt (add/sub/mul/bitwise, as
// measured in i64-repr.bench.ts), and the spec testsuite checks those copies. Shift and
// rotate counts are the low word of the i64 count operand (only its low 6 bits matter).
//
// A module-level `export let` cannot carry the high word: importers see a live but read-only binding, and
// V8 handles module-level lets poorly in hot code. A one-element Int32Array is a fixed-address register.

import { ctz as ctz32, popcnt as popcnt32 } from './i32.ts';

export const HI = new Int32Array(1);

/** Low 16 bits: the 32x32 -> 64 product is built from 16x16 partial products, each exact in a double. */
const LOW_16 = 0xffff;

export function add(aLo: number, aHi: number, bLo: number, bHi: number): number {
  const lo = (aLo + bLo) | 0;
  // Unsigned overflow of the low word (the carry) shows up as the sum being below an addend.
  HI[0] = (aHi + bHi + (lo >>> 0 < aLo >>> 0 ? 1 : 0)) | 0;
  return lo;
}

export function sub(aLo: number, aHi: number, bLo: number, bHi: number): number {
  HI[0] = (aHi - bHi - (aLo >>> 0 < bLo >>> 0 ? 1 : 0)) | 0;
  return (aLo - bLo) | 0;
}

/**
 * Low 64 bits of the product. lo*lo needs all 64 bits of a 32x32 product, built from 16-bit pieces;
 * the cross terms lo*hi only reach the high word, where Math.imul's low 32 bits are all that count.
 */
export function mul(aLo: number, aHi: number, bLo: number, bHi: number): number {
  const a0 = aLo & LOW_16;
  const a1 = aLo >>> 16;
  const b0 = bLo & LOW_16;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  // Bits 16..47 of aLo*bLo: at most 3 * 2^16 before the shift, exact.
  const mid = (p00 >>> 16) + (p01 & LOW_16) + (p10 & LOW_16);
  // High word of the unsigned 32x32 product (< 2^32, exact as a double) plus the cross terms mod 2^32.
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  HI[0] = (carry + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) | 0;
  return (mid << 16) | (p00 & LOW_16);
}

export function and(aLo: number, aHi: number, bLo: number, bHi: number): number {
  HI[0] = aHi & bHi;
  return aLo & bLo;
}

export function or(aLo: number, aHi: number, bLo: number, bHi: number): number {
  HI[0] = aHi | bHi;
  return aLo | bLo;
}

export function xor(aLo: number, aHi: number, bLo: number, bHi: number): number {
  HI[0] = aHi ^ bHi;
  return aLo ^ bLo;
}

// Shifts: the count is the low word of b taken mod 64 (spec); JS shifts take their count mod 32, so the
// counts 0 and >= 32 are separate cases (x >>> 32 is x, not 0).

export function shl(lo: number, hi: number, count: number): number {
  const n = count & 63;
  if (n === 0) {
    HI[0] = hi;
    return lo;
  }
  if (n < 32) {
    HI[0] = (hi << n) | (lo >>> (32 - n));
    return lo << n;
  }
  HI[0] = lo << (n - 32);
  return 0;
}

export function shr_s(lo: number, hi: number, count: number): number {
  const n = count & 63;
  if (n === 0) {
    HI[0] = hi;
    return lo;
  }
  if (n < 32) {
    HI[0] = hi >> n;
    return (lo >>> n) | (hi << (32 - n));
  }
  HI[0] = hi >> 31;
  return hi >> (n - 32);
}

export function shr_u(lo: number, hi: number, count: number): number {
  const n = count & 63;
  if (n === 0) {
    HI[0] = hi;
    return lo;
  }
  if (n < 32) {
    HI[0] = hi >>> n;
    return (lo >>> n) | (hi << (32 - n));
  }
  HI[0] = 0;
  return (hi >>> (n - 32)) | 0;
}

export function rotl(lo: number, hi: number, count: number): number {
  // Rotating by 32 swaps the words; then rotate the remaining 0..31 like two linked 32-bit rotates.
  const swap = (count & 32) !== 0;
  const l = swap ? hi : lo;
  const h = swap ? lo : hi;
  const k = count & 31;
  if (k === 0) {
    HI[0] = h;
    return l;
  }
  HI[0] = (h << k) | (l >>> (32 - k));
  return (l << k) | (h >>> (32 - k));
}

export function rotr(lo: number, hi: number, count: number): number {
  return rotl(lo, hi, 64 - (count & 63));
}

// Unary ops. Bit counts return an i64, so the high word of the result is 0.

export function clz(lo: number, hi: number): number {
  HI[0] = 0;
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

export function ctz(lo: number, hi: number): number {
  HI[0] = 0;
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

export function popcnt(lo: number, hi: number): number {
  HI[0] = 0;
  return popcnt32(lo) + popcnt32(hi);
}

export function extend8_s(lo: number): number {
  const r = (lo << 24) >> 24;
  HI[0] = r >> 31;
  return r;
}

export function extend16_s(lo: number): number {
  const r = (lo << 16) >> 16;
  HI[0] = r >> 31;
  return r;
}

export function extend32_s(lo: number): number {
  HI[0] = lo >> 31;
  return lo;
}

// Comparisons (i32 0/1). Signed order compares the high words signed; ties fall to the low words, which
// always compare unsigned.

export function eqz(lo: number, hi: number): number {
  return (lo | hi) === 0 ? 1 : 0;
}

export function eq(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return aLo === bLo && aHi === bHi ? 1 : 0;
}

export function ne(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return aLo !== bLo || aHi !== bHi ? 1 : 0;
}

export function lt_s(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return aHi < bHi || (aHi === bHi && aLo >>> 0 < bLo >>> 0) ? 1 : 0;
}

export function lt_u(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return aHi >>> 0 < bHi >>> 0 || (aHi === bHi && aLo >>> 0 < bLo >>> 0) ? 1 : 0;
}

export function gt_s(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return lt_s(bLo, bHi, aLo, aHi);
}

export function gt_u(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return lt_u(bLo, bHi, aLo, aHi);
}

export function le_s(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return 1 - lt_s(bLo, bHi, aLo, aHi);
}

export function le_u(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return 1 - lt_u(bLo, bHi, aLo, aHi);
}

export function ge_s(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return 1 - lt_s(aLo, aHi, bLo, bHi);
}

export function ge_u(aLo: number, aHi: number, bLo: number, bHi: number): number {
  return 1 - lt_u(aLo, aHi, bLo, bHi);
}
