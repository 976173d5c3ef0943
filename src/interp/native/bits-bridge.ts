// Exact float bits across the JS API boundary. A JS number is an f64, and V8 quiets signalling NaNs when a
// float crosses into or out of wasm, so NaN payloads can change (spec 4.3.3 lets *operators* pick NaN
// payloads, but a plain call must not). For calls that ask for exact floats, we call the function through
// a tiny generated wasm "bridge" that takes and returns f32/f64 as their i32/i64 bit patterns
// (reinterpret instructions, spec 4.4.1.6), so only integers cross the boundary.

import type { FuncType, GlobalType, ValType } from '../syntax/types.ts';
import { F32, F64, I32, I64 } from '../syntax/types.ts';
import type { WasmFunction } from './values.ts';

const OP_LOCAL_GET = 0x20;
const OP_LOCAL_SET = 0x21;
const OP_CALL = 0x10;
const OP_END = 0x0b;
const OP_I32_REINTERPRET_F32 = 0xbc;
const OP_I64_REINTERPRET_F64 = 0xbd;
const OP_F32_REINTERPRET_I32 = 0xbe;
const OP_F64_REINTERPRET_I64 = 0xbf;
const FUNC_TYPE_FORM = 0x60;
const SEC_TYPE = 1, SEC_IMPORT = 2, SEC_FUNC = 3, SEC_EXPORT = 7, SEC_CODE = 10;
const EXTERN_FUNC = 0;
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function hasFloats(t: FuncType): boolean {
  return t.params.some(isFloat) || t.results.some(isFloat);
}

function isFloat(t: ValType): boolean {
  return t === F32 || t === F64;
}

/** The bit-pattern type carrying a value of type `t` across the boundary. */
function carrier(t: ValType): ValType {
  return t === F32 ? I32 : t === F64 ? I64 : t;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function funcType(params: ValType[], results: ValType[]): number[] {
  return [FUNC_TYPE_FORM, ...uleb(params.length), ...params, ...uleb(results.length), ...results];
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** The bridge module for `t`: imports "m" "f" of type t, exports "f" with floats replaced by their bits. */
export function bridgeBinary(t: FuncType): Uint8Array {
  const { params, results } = t;
  const body: number[] = [];
  params.forEach((p, i) => {
    body.push(OP_LOCAL_GET, ...uleb(i));
    if (p === F32) body.push(OP_F32_REINTERPRET_I32);
    if (p === F64) body.push(OP_F64_REINTERPRET_I64);
  });
  body.push(OP_CALL, 0);
  const toBits = (r: ValType) => (r === F32 ? [OP_I32_REINTERPRET_F32] : r === F64 ? [OP_I64_REINTERPRET_F64] : []);
  // With several results only the top of the stack is reachable: park them in locals first.
  const locals: number[][] = [];
  if (results.length === 1) body.push(...toBits(results[0]));
  else if (results.length > 1) {
    results.forEach((r) => locals.push([1, r]));
    for (let i = results.length - 1; i >= 0; i--) body.push(OP_LOCAL_SET, ...uleb(params.length + i));
    results.forEach((r, i) => body.push(OP_LOCAL_GET, ...uleb(params.length + i), ...toBits(r)));
  }
  body.push(OP_END);
  const code = [...vec(locals), ...body];
  return new Uint8Array([
    ...HEADER,
    ...section(SEC_TYPE, vec([funcType(params, results), funcType(params.map(carrier), results.map(carrier))])),
    ...section(SEC_IMPORT, vec([[...name('m'), ...name('f'), EXTERN_FUNC, 0]])),
    ...section(SEC_FUNC, vec([[1]])),
    ...section(SEC_EXPORT, vec([[...name('f'), EXTERN_FUNC, 1]])),
    ...section(SEC_CODE, vec([[...uleb(code.length), ...code]])),
  ]);
}

function key(t: FuncType): string {
  return `${t.params.join(',')}>${t.results.join(',')}`;
}

const modules = new Map<string, WebAssembly.Module>();
const bridges = new WeakMap<WasmFunction, WasmFunction>();

/** `fn` (of type `t`) as a function taking and returning float bits; one bridge per function. */
export function bridged(fn: WasmFunction, t: FuncType): WasmFunction {
  let b = bridges.get(fn);
  if (b) return b;
  const k = key(t);
  let m = modules.get(k);
  if (!m) modules.set(k, (m = new WebAssembly.Module(bridgeBinary(t) as Uint8Array<ArrayBuffer>)));
  b = new WebAssembly.Instance(m, { m: { f: fn } }).exports.f as WasmFunction;
  bridges.set(fn, b);
  return b;
}

const OP_GLOBAL_GET = 0x23;
const OP_GLOBAL_SET = 0x24;
const EXTERN_GLOBAL = 3;

/**
 * The global bridge for an f32/f64 global: imports "m" "g" and exports "get" (returning the bits) and,
 * for a mutable global, "set" (taking the bits).
 */
export function globalBridgeBinary(type: GlobalType): Uint8Array {
  const bits = carrier(type.type);
  const getter = [0, OP_GLOBAL_GET, 0, type.type === F32 ? OP_I32_REINTERPRET_F32 : OP_I64_REINTERPRET_F64, OP_END];
  const setter = [0, OP_LOCAL_GET, 0, type.type === F32 ? OP_F32_REINTERPRET_I32 : OP_F64_REINTERPRET_I64,
    OP_GLOBAL_SET, 0, OP_END];
  const funcs = type.mutable ? [getter, setter] : [getter];
  return new Uint8Array([
    ...HEADER,
    ...section(SEC_TYPE, vec([funcType([], [bits]), funcType([bits], [])])),
    ...section(SEC_IMPORT, vec([[...name('m'), ...name('g'), EXTERN_GLOBAL, type.type, type.mutable ? 1 : 0]])),
    ...section(SEC_FUNC, vec(funcs.map((_, i) => [i]))),
    ...section(SEC_EXPORT, vec(funcs.map((_, i) => [...name(i ? 'set' : 'get'), EXTERN_FUNC, i]))),
    ...section(SEC_CODE, vec(funcs.map((f) => [...uleb(f.length), ...f]))),
  ]);
}

export interface GlobalBits {
  get(): number | bigint;
  set?(bits: number | bigint): void;
}

const globalModules = new Map<string, WebAssembly.Module>();
const globalBridges = new WeakMap<WebAssembly.Global, GlobalBits>();

/** Bit-exact access to an f32/f64 global; one bridge per global. */
export function globalBits(g: WebAssembly.Global, type: GlobalType): GlobalBits {
  let b = globalBridges.get(g);
  if (b) return b;
  const k = `${type.type}:${type.mutable}`;
  let m = globalModules.get(k);
  if (!m) globalModules.set(k, (m = new WebAssembly.Module(globalBridgeBinary(type) as Uint8Array<ArrayBuffer>)));
  const ex = new WebAssembly.Instance(m, { m: { g } }).exports as Record<string, (...a: unknown[]) => unknown>;
  b = { get: () => ex.get() as number | bigint, set: ex.set ? (v) => void ex.set(v) : undefined };
  globalBridges.set(g, b);
  return b;
}
