// Calls that leave the interpreter loop: host functions (args and results cross as boundary Values)
// and the lazy compilation of a wasm function on its first call.

import type { Value } from '../api.ts';
import { Suspend } from '../api.ts';
import { InternalError } from '../errors.ts';
import type { FuncInst } from '../runtime/store.ts';
import { readValue, toRef, writeValue } from '../runtime/store.ts';
import { isRefType } from '../syntax/types.ts';
import type { Module, ValType } from '../syntax/types.ts';
import { compileFunction } from './compile.ts';
import type { CompiledFunc } from './ir.ts';
import type { Thread } from './thread.ts';

// Compiled code depends only on the module, so instances of one module share it.
const codeCache = new WeakMap<Module, (CompiledFunc | undefined)[]>();

export function ensureCompiled(fn: FuncInst): CompiledFunc {
  const inst = fn.inst;
  if (!inst) throw new InternalError('host-compile', 'a host function has no code');
  let cache = codeCache.get(inst.module);
  if (!cache) {
    cache = [];
    codeCache.set(inst.module, cache);
  }
  const def = fn.index - inst.numImportedFuncs;
  let c = cache[def];
  if (!c) {
    c = compileFunction(inst.module, def, { maxLocals: inst.maxLocals });
    cache[def] = c;
  }
  fn.code = c;
  return c;
}

/** Read `types.length` values from the slots at int32 offset `at`. */
export function readSlots(th: Thread, types: ValType[], at: number): Value[] {
  const out: Value[] = new Array(types.length);
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    out[i] = readValue(t, th.I32, at + 2 * i, isRefType(t) ? th.refs[(at >> 1) + i] : null, th.exact);
  }
  return out;
}

/** Write values into the slots at int32 offset `at`. */
export function writeSlots(th: Thread, types: ValType[], at: number, vals: Value[]): void {
  th.ensure(at + 2 * types.length);
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    if (isRefType(t)) th.refs[(at >> 1) + i] = toRef(vals[i]);
    else writeValue(t, vals[i], th.I32, at + 2 * i);
  }
}

/** Normalise a host function's return value to an array by its arity. */
export function hostResults(types: ValType[], ret: unknown): Value[] {
  if (types.length === 0) return [];
  if (types.length === 1) return [ret as Value];
  if (!Array.isArray(ret) || ret.length !== types.length) {
    throw new InternalError('host-results', `host function must return ${types.length} results`);
  }
  return ret as Value[];
}

/** Call a host function with args from slot `nfp`; writes its results there unless it suspends. */
export function callHost(th: Thread, fn: FuncInst, nfp: number): Suspend | undefined {
  const h = fn.host!;
  const args = readSlots(th, fn.type.params, nfp);
  const ret = h.fn(args, { module: fn.hostModule, name: fn.hostName });
  if (ret instanceof Suspend) {
    th.pendingArgs = args;
    th.pendingToken = ret.token;
    return ret;
  }
  writeSlots(th, fn.type.results, nfp, hostResults(fn.type.results, ret));
  return undefined;
}
