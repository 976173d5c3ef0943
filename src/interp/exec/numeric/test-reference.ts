// Test-only reference arithmetic: exact rationals in bigint and correct IEEE round-to-nearest-even, written
// the slow obvious way so the fast functions can be property-tested against it. Not imported by the engine.

import { Trap } from '../../errors.ts';

export interface FloatFormat {
  mantissa: bigint; // stored significand bits
  exponent: bigint; // exponent field bits
}

export const F32_FORMAT: FloatFormat = { mantissa: 23n, exponent: 8n };
export const F64_FORMAT: FloatFormat = { mantissa: 52n, exponent: 11n };

/** An exact rational num/den (den > 0) with a separate sign, so -0 is representable. */
export interface Rational {
  neg: boolean;
  num: bigint;
  den: bigint;
}

function bitLength(x: bigint): bigint {
  return x === 0n ? 0n : BigInt(x.toString(2).length);
}

/** floor(log2(num/den)) for num, den > 0. */
function floorLog2(num: bigint, den: bigint): bigint {
  let e = bitLength(num) - bitLength(den);
  // 2^e <= num/den  <=>  num * 2^-e >= den
  const ge = (k: bigint): boolean => (k >= 0n ? num >= den << k : num << -k >= den);
  while (!ge(e)) e -= 1n;
  while (ge(e + 1n)) e += 1n;
  return e;
}

/** Bits (as unsigned bigint) of the float nearest to the rational, ties to even, overflowing to infinity. */
export function roundRational(r: Rational, f: FloatFormat): bigint {
  const sign = r.neg ? 1n << (f.mantissa + f.exponent) : 0n;
  if (r.num === 0n) return sign;
  const bias = (1n << (f.exponent - 1n)) - 1n;
  const emin = 1n - bias;
  let e = floorLog2(r.num, r.den);
  if (e < emin) e = emin; // subnormal range: fixed scale
  // q = r / 2^(e - mantissa): the significand with the binary point after bit 0
  const shift = e - f.mantissa;
  const qn = shift >= 0n ? r.num : r.num << -shift;
  const qd = shift >= 0n ? r.den << shift : r.den;
  let n = qn / qd;
  const rem2 = (qn - n * qd) * 2n;
  if (rem2 > qd || (rem2 === qd && (n & 1n) === 1n)) n += 1n;
  if (n === 1n << (f.mantissa + 1n)) {
    n >>= 1n;
    e += 1n;
  }
  if (e > bias) return sign | (((1n << f.exponent) - 1n) << f.mantissa);
  if (n < 1n << f.mantissa) return sign | n;
  return sign | ((e + bias) << f.mantissa) | (n - (1n << f.mantissa));
}

const buf = new ArrayBuffer(8);
const I32 = new Int32Array(buf);
const U32 = new Uint32Array(buf);
const F32 = new Float32Array(buf);
const F64 = new Float64Array(buf);
const U64 = new BigUint64Array(buf);

export function f32Bits(x: number): number {
  F32[0] = x;
  return I32[0]!;
}

export function f32FromBits(bits: bigint | number): number {
  U32[0] = Number(BigInt.asUintN(32, BigInt(bits)));
  return F32[0]!;
}

export function f64Bits(x: number): bigint {
  F64[0] = x;
  return U64[0]!;
}

export function f64FromBits(bits: bigint): number {
  U64[0] = BigInt.asUintN(64, bits);
  return F64[0]!;
}

/** The exact value of a finite double. */
export function rationalOf(x: number): Rational {
  const bits = f64Bits(x);
  const neg = bits >> 63n === 1n;
  const expField = (bits >> 52n) & 0x7ffn;
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expField === 0n ? frac : frac | (1n << 52n);
  const e = (expField === 0n ? 1n : expField) - 1075n; // value = mant * 2^e
  return e >= 0n ? { neg, num: mant << e, den: 1n } : { neg, num: mant, den: 1n << -e };
}

function signed(r: Rational): [bigint, bigint] {
  return [r.neg ? -r.num : r.num, r.den];
}

function fromSigned(num: bigint, den: bigint): Rational {
  return { neg: num < 0n, num: num < 0n ? -num : num, den };
}

export function ratAdd(a: Rational, b: Rational): Rational {
  const [an, ad] = signed(a);
  const [bn, bd] = signed(b);
  return fromSigned(an * bd + bn * ad, ad * bd);
}

export function ratMul(a: Rational, b: Rational): Rational {
  return { neg: a.neg !== b.neg, num: a.num * b.num, den: a.den * b.den };
}

export function ratDiv(a: Rational, b: Rational): Rational {
  return { neg: a.neg !== b.neg, num: a.num * b.den, den: a.den * b.num };
}

/** Truncation of a rational toward zero, as a signed bigint. */
export function ratTrunc(r: Rational): bigint {
  const q = r.num / r.den;
  return r.neg ? -q : q;
}

/** Correctly rounded float32 value of a rational, as a JS number. */
export function roundToF32(r: Rational): number {
  return f32FromBits(roundRational(r, F32_FORMAT));
}

/** Correctly rounded float64 value of a rational, as a JS number. */
export function roundToF64(r: Rational): number {
  return f64FromBits(roundRational(r, F64_FORMAT));
}

/** The kind of the Trap that `f` throws, or undefined if it returns (any other exception propagates). */
export function trapKind(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e.kind;
    throw e;
  }
  return undefined;
}
