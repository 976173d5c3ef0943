// Converting values between our embedding API (api.ts `Value`) and the platform's JS API.
// The JS API already maps i32 ↔ number, i64 ↔ bigint, f32/f64 ↔ number and refs ↔ objects
// (JS API spec, "ToJSValue"/"ToWebAssemblyValue"); what it lacks is the type of a number, F32Bits/F64Bits,
// and our FuncHandle wrappers, which are added here.

import { F32Bits, F64Bits } from '../api.ts';
import type { FuncHandle, Value } from '../api.ts';
import { LinkError } from '../errors.ts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, valTypeName } from '../syntax/types.ts';
import type { FuncType, ValType } from '../syntax/types.ts';

// Scratch views for reinterpreting float bits. NaN payloads survive a Float32Array/Float64Array read on
// V8 for quiet NaNs; a signalling f32 NaN may be quieted on the way through a JS number (a documented
// limit of the native engine).
const scratch = new ArrayBuffer(8);
const f32 = new Float32Array(scratch);
const u32 = new Uint32Array(scratch);
const f64 = new Float64Array(scratch);
const u64 = new BigUint64Array(scratch);

export function f32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}
export function f32ToBits(x: number): number {
  f32[0] = x;
  return u32[0];
}
export function f64FromBits(bits: bigint): number {
  u64[0] = BigInt.asUintN(64, bits);
  return f64[0];
}
export function f64ToBits(x: number): bigint {
  f64[0] = x;
  return u64[0];
}

/** A WebAssembly function object (an exported function) as the JS API hands it out. */
export type WasmFunction = (...args: unknown[]) => unknown;

/**
 * Our handle for a platform wasm function. One handle per function object (see `funcHandleFor`),
 * so ref.func identity is preserved across the boundary.
 */
export class NativeFuncHandle implements FuncHandle {
  readonly kind = 'func' as const;
  constructor(
    readonly fn: WasmFunction,
    readonly type: FuncType,
  ) {}
}

const handles = new WeakMap<WasmFunction, NativeFuncHandle>();
/** Types of function objects we know (exports and imports of instances made by this engine). */
const knownTypes = new WeakMap<WasmFunction, FuncType>();

export function registerFuncType(fn: WasmFunction, type: FuncType | undefined): void {
  if (type && !knownTypes.has(fn)) knownTypes.set(fn, type);
}

/** Unknown: a function reached only through a table of a module this engine did not describe. */
export const UNKNOWN_FUNC_TYPE: FuncType = Object.freeze({ params: [], results: [] }) as FuncType;

/**
 * Wraps a function object. Its type comes from the registry, else from `fallback` (the function index
 * space of the instance the value came out of: the JS API names an exported function after its index,
 * JS API spec "create a new Exported Function").
 */
export function funcHandleFor(fn: WasmFunction, fallback?: (FuncType | undefined)[]): NativeFuncHandle {
  let h = handles.get(fn);
  if (!h) {
    const type = knownTypes.get(fn) ?? fallback?.[Number(fn.name)] ?? UNKNOWN_FUNC_TYPE;
    h = new NativeFuncHandle(fn, type);
    handles.set(fn, h);
  }
  return h;
}

function hostMisuse(kind: string, msg: string): LinkError {
  return new LinkError(kind, msg);
}

/** Our value → the JS API's value for a parameter, global or table slot of type `t`. */
export function toJs(v: Value, t: ValType): unknown {
  switch (t) {
    case I32:
      if (typeof v !== 'number') throw hostMisuse('value-type', `expected an i32 number, got ${describe(v)}`);
      return v | 0;
    case I64:
      if (typeof v === 'bigint') return BigInt.asIntN(64, v);
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
      throw hostMisuse('value-type', `expected an i64 bigint, got ${describe(v)}`);
    case F32:
      if (v instanceof F32Bits) return f32FromBits(v.bits);
      if (typeof v === 'number') return v;
      throw hostMisuse('value-type', `expected an f32 number or F32Bits, got ${describe(v)}`);
    case F64:
      if (v instanceof F64Bits) return f64FromBits(v.bits);
      if (typeof v === 'number') return v;
      throw hostMisuse('value-type', `expected an f64 number or F64Bits, got ${describe(v)}`);
    case FUNCREF:
      if (v === null) return null;
      if (v instanceof NativeFuncHandle) return v.fn;
      throw hostMisuse('value-type', `expected a funcref from the native engine or null, got ${describe(v)}`);
    case EXTERNREF:
      if (v === undefined) throw hostMisuse('value-type', 'undefined is not an externref');
      return v;
    default:
      throw hostMisuse('value-type', `${valTypeName(t)} values cannot cross the JS API boundary`);
  }
}

/** The JS API's value of type `t` → our value. */
export function fromJs(x: unknown, t: ValType, exactFloats: boolean, funcs?: (FuncType | undefined)[]): Value {
  switch (t) {
    case I32:
      return Number(x) | 0;
    case I64:
      return BigInt.asIntN(64, x as bigint);
    case F32:
      return exactFloats ? new F32Bits(f32ToBits(x as number)) : (x as number);
    case F64:
      return exactFloats ? new F64Bits(f64ToBits(x as number)) : (x as number);
    case FUNCREF:
      return x === null ? null : funcHandleFor(x as WasmFunction, funcs);
    default:
      return x as Value;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** Like `toJs`, but an f32/f64 becomes its bit pattern (an i32 number / i64 bigint) for a bits bridge. */
export function toJsBits(v: Value, t: ValType): unknown {
  if (t === F32) {
    if (v instanceof F32Bits) return v.bits | 0;
    if (typeof v === 'number') return f32ToBits(v) | 0;
  } else if (t === F64) {
    if (v instanceof F64Bits) return BigInt.asIntN(64, v.bits);
    if (typeof v === 'number') return BigInt.asIntN(64, f64ToBits(v));
  }
  return toJs(v, t);
}

/** Like `fromJs`, for a value that came back through a bits bridge. */
export function fromJsBits(x: unknown, t: ValType, exactFloats: boolean, funcs?: (FuncType | undefined)[]): Value {
  if (t === F32) return exactFloats ? new F32Bits((x as number) >>> 0) : f32FromBits(x as number);
  if (t === F64) return exactFloats ? new F64Bits(BigInt.asUintN(64, x as bigint)) : f64FromBits(x as bigint);
  return fromJs(x, t, exactFloats, funcs);
}
