// f64 instructions (spec 4.3.3 "Floating-Point Operations").
//
// Arithmetic, rounding and comparisons take and return JS numbers. abs, neg and copysign are pure bit
// operations in the spec (they never canonicalise and keep NaN payloads), and V8 may quiet or rewrite NaN
// payloads when a double passes through arithmetic, so they take and return only the HIGH int32 half of the
// f64 bits (where the sign lives); the executor keeps the low half as it is.
//
// NaN results of min/max are the canonical NaN (JS `NaN` stores as 0x7ff8000000000000), which the spec
// always allows (4.3.3: nans_N). Other arithmetic returns whatever IEEE hardware produces, which is a
// quiet NaN as the spec requires.

const SIGN = -0x80000000; // sign bit of the high half, as an int32
const MAGNITUDE = 0x7fffffff;
/** 2^52: from here up every f64 is an integer, and adding then subtracting it rounds to an integer. */
const TWO_52 = 4503599627370496;

// Arithmetic

export function add(a: number, b: number): number {
  return a + b;
}

export function sub(a: number, b: number): number {
  return a - b;
}

export function mul(a: number, b: number): number {
  return a * b;
}

export function div(a: number, b: number): number {
  return a / b;
}

export function sqrt(a: number): number {
  return Math.sqrt(a);
}

/** Spec: NaN if either operand is NaN; -0 is less than +0. Math.min already orders the zeros that way. */
export function min(a: number, b: number): number {
  const r = Math.min(a, b);
  return r === r ? r : NaN;
}

export function max(a: number, b: number): number {
  const r = Math.max(a, b);
  return r === r ? r : NaN;
}

// Rounding to integral values. Math.ceil/floor/trunc match the spec exactly, including -0 results
// (ceil(-0.5) = -0, trunc(-0.5) = -0). A NaN input must come out quiet (spec 4.3.3: an arithmetic NaN),
// but V8 hands a signalling NaN back unchanged, so NaN maps to the canonical NaN constant.

export function ceil(a: number): number {
  return a !== a ? NaN : Math.ceil(a);
}

export function floor(a: number): number {
  return a !== a ? NaN : Math.floor(a);
}

export function trunc(a: number): number {
  return a !== a ? NaN : Math.trunc(a);
}

/**
 * Round to nearest, ties to even, keeping the sign of zero (nearest(-0.5) = -0). Math.round rounds ties
 * up, so instead use the FPU's own round-to-nearest-even: for |a| < 2^52, (|a| + 2^52) - 2^52 is |a|
 * rounded to an integer. Exact for f32 inputs too (every f32 is an f64, and f32 values >= 2^23 are integral).
 */
export function nearest(a: number): number {
  if (a > 0) return a < TWO_52 ? a + TWO_52 - TWO_52 : a;
  if (a < 0) {
    if (a <= -TWO_52) return a;
    const r = a - TWO_52 + TWO_52;
    return r === 0 ? -0 : r;
  }
  return a === a ? a : NaN; // ±0 unchanged; NaN made quiet (see ceil)
}

// Sign operations on the high half of the bits (see the header).

export function abs(hi: number): number {
  return hi & MAGNITUDE;
}

export function neg(hi: number): number {
  return hi ^ SIGN;
}

export function copysign(hiA: number, hiB: number): number {
  return (hiA & MAGNITUDE) | (hiB & SIGN);
}

// Comparisons (i32 0/1). IEEE: every comparison with NaN is false except ne; -0 equals +0.

export function eq(a: number, b: number): number {
  return a === b ? 1 : 0;
}

export function ne(a: number, b: number): number {
  return a !== b ? 1 : 0;
}

export function lt(a: number, b: number): number {
  return a < b ? 1 : 0;
}

export function gt(a: number, b: number): number {
  return a > b ? 1 : 0;
}

export function le(a: number, b: number): number {
  return a <= b ? 1 : 0;
}

export function ge(a: number, b: number): number {
  return a >= b ? 1 : 0;
}
