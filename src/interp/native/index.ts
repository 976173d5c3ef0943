// The `native` engine: the Engine interface (api.ts) on the platform's own WebAssembly (V8 in Node and
// Chromium). Uses only the standard JS API, so it runs in a browser worker too.
//
// Limits, by construction of the JS API:
// - no fuel, no suspension, no stack inspection (a HostFunc returning Suspend raises InternalError);
// - DecodeError vs ValidationError is guessed from the CompileError message (see error-map.ts);
// - NaN payloads are exact through run() and GlobalHandle only with exactFloats or F32Bits/F64Bits
//   (bits-bridge.ts); host function arguments and results cross as JS numbers, where V8 may quiet a
//   signalling NaN;
// - EngineLimits are not enforced (the platform has its own: 65536 pages, its own stack depth);
// - compile is synchronous, which Chromium refuses for big modules on the main thread: use it in a worker.

import type {
  CompiledModule, Engine, EngineLimits, Extern, HostFunc, Imports, Instance, RunOptions, RunResult, StackFrame,
  Value,
} from '../api.ts';
import { F32Bits, F64Bits, Suspend } from '../api.ts';
import { ExhaustionError, InternalError, LinkError, Trap } from '../errors.ts';
import type { FuncType } from '../syntax/types.ts';
import { valTypeName } from '../syntax/types.ts';
import { mapCompileError, mapLinkError, mapRunError } from './error-map.ts';
import {
  globalHandleFor, memoryHandleFor, NativeGlobalHandle, NativeMemoryHandle, NativeTableHandle, tableHandleFor,
} from './handles.ts';
import { hasSection, readModuleInfo } from './module-info.ts';
import type { ModuleInfo } from './module-info.ts';
import { bridged, hasFloats } from './bits-bridge.ts';
import {
  fromJs, fromJsBits, funcHandleFor, NativeFuncHandle, registerFuncType, toJs, toJsBits, UNKNOWN_FUNC_TYPE,
} from './values.ts';
import type { WasmFunction } from './values.ts';

export { NativeFuncHandle } from './values.ts';
export { NativeGlobalHandle, NativeMemoryHandle, NativeTableHandle } from './handles.ts';

const SEC_DATA_COUNT = 12;

export class NativeCompiledModule implements CompiledModule {
  readonly module = undefined;
  readonly imports: { module: string; name: string; kind: string }[];
  readonly exports: { name: string; kind: string }[];
  constructor(
    readonly wasm: WebAssembly.Module,
    readonly info: ModuleInfo,
  ) {
    // Kinds as in the module AST (ExternKind): the JS API says 'function' where the spec says 'func'.
    const kindOf = (k: string) => (k === 'function' ? 'func' : k);
    this.imports = WebAssembly.Module.imports(wasm).map(({ module, name, kind }) => ({ module, name, kind: kindOf(kind) }));
    this.exports = WebAssembly.Module.exports(wasm).map(({ name, kind }) => ({ name, kind: kindOf(kind) }));
  }
}

function compile(bytes: Uint8Array): CompiledModule {
  let wasm: WebAssembly.Module;
  try {
    // The cast: TS's BufferSource excludes SharedArrayBuffer-backed views, which V8 accepts anyway.
    wasm = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    if (e instanceof WebAssembly.CompileError) throw mapCompileError(e, hasSection(bytes, SEC_DATA_COUNT));
    // The platform could not hold the module (e.g. out of memory for its code).
    if (e instanceof RangeError) throw new ExhaustionError('module-limit', e.message);
    throw e;
  }
  return new NativeCompiledModule(wasm, readModuleInfo(bytes));
}

// Host functions get one JS wrapper each, so importing the same HostFunc twice gives the same function.
const hostWrappers = new WeakMap<HostFunc, WasmFunction>();

function wrapHostFunc(h: HostFunc, module: string, name: string): WasmFunction {
  let w = hostWrappers.get(h);
  if (w) return w;
  const { params, results } = h.type;
  w = (...jsArgs: unknown[]): unknown => {
    const args = params.map((t, i) => fromJs(jsArgs[i], t, false));
    const r = h.fn(args, { module, name });
    if (r instanceof Suspend) throw new InternalError('native-suspend', 'native engine cannot suspend');
    if (results.length === 0) return undefined;
    if (results.length === 1) return toJs((Array.isArray(r) ? r[0] : r) as Value, results[0]);
    if (!Array.isArray(r) || r.length !== results.length) {
      throw new InternalError('host-arity', `host function ${module}.${name} must return ${results.length} results`);
    }
    return r.map((v: Value, i) => toJs(v, results[i]));
  };
  hostWrappers.set(h, w);
  return w;
}

function sameFuncType(a: FuncType, b: FuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);
}

function sigText(t: FuncType): string {
  return `[${t.params.map(valTypeName).join(' ')}] -> [${t.results.map(valTypeName).join(' ')}]`;
}

/** Our Imports → the JS API's import object. Checks what the JS API cannot check for host functions. */
function adaptImports(mod: NativeCompiledModule, imports: Imports): WebAssembly.Imports {
  const out: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const im of mod.info.imports) {
    const ext: Extern | undefined = imports[im.module]?.[im.name];
    if (ext === undefined) throw new LinkError('unknown-import', `unknown import ${im.module}.${im.name}`);
    const kind = ext.kind === 'host' ? 'func' : ext.kind;
    if (kind !== im.kind) {
      throw new LinkError('incompatible-import', `import ${im.module}.${im.name}: expected ${im.kind}, got ${kind}`);
    }
    (out[im.module] ??= {})[im.name] = unwrapExtern(ext, im);
  }
  return out;
}

function unwrapExtern(ext: Extern, im: ModuleInfo['imports'][number]): WebAssembly.ImportValue {
  const where = `import ${im.module}.${im.name}`;
  switch (ext.kind) {
    case 'host': {
      // Spec 4.5.4 (import matching): a host function's declared type must equal the import's type.
      const want = im.type as FuncType | undefined;
      if (want && !sameFuncType(want, ext.type)) {
        throw new LinkError('incompatible-import', `${where}: expected ${sigText(want)}, got ${sigText(ext.type)}`);
      }
      return wrapHostFunc(ext, im.module, im.name) as WebAssembly.ImportValue;
    }
    case 'func':
      if (ext instanceof NativeFuncHandle) return ext.fn as WebAssembly.ImportValue;
      break;
    case 'memory':
      if (ext instanceof NativeMemoryHandle) return ext.mem;
      break;
    case 'table':
      if (ext instanceof NativeTableHandle) return ext.table;
      break;
    case 'global':
      if (ext instanceof NativeGlobalHandle) return ext.global;
      break;
  }
  throw new LinkError('foreign-handle', `${where}: handle does not belong to the native engine`);
}

function wrapExports(wasmExports: WebAssembly.Exports, info: ModuleInfo): Record<string, Extern> {
  const out: Record<string, Extern> = {};
  for (const [name, x] of Object.entries(wasmExports)) {
    const ex = info.exports.get(name);
    if (typeof x === 'function') {
      const fn = x as WasmFunction;
      registerFuncType(fn, ex ? info.funcs[ex.index] : undefined);
      out[name] = funcHandleFor(fn, info.funcs);
    } else if (x instanceof WebAssembly.Memory) {
      out[name] = memoryHandleFor(x, ex ? info.mems[ex.index] : undefined);
    } else if (x instanceof WebAssembly.Table) {
      out[name] = tableHandleFor(x, ex ? info.tables[ex.index] : undefined, info.funcs);
    } else if (x instanceof WebAssembly.Global) {
      out[name] = globalHandleFor(x, ex ? info.globals[ex.index] : undefined, info.funcs);
    }
  }
  return out;
}

class NativeInstance implements Instance {
  readonly paused = false;
  readonly fuelUsed = 0;
  constructor(
    readonly exports: Record<string, Extern>,
    private readonly info: ModuleInfo,
  ) {}

  run(entry: string, args: Value[] = [], opts: RunOptions = {}): RunResult {
    const f = this.exports[entry];
    if (!(f instanceof NativeFuncHandle)) throw new LinkError('unknown-export', `no exported function "${entry}"`);
    const { params, results } = f.type;
    if (args.length !== params.length) {
      throw new LinkError('arity-mismatch', `"${entry}" takes ${params.length} arguments, got ${args.length}`);
    }
    const exact = opts.exactFloats ?? false;
    // Exact float bits requested (or given): go through a bits bridge so no NaN payload is touched.
    const viaBits = f.type !== UNKNOWN_FUNC_TYPE && hasFloats(f.type) &&
      (exact || args.some((v) => v instanceof F32Bits || v instanceof F64Bits));
    const jsArgs = args.map((v, i) => (viaBits ? toJsBits(v, params[i]) : toJs(v, params[i])));
    let r: unknown;
    try {
      r = (viaBits ? bridged(f.fn, f.type) : f.fn)(...jsArgs);
    } catch (e) {
      const m = mapRunError(e);
      if (m instanceof Trap) return { status: 'trap', trap: m };
      throw m;
    }
    const raw = results.length === 1 ? [r] : results.length === 0 ? [] : (r as unknown[]);
    const from = viaBits ? fromJsBits : fromJs;
    return { status: 'done', results: results.map((t, i) => from(raw[i], t, exact, this.info.funcs)) };
  }

  resume(): RunResult {
    throw new InternalError('native-resume', 'the native engine never pauses, so there is nothing to resume');
  }

  stack(): StackFrame[] {
    return [];
  }
}

function instantiate(mod: CompiledModule, imports: Imports, _limits?: EngineLimits): Instance {
  if (!(mod instanceof NativeCompiledModule)) {
    throw new InternalError('foreign-module', 'module was not compiled by the native engine');
  }
  const importObject = adaptImports(mod, imports);
  let inst: WebAssembly.Instance;
  try {
    inst = new WebAssembly.Instance(mod.wasm, importObject);
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) throw mapLinkError(e);
    // A trap in the start function or in segment initialisation (spec 4.5.4 step 15-16).
    throw mapRunError(e);
  }
  return new NativeInstance(wrapExports(inst.exports, mod.info), mod.info);
}

export const nativeEngine: Engine = { name: 'native', compile, instantiate };
