// f32 instructions (spec 4.3.3 "Floating-Point Operations").
//
// Arithmetic, rounding and comparisons take JS numbers that already hold a float32 value and return one.
// add/sub/mul/div/sqrt compute in double and round once with Math.fround: double has more than 2*24+2
// significand bits, so this double rounding equals the correctly rounded float32 result (Figueroa 1995).
// ceil/floor/trunc/nearest of a float32 value are float32 values already, so they need no fround.
//
// abs, neg and copysign are bit operations (they must keep NaN payloads exactly), so they take and return
// the raw float32 bits as a signed int32.

import { nearest as nearest64 } from './f64.ts';

const SIGN = -0x80000000; // float32 sign bit, as an int32
const MAGNITUDE = 0x7fffffff;

// Arithmetic

export function add(a: number, b: number): number {
  return Math.fround(a + b);
}

export function sub(a: number, b: number): number {
  return Math.fround(a - b);
}

export function mul(a: number, b: number): number {
  return Math.fround(a * b);
}

export function div(a: number, b: number): number {
  return Math.fround(a / b);
}

export function sqrt(a: number): number {
  return Math.fround(Math.sqrt(a));
}

/** Spec: NaN (canonical here) if either operand is NaN; -0 is less than +0, as Math.min already orders them. */
export function min(a: number, b: number): number {
  const r = Math.min(a, b);
  return r === r ? r : NaN;
}

export function max(a: number, b: number): number {
  const r = Math.max(a, b);
  return r === r ? r : NaN;
}

// Rounding to integral values (exact; see the header).

export function ceil(a: number): number {
  return Math.ceil(a);
}

export function floor(a: number): number {
  return Math.floor(a);
}

export function trunc(a: number): number {
  return Math.trunc(a);
}

/** Round half to even, keeping -0 (nearest(-0.5) = -0). */
export function nearest(a: number): number {
  return nearest64(a);
}

// Sign operations on the raw bits (see the header).

export function abs(bits: number): number {
  return bits & MAGNITUDE;
}

export function neg(bits: number): number {
  return bits ^ SIGN;
}

export function copysign(a: number, b: number): number {
  return (a & MAGNITUDE) | (b & SIGN);
}

// Comparisons (i32 0/1). Same as f64: float32 values compare exactly as doubles.

export { eq, ne, lt, gt, le, ge } from './f64.ts';
