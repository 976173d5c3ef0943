// Script values: JSON constants → embedding values (arguments), and result matching against expected
// patterns (spec interpreter script/run.ml `match_result`). Floats are compared by bits; NaN patterns
// follow spec 4.3.3 (canonical NaN: payload exactly the quiet bit; arithmetic NaN: quiet bit set).

import { F32Bits, F64Bits } from '../api.ts';
import type { Value } from '../api.ts';
import type { JsonExpected, JsonValue } from './commands.ts';

/** A host reference `ref.extern N`: one object per N within a script, so identity can be checked. */
export class ExternRef {
  constructor(readonly n: number) {}
}

export class ExternRefs {
  private readonly refs = new Map<number, ExternRef>();
  get(n: number): ExternRef {
    let r = this.refs.get(n);
    if (!r) this.refs.set(n, (r = new ExternRef(n)));
    return r;
  }
}

/** A value the runner cannot express (v128 outside the SIMD files, unknown types): skip the command. */
export class UnsupportedValue extends Error {
  override readonly name = 'UnsupportedValue';
}

const F32_EXP_QUIET = 0x7fc00000; // exponent all ones + quiet bit
const F32_ABS = 0x7fffffff;
const F64_EXP_QUIET = 0x7ff8000000000000n;
const F64_ABS = 0x7fffffffffffffffn;

function scalar(v: JsonValue): string {
  if (typeof v.value !== 'string') throw new UnsupportedValue(`value of type ${v.type} has no scalar`);
  return v.value;
}

export function argValue(v: JsonValue, externs: ExternRefs): Value {
  switch (v.type) {
    case 'i32':
      return Number(scalar(v)) | 0;
    case 'i64':
      return BigInt.asIntN(64, BigInt(scalar(v)));
    case 'f32':
      return new F32Bits(Number(scalar(v)) >>> 0);
    case 'f64':
      return new F64Bits(BigInt.asUintN(64, BigInt(scalar(v))));
    case 'externref':
      return scalar(v) === 'null' ? null : externs.get(Number(scalar(v)));
    case 'funcref':
      if (scalar(v) === 'null') return null;
      throw new UnsupportedValue('a non-null funcref constant has no meaning as an argument');
    default:
      throw new UnsupportedValue(`argument type ${v.type}`);
  }
}

export function f32Bits(r: Value): number | undefined {
  if (r instanceof F32Bits) return r.bits >>> 0;
  if (typeof r === 'number') {
    const b = new DataView(new ArrayBuffer(4));
    b.setFloat32(0, r);
    return b.getUint32(0);
  }
  return undefined;
}

export function f64Bits(r: Value): bigint | undefined {
  if (r instanceof F64Bits) return BigInt.asUintN(64, r.bits);
  if (typeof r === 'number') {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, r);
    return b.getBigUint64(0);
  }
  return undefined;
}

/** Does result `r` match the expected pattern `e`? */
export function matches(r: Value, e: JsonExpected, externs: ExternRefs): boolean {
  switch (e.type) {
    case 'i32':
      return typeof r === 'number' && Number.isInteger(r) && r >>> 0 === Number(scalar(e)) >>> 0;
    case 'i64':
      return typeof r === 'bigint' && BigInt.asUintN(64, r) === BigInt.asUintN(64, BigInt(scalar(e)));
    case 'f32': {
      const bits = f32Bits(r);
      if (bits === undefined) return false;
      const want = scalar(e);
      if (want === 'nan:canonical') return (bits & F32_ABS) === F32_EXP_QUIET;
      if (want === 'nan:arithmetic') return (bits & F32_EXP_QUIET) === F32_EXP_QUIET;
      return bits === Number(want) >>> 0;
    }
    case 'f64': {
      const bits = f64Bits(r);
      if (bits === undefined) return false;
      const want = scalar(e);
      if (want === 'nan:canonical') return (bits & F64_ABS) === F64_EXP_QUIET;
      if (want === 'nan:arithmetic') return (bits & F64_EXP_QUIET) === F64_EXP_QUIET;
      return bits === BigInt.asUintN(64, BigInt(want));
    }
    case 'externref':
      // No value: the pattern `(ref.extern)`, any non-null host reference.
      if (e.value === undefined) return r !== null && r !== undefined;
      return e.value === 'null' ? r === null : r === externs.get(Number(e.value));
    case 'funcref':
      if (e.value === 'null') return r === null;
      // `(ref.func)` (wabt writes it as a function index, or no value): any non-null function reference.
      // A FuncHandle does not expose its index, so the index cannot be checked engine-neutrally.
      return r !== null && typeof r === 'object' && (r as { kind?: unknown }).kind === 'func';
    case 'either':
      return (e.values ?? []).some((alt) => matches(r, alt, externs));
    default:
      throw new UnsupportedValue(`result type ${e.type}`);
  }
}

/** A short human form of a value, for failure messages. */
export function showValue(r: Value): string {
  if (r === null) return 'null';
  if (r instanceof F32Bits) return `f32:0x${(r.bits >>> 0).toString(16).padStart(8, '0')}`;
  if (r instanceof F64Bits) return `f64:0x${BigInt.asUintN(64, r.bits).toString(16).padStart(16, '0')}`;
  if (r instanceof ExternRef) return `ref.extern ${r.n}`;
  if (typeof r === 'bigint') return `${r}n`;
  if (typeof r === 'object' && (r as { kind?: unknown }).kind === 'func') return 'ref.func';
  return String(r);
}

export function showExpected(e: JsonExpected): string {
  if (e.type === 'either') return `either(${(e.values ?? []).map(showExpected).join(', ')})`;
  if (e.value === undefined) return `(ref.${e.type === 'funcref' ? 'func' : 'extern'})`;
  const v = String(e.value);
  if (e.type === 'f32' && /^\d+$/.test(v)) return `f32:0x${Number(v).toString(16).padStart(8, '0')}`;
  if (e.type === 'f64' && /^\d+$/.test(v)) return `f64:0x${BigInt(v).toString(16).padStart(16, '0')}`;
  return `${e.type}:${v}`;
}
