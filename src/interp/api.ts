// The embedding interface shared by both engines (interp and native). WASI and the spec script runner
// are written once against it. See shared/DESIGN.md, "Engine interface".

import type { FuncType, GlobalType, MemType, Module, TableType } from './syntax/types.ts';
import type { Trap } from './errors.ts';

/**
 * A wasm value at the embedding boundary:
 * - i32: number (signed int32), i64: bigint (signed),
 * - f32/f64: number, or F32Bits/F64Bits to carry an exact NaN payload (an engine accepts both as input;
 *   it returns bits only when asked with `exactFloats`),
 * - funcref: a FuncHandle or null, externref: any JS value other than undefined, or null.
 */
export type Value = number | bigint | F32Bits | F64Bits | FuncHandle | null | object | string | boolean | symbol;

export class F32Bits {
  /** @param bits the raw IEEE-754 single bits as an unsigned 32-bit number */
  constructor(readonly bits: number) {}
}
export class F64Bits {
  /** @param bits the raw IEEE-754 double bits as an unsigned 64-bit bigint */
  constructor(readonly bits: bigint) {}
}

/** Returned by a host function to pause the guest at this call (interp engine only). */
export class Suspend {
  constructor(readonly token?: unknown) {}
}

export interface HostCallInfo {
  module: string;
  name: string;
}

/**
 * A function the embedder provides. It receives the arguments and returns its results, or a Suspend.
 * Results by arity: none → return nothing; one → return the value itself; several → an array.
 */
export interface HostFunc {
  readonly kind: 'host';
  readonly type: FuncType;
  readonly fn: (args: Value[], info: HostCallInfo) => Value | Value[] | void | Suspend;
}

export function hostFunc(type: FuncType, fn: HostFunc['fn']): HostFunc {
  return { kind: 'host', type, fn };
}

/** An engine's own function reference (an export, or a funcref value). Opaque outside the engine. */
export interface FuncHandle {
  readonly kind: 'func';
  readonly type: FuncType;
}

export interface MemoryHandle {
  readonly kind: 'memory';
  readonly type: MemType;
  /** The current backing buffer. Re-read after any call that may grow memory. */
  readonly buffer: ArrayBuffer;
  /** Current size in 64 KiB pages. */
  size(): number;
  /** Grow by delta pages; returns the old size, or -1 on failure. */
  grow(delta: number): number;
}

export interface TableHandle {
  readonly kind: 'table';
  readonly type: TableType;
  size(): number;
  get(i: number): Value;
  set(i: number, v: Value): void;
  grow(delta: number, init: Value): number;
}

export interface GlobalHandle {
  readonly kind: 'global';
  readonly type: GlobalType;
  get(opts?: { exactFloats?: boolean }): Value;
  set(v: Value): void;
}

export type Extern = HostFunc | FuncHandle | MemoryHandle | TableHandle | GlobalHandle;

export type Imports = Record<string, Record<string, Extern | undefined> | undefined>;

/** Configurable resource limits. Going past any raises an ExhaustionError (or memory.grow returns -1). */
export interface EngineLimits {
  /** Max linear memory pages per memory (default 65536 = 4 GiB). */
  maxMemoryPages?: number;
  /** Max table elements (default 10_000_000). */
  maxTableSize?: number;
  /** Max wasm call depth (default 10_000). */
  maxCallDepth?: number;
  /** Value stack size in 64-bit slots (default 1 << 20). */
  maxStackSlots?: number;
  /** Max declared locals in one function (default 50_000). */
  maxLocals?: number;
}

export interface RunOptions {
  /** Instruction budget for this run segment. Infinity (default) means unmetered. */
  fuel?: number;
  /** Return f32/f64 results as F32Bits/F64Bits. */
  exactFloats?: boolean;
}

export interface StackFrame {
  funcIndex: number;
  /** From the name section when present. */
  name?: string;
  /** Byte offset in the module of the instruction being executed (or the call in progress). */
  offset: number;
}

export interface PendingHostCall {
  module: string;
  name: string;
  args: Value[];
  token?: unknown;
}

export type RunResult =
  | { status: 'done'; results: Value[] }
  | { status: 'suspended'; call: PendingHostCall }
  | { status: 'out-of-fuel' }
  | { status: 'trap'; trap: Trap };

export interface Instance {
  readonly exports: Record<string, Extern>;
  /** Start running export `entry`. Traps come back as a result; other errors are thrown. */
  run(entry: string, args?: Value[], opts?: RunOptions): RunResult;
  /** Continue after 'suspended' (with the host call's results) or 'out-of-fuel' (no results). */
  resume(results?: Value[], opts?: RunOptions): RunResult;
  /** True between a 'suspended'/'out-of-fuel' result and the end of the run. */
  readonly paused: boolean;
  /** Innermost frame last. Empty on the native engine. */
  stack(): StackFrame[];
  /** Fuel consumed so far by this instance (0 on the native engine). */
  readonly fuelUsed: number;
  /** At a pause: the bytes of the paused function's memory 0 (a live view; re-read after resuming). */
  memory?(): Uint8Array | undefined;
  /** At a pause: the paused function's globals, with names from the name section where present. */
  globals?(): GlobalSnapshot[];
}

export interface GlobalSnapshot {
  index: number;
  name?: string;
  type: GlobalType;
  value: Value;
}

export interface CompiledModule {
  readonly module: Module | undefined;
  readonly imports: { module: string; name: string; kind: string }[];
  readonly exports: { name: string; kind: string }[];
}

export interface Engine {
  readonly name: 'interp' | 'native';
  /** Decode and validate. Throws DecodeError or ValidationError. */
  compile(bytes: Uint8Array): CompiledModule;
  /** Link and instantiate (runs the start function). Throws LinkError, Trap, or ExhaustionError. */
  instantiate(mod: CompiledModule, imports: Imports, limits?: EngineLimits): Instance;
}
