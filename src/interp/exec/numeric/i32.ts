// i32 instructions (spec 4.3.2 "Integer Operations"). Values are JS numbers holding a signed int32;
// every result is normalised with `| 0` (or is already an int32 by construction). Booleans are 0/1.
// No allocation: the executor inlines the trivial ones and calls these for the rest.

import { trapDivideByZero, trapIntegerOverflow } from './traps.ts';

const INT32_MIN = -0x80000000;

// Unary

export function clz(a: number): number {
  return Math.clz32(a);
}

export function ctz(a: number): number {
  // a & -a isolates the lowest set bit; clz32 of it gives 31 - index. clz32(0) = 32 makes ctz(0) = 32 fall out
  // only with the special case.
  return a === 0 ? 32 : 31 - Math.clz32(a & -a);
}

export function popcnt(a: number): number {
  // SWAR bit count (Hacker's Delight 5-2).
  let x = a - ((a >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function eqz(a: number): number {
  return a === 0 ? 1 : 0;
}

export function extend8_s(a: number): number {
  return (a << 24) >> 24;
}

export function extend16_s(a: number): number {
  return (a << 16) >> 16;
}

// Binary arithmetic

export function add(a: number, b: number): number {
  return (a + b) | 0;
}

export function sub(a: number, b: number): number {
  return (a - b) | 0;
}

export function mul(a: number, b: number): number {
  return Math.imul(a, b);
}

/** Spec: traps on b = 0, and on INT32_MIN / -1 whose quotient 2^31 is unrepresentable. */
export function div_s(a: number, b: number): number {
  if (b === 0) trapDivideByZero();
  if (a === INT32_MIN && b === -1) trapIntegerOverflow();
  // The double quotient of two int32s is never rounded onto a different integer (its distance to the
  // nearest integer, >= 1/|b|, is far above half an ulp), so truncating it is exact.
  return (a / b) | 0;
}

export function div_u(a: number, b: number): number {
  if (b === 0) trapDivideByZero();
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** Spec: traps only on b = 0; INT32_MIN rem_s -1 is 0 (JS gives -0, which `| 0` turns into 0). */
export function rem_s(a: number, b: number): number {
  if (b === 0) trapDivideByZero();
  return (a % b) | 0;
}

export function rem_u(a: number, b: number): number {
  if (b === 0) trapDivideByZero();
  return ((a >>> 0) % (b >>> 0)) | 0;
}

// Bitwise. JS shift operators already take the count mod 32, which is what the spec asks for.

export function and(a: number, b: number): number {
  return a & b;
}

export function or(a: number, b: number): number {
  return a | b;
}

export function xor(a: number, b: number): number {
  return a ^ b;
}

export function shl(a: number, b: number): number {
  return a << b;
}

export function shr_s(a: number, b: number): number {
  return a >> b;
}

export function shr_u(a: number, b: number): number {
  return (a >>> b) | 0;
}

export function rotl(a: number, b: number): number {
  // -b mod 32 = (32 - b) mod 32; for b = 0 both halves are a and the OR is a.
  return (a << b) | (a >>> -b);
}

export function rotr(a: number, b: number): number {
  return (a >>> b) | (a << -b);
}

// Comparisons (results are i32 0/1)

export function eq(a: number, b: number): number {
  return a === b ? 1 : 0;
}

export function ne(a: number, b: number): number {
  return a !== b ? 1 : 0;
}

export function lt_s(a: number, b: number): number {
  return a < b ? 1 : 0;
}

export function lt_u(a: number, b: number): number {
  return a >>> 0 < b >>> 0 ? 1 : 0;
}

export function gt_s(a: number, b: number): number {
  return a > b ? 1 : 0;
}

export function gt_u(a: number, b: number): number {
  return a >>> 0 > b >>> 0 ? 1 : 0;
}

export function le_s(a: number, b: number): number {
  return a <= b ? 1 : 0;
}

export function le_u(a: number, b: number): number {
  return a >>> 0 <= b >>> 0 ? 1 : 0;
}

export function ge_s(a: number, b: number): number {
  return a >= b ? 1 : 0;
}

export function ge_u(a: number, b: number): number {
  return a >>> 0 >= b >>> 0 ? 1 : 0;
}
