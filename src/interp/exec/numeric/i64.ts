// i64 instructions (spec 4.3.2 "Integer Operations"). Values are bigints holding a signed 64-bit integer;
// results are normalised with BigInt.asIntN(64, ...) wherever the exact result can leave that range.
// Comparisons and eqz return i32 0/1 as numbers. Bit counts go through int32 halves (scratch buffer)
// because Math.clz32 on halves is much cheaper than bigint shifting.

import { HI_WORD, LO_WORD, SCRATCH_I32, SCRATCH_I64 } from './scratch.ts';
import { trapDivideByZero, trapIntegerOverflow } from './traps.ts';
import { ctz as ctz32, popcnt as popcnt32 } from './i32.ts';

const INT64_MIN = -0x8000000000000000n;
const SHIFT_MASK = 63n; // spec: shift and rotate counts are taken mod 64

// Unary

export function clz(a: bigint): bigint {
  SCRATCH_I64[0] = a;
  const hi = SCRATCH_I32[HI_WORD];
  return BigInt(hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(SCRATCH_I32[LO_WORD]));
}

export function ctz(a: bigint): bigint {
  SCRATCH_I64[0] = a;
  const lo = SCRATCH_I32[LO_WORD];
  return BigInt(lo !== 0 ? ctz32(lo) : 32 + ctz32(SCRATCH_I32[HI_WORD]));
}

export function popcnt(a: bigint): bigint {
  SCRATCH_I64[0] = a;
  return BigInt(popcnt32(SCRATCH_I32[LO_WORD]) + popcnt32(SCRATCH_I32[HI_WORD]));
}

export function eqz(a: bigint): number {
  return a === 0n ? 1 : 0;
}

export function extend8_s(a: bigint): bigint {
  return BigInt.asIntN(8, a);
}

export function extend16_s(a: bigint): bigint {
  return BigInt.asIntN(16, a);
}

export function extend32_s(a: bigint): bigint {
  return BigInt.asIntN(32, a);
}

// Binary arithmetic

export function add(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a + b);
}

export function sub(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a - b);
}

export function mul(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a * b);
}

// Division. V8 11 compiles signed BigInt64 `/` and `%` (operands read from, result stored to BigInt64Array)
// to a machine division, ~2 ns; `BigInt.asUintN(64, a) / BigInt.asUintN(64, b)` stays a BigInt library call,
// 18-26 ns. So the unsigned ops are built from signed division, every intermediate kept in int64 range with
// asIntN(64, ...) so that V8 keeps lowering it.

/** Spec: traps on b = 0, and on INT64_MIN / -1 whose quotient 2^63 is unrepresentable. */
export function div_s(a: bigint, b: bigint): bigint {
  if (b === 0n) trapDivideByZero();
  if (b === -1n && a === INT64_MIN) trapIntegerOverflow();
  return a / b; // bigint division truncates toward zero, as the spec's idiv_s does
}

/** Unsigned a / b for b != 0 (operands and result as signed bigints holding the bits). */
function quotientU(a: bigint, b: bigint): bigint {
  if (b < 0n) return ltu(a, b) ? 0n : 1n; // b >= 2^63: the quotient is 0 or 1
  if (a >= 0n) return a / b; // both below 2^63: signed and unsigned division agree
  // a >= 2^63 > b: halve a (unsigned: floor(a / 2) + 2^63 fits in int64), divide, double. With a = 2h + e and
  // h = kb + s, that leaves a - 2kb = 2s + e < 2b, so at most one b is missing from the quotient.
  const half = BigInt.asIntN(64, BigInt.asIntN(64, a - (a & 1n)) / 2n - INT64_MIN);
  const q = BigInt.asIntN(64, (half / b) * 2n);
  return ltu(BigInt.asIntN(64, a - BigInt.asIntN(64, q * b)), b) ? q : BigInt.asIntN(64, q + 1n);
}

export function div_u(a: bigint, b: bigint): bigint {
  if (b === 0n) trapDivideByZero();
  return quotientU(a, b);
}

/** Spec: traps only on b = 0; the remainder takes the dividend's sign, and INT64_MIN rem_s -1 is 0. */
export function rem_s(a: bigint, b: bigint): bigint {
  if (b === 0n) trapDivideByZero();
  return a % b;
}

export function rem_u(a: bigint, b: bigint): bigint {
  if (b === 0n) trapDivideByZero();
  if (a >= 0n && b > 0n) return a % b;
  return BigInt.asIntN(64, a - BigInt.asIntN(64, quotientU(a, b) * b));
}

// Bitwise. For signed bigints &, |, ^ of two values in range stay in range.

export function and(a: bigint, b: bigint): bigint {
  return a & b;
}

export function or(a: bigint, b: bigint): bigint {
  return a | b;
}

export function xor(a: bigint, b: bigint): bigint {
  return a ^ b;
}

export function shl(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a << (b & SHIFT_MASK));
}

export function shr_s(a: bigint, b: bigint): bigint {
  return a >> (b & SHIFT_MASK);
}

export function shr_u(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, BigInt.asUintN(64, a) >> (b & SHIFT_MASK));
}

export function rotl(a: bigint, b: bigint): bigint {
  const k = b & SHIFT_MASK;
  const u = BigInt.asUintN(64, a);
  return BigInt.asIntN(64, (u << k) | (u >> ((64n - k) & SHIFT_MASK)));
}

export function rotr(a: bigint, b: bigint): bigint {
  const k = b & SHIFT_MASK;
  const u = BigInt.asUintN(64, a);
  return BigInt.asIntN(64, (u >> k) | (u << ((64n - k) & SHIFT_MASK)));
}

// Comparisons (results are i32 0/1)

export function eq(a: bigint, b: bigint): number {
  return a === b ? 1 : 0;
}

export function ne(a: bigint, b: bigint): number {
  return a !== b ? 1 : 0;
}

export function lt_s(a: bigint, b: bigint): number {
  return a < b ? 1 : 0;
}

/** Unsigned a < b without allocating: within one sign the signed order is the unsigned order; across signs
 * the negative one (top bit set) is the larger unsigned value. */
function ltu(a: bigint, b: bigint): boolean {
  return a < 0n === b < 0n ? a < b : a >= 0n;
}

export function lt_u(a: bigint, b: bigint): number {
  return ltu(a, b) ? 1 : 0;
}

export function gt_s(a: bigint, b: bigint): number {
  return a > b ? 1 : 0;
}

export function gt_u(a: bigint, b: bigint): number {
  return ltu(b, a) ? 1 : 0;
}

export function le_s(a: bigint, b: bigint): number {
  return a <= b ? 1 : 0;
}

export function le_u(a: bigint, b: bigint): number {
  return ltu(b, a) ? 0 : 1;
}

export function ge_s(a: bigint, b: bigint): number {
  return a >= b ? 1 : 0;
}

export function ge_u(a: bigint, b: bigint): number {
  return ltu(a, b) ? 0 : 1;
}
