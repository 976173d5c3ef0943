// Conversions between numeric types (spec 4.3.4 "Conversions"), plus reinterpret, wrap and extend.
// Names are the instruction names with '.' as '_' (i32.trunc_f32_s -> i32_trunc_f32_s).
// Representations as in the rest of this folder: i32 number, i64 bigint, f32/f64 number; the reinterpret
// helpers move raw bits through a shared scratch buffer. The *_halves variants take an i64 as its two int32
// halves, for an executor that keeps i64 that way.

import { HI_WORD, LO_WORD, SCRATCH_F32, SCRATCH_F64, SCRATCH_I32, SCRATCH_I64 } from './scratch.ts';
import { trapIntegerOverflow, trapInvalidConversion } from './traps.ts';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -0x8000000000000000n;
const INT64_MAX = 0x7fffffffffffffffn;
const TWO_21 = 2097152;
const TWO_31 = 2147483648;
const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;
const TWO_64 = 18446744073709551616;
/** The 11 low bits a 64-bit integer loses when squeezed into a 53-bit double significand. */
const LOW_11 = 0x7ff;

function truncFailure(x: number): never {
  if (x !== x) trapInvalidConversion();
  trapIntegerOverflow();
}

// Trapping truncation (spec: trunc_s/trunc_u are undefined, i.e. trap, for NaN and when the truncated value
// is out of range). Ranges are written on the untruncated input: for i32 signed, x must lie in
// (-2^31 - 1, 2^31), which admits -2147483648.0 and f64 inputs like -2147483648.9 but not 2147483648.0.
// The same test serves f32 and f64 inputs, as every f32 is exactly a double.

function truncS32(x: number): number {
  if (x > -TWO_31 - 1 && x < TWO_31) return x | 0; // ToInt32 truncates toward zero
  return truncFailure(x);
}

function truncU32(x: number): number {
  if (x > -1 && x < TWO_32) return x | 0; // values >= 2^31 wrap to the signed view of the same bits
  return truncFailure(x);
}

function truncS64(x: number): bigint {
  // The double below -2^63 is -2^63 - 2048, so no input truncates into range from below.
  if (x >= -TWO_63 && x < TWO_63) return BigInt(Math.trunc(x));
  return truncFailure(x);
}

function truncU64(x: number): bigint {
  if (x > -1 && x < TWO_64) return BigInt.asIntN(64, BigInt(Math.trunc(x)));
  return truncFailure(x);
}

export const i32_trunc_f32_s = truncS32;
export const i32_trunc_f64_s = truncS32;
export const i32_trunc_f32_u = truncU32;
export const i32_trunc_f64_u = truncU32;
export const i64_trunc_f32_s = truncS64;
export const i64_trunc_f64_s = truncS64;
export const i64_trunc_f32_u = truncU64;
export const i64_trunc_f64_u = truncU64;

// Saturating truncation (spec: trunc_sat): NaN -> 0, out of range -> the nearest bound.

function truncSatS32(x: number): number {
  if (x > -TWO_31 - 1 && x < TWO_31) return x | 0;
  if (x !== x) return 0;
  return x < 0 ? INT32_MIN : INT32_MAX;
}

function truncSatU32(x: number): number {
  if (x > -1 && x < TWO_32) return x | 0;
  return x > 0 ? -1 : 0; // -1 is 0xffffffff; NaN and negatives give 0
}

function truncSatS64(x: number): bigint {
  if (x >= -TWO_63 && x < TWO_63) return BigInt(Math.trunc(x));
  if (x !== x) return 0n;
  return x < 0 ? INT64_MIN : INT64_MAX;
}

function truncSatU64(x: number): bigint {
  if (x > -1 && x < TWO_64) return BigInt.asIntN(64, BigInt(Math.trunc(x)));
  return x > 0 ? -1n : 0n;
}

export const i32_trunc_sat_f32_s = truncSatS32;
export const i32_trunc_sat_f64_s = truncSatS32;
export const i32_trunc_sat_f32_u = truncSatU32;
export const i32_trunc_sat_f64_u = truncSatU32;
export const i64_trunc_sat_f32_s = truncSatS64;
export const i64_trunc_sat_f64_s = truncSatS64;
export const i64_trunc_sat_f32_u = truncSatU64;
export const i64_trunc_sat_f64_u = truncSatU64;

// Integer to float (spec: convert, round to nearest, ties to even).

export function f32_convert_i32_s(a: number): number {
  return Math.fround(a); // a is exact as a double, so one rounding
}

export function f32_convert_i32_u(a: number): number {
  return Math.fround(a >>> 0);
}

export function f64_convert_i32_s(a: number): number {
  return a;
}

export function f64_convert_i32_u(a: number): number {
  return a >>> 0;
}

/**
 * u64 (as halves) to f32 with a single rounding. Number(bigint) then Math.fround would round twice and can
 * land on a float32 tie that the exact value is not on (e.g. 2^63 + 2^39 + 1). Below 2^53 the value is an
 * exact double, so fround rounds once. Above, the 11 low bits are folded into one sticky bit: the top 53
 * bits plus that sticky bit round to float32 exactly as the full value does (in the shifted value the
 * float32 round bit is at bit 18 or higher, so bit 0 only ever acts as sticky), the shifted value is an exact
 * double, and scaling back by 2^11 is exact.
 */
export function f32_convert_u64_halves(lo: number, hi: number): number {
  const h = hi >>> 0;
  const l = lo >>> 0;
  if (h < TWO_21) return Math.fround(h * TWO_32 + l);
  const low21 = (l >>> 11) | ((l & LOW_11) !== 0 ? 1 : 0);
  return Math.fround(h * TWO_21 + low21) * 2048;
}

export function f32_convert_s64_halves(lo: number, hi: number): number {
  if (hi >= 0) return f32_convert_u64_halves(lo, hi);
  // Negate the 64-bit value (two's complement on halves) and convert the magnitude; round-to-nearest-even
  // is symmetric, so -(round |a|) = round(a). INT64_MIN's magnitude 2^63 comes out right as unsigned.
  return -f32_convert_u64_halves(-lo | 0, (~hi + (lo === 0 ? 1 : 0)) | 0);
}

/** hi * 2^32 is exact, so the sum rounds once: correct round-to-nearest-even. */
export function f64_convert_s64_halves(lo: number, hi: number): number {
  return hi * TWO_32 + (lo >>> 0);
}

export function f64_convert_u64_halves(lo: number, hi: number): number {
  return (hi >>> 0) * TWO_32 + (lo >>> 0);
}

export function f32_convert_i64_s(a: bigint): number {
  SCRATCH_I64[0] = a;
  return f32_convert_s64_halves(SCRATCH_I32[LO_WORD], SCRATCH_I32[HI_WORD]);
}

export function f32_convert_i64_u(a: bigint): number {
  SCRATCH_I64[0] = a;
  return f32_convert_u64_halves(SCRATCH_I32[LO_WORD], SCRATCH_I32[HI_WORD]);
}

export function f64_convert_i64_s(a: bigint): number {
  SCRATCH_I64[0] = a;
  return f64_convert_s64_halves(SCRATCH_I32[LO_WORD], SCRATCH_I32[HI_WORD]);
}

export function f64_convert_i64_u(a: bigint): number {
  SCRATCH_I64[0] = a;
  return f64_convert_u64_halves(SCRATCH_I32[LO_WORD], SCRATCH_I32[HI_WORD]);
}

// Float to float (spec 4.3.4 promote/demote). A NaN input must give a quiet NaN (canonical if the input
// was). A JS number may still carry a signalling payload (V8 tiers differ on whether float32 loads quiet
// it), and Math.fround can be optimised away next to a float32 load, so NaNs are replaced by the canonical
// NaN explicitly, which satisfies both cases. Non-NaN values: promote is exact, demote rounds once.

export function f32_demote_f64(x: number): number {
  const r = Math.fround(x);
  return r === r ? r : NaN;
}

export function f64_promote_f32(x: number): number {
  return x === x ? x : NaN;
}

// Integer width changes

export function i32_wrap_i64(a: bigint): number {
  SCRATCH_I64[0] = a;
  return SCRATCH_I32[LO_WORD];
}

export function i64_extend_i32_s(a: number): bigint {
  return BigInt(a);
}

export function i64_extend_i32_u(a: number): bigint {
  return BigInt(a >>> 0);
}

// Reinterpret (spec: bit-for-bit). Going through a number can lose a NaN payload; the executor should
// copy slot bits directly where it can and use these only at the edges.

export function i32_reinterpret_f32(x: number): number {
  SCRATCH_F32[0] = x;
  return SCRATCH_I32[0];
}

export function f32_reinterpret_i32(bits: number): number {
  SCRATCH_I32[0] = bits;
  return SCRATCH_F32[0];
}

export function i64_reinterpret_f64(x: number): bigint {
  SCRATCH_F64[0] = x;
  return SCRATCH_I64[0];
}

export function f64_reinterpret_i64(a: bigint): number {
  SCRATCH_I64[0] = a;
  return SCRATCH_F64[0];
}

/** The two int32 halves of an f64's bits, for the f64 sign ops: returns the high half. */
export function f64_high_bits(x: number): number {
  SCRATCH_F64[0] = x;
  return SCRATCH_I32[HI_WORD];
}

/** Rebuilds an f64 from its two int32 halves. */
export function f64_from_halves(lo: number, hi: number): number {
  SCRATCH_I32[LO_WORD] = lo;
  SCRATCH_I32[HI_WORD] = hi;
  return SCRATCH_F64[0];
}
