// Our MemoryHandle/TableHandle/GlobalHandle over the platform's WebAssembly.Memory/Table/Global.
// One wrapper per platform object (cached), so handle identity follows object identity.

import type { GlobalHandle, MemoryHandle, TableHandle, Value } from '../api.ts';
import { InternalError, Trap } from '../errors.ts';
import type { FuncType, GlobalType, MemType, TableType } from '../syntax/types.ts';
import { F32, F64, FUNCREF, I32 } from '../syntax/types.ts';
import { F32Bits, F64Bits } from '../api.ts';
import { globalBits } from './bits-bridge.ts';
import { fromJs, fromJsBits, toJs, toJsBits } from './values.ts';

/** Bytes in one wasm page (spec 2.3.8). */
export const PAGE_SIZE = 65536;

export class NativeMemoryHandle implements MemoryHandle {
  readonly kind = 'memory' as const;
  constructor(
    readonly mem: WebAssembly.Memory,
    readonly type: MemType,
  ) {}
  get buffer(): ArrayBuffer {
    return this.mem.buffer;
  }
  size(): number {
    return this.mem.buffer.byteLength / PAGE_SIZE;
  }
  grow(delta: number): number {
    try {
      return this.mem.grow(delta);
    } catch {
      // RangeError: past the declared maximum or the platform's limit (spec 4.5.3.8 lets grow fail).
      return -1;
    }
  }
}

export class NativeTableHandle implements TableHandle {
  readonly kind = 'table' as const;
  constructor(
    readonly table: WebAssembly.Table,
    readonly type: TableType,
    /** Function types of the owning instance, to type funcrefs the registry does not know. */
    private readonly funcs?: (FuncType | undefined)[],
  ) {}
  size(): number {
    return this.table.length;
  }
  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.table.length) {
      throw new Trap('out-of-bounds-table', `table index ${i} out of bounds (size ${this.table.length})`);
    }
  }
  get(i: number): Value {
    this.check(i);
    return fromJs(this.table.get(i), this.type.elem, false, this.funcs);
  }
  set(i: number, v: Value): void {
    this.check(i);
    this.table.set(i, toJs(v, this.type.elem));
  }
  grow(delta: number, init: Value): number {
    try {
      return this.table.grow(delta, toJs(init, this.type.elem));
    } catch (e) {
      if (e instanceof RangeError) return -1;
      throw e;
    }
  }
}

export class NativeGlobalHandle implements GlobalHandle {
  readonly kind = 'global' as const;
  constructor(
    readonly global: WebAssembly.Global,
    readonly type: GlobalType,
    private readonly funcs?: (FuncType | undefined)[],
  ) {}
  private get isFloat(): boolean {
    return this.type.type === F32 || this.type.type === F64;
  }
  get(opts?: { exactFloats?: boolean }): Value {
    // Exact bits go through a bridge: reading `.value` turns the float into a JS number (bits-bridge.ts).
    if (opts?.exactFloats && this.isFloat) return fromJsBits(globalBits(this.global, this.type).get(), this.type.type, true);
    return fromJs(this.global.value, this.type.type, opts?.exactFloats ?? false, this.funcs);
  }
  set(v: Value): void {
    // Host misuse rather than a guest fault; the JS API would throw a TypeError here.
    if (!this.type.mutable) throw new InternalError('immutable-global', 'cannot set an immutable global');
    if (this.isFloat && (v instanceof F32Bits || v instanceof F64Bits)) {
      globalBits(this.global, this.type).set?.(toJsBits(v, this.type.type) as number | bigint);
      return;
    }
    this.global.value = toJs(v, this.type.type);
  }
}

// Defaults for objects whose type the module reader could not recover (never expected for 2.0 modules).
const UNKNOWN_MEM: MemType = { limits: { min: 0 } };
const UNKNOWN_TABLE: TableType = { elem: FUNCREF, limits: { min: 0 } };
const UNKNOWN_GLOBAL: GlobalType = { type: I32, mutable: false };

const memories = new WeakMap<WebAssembly.Memory, NativeMemoryHandle>();
const tables = new WeakMap<WebAssembly.Table, NativeTableHandle>();
const globals = new WeakMap<WebAssembly.Global, NativeGlobalHandle>();

export function memoryHandleFor(m: WebAssembly.Memory, type: MemType | undefined): NativeMemoryHandle {
  let h = memories.get(m);
  if (!h) memories.set(m, (h = new NativeMemoryHandle(m, type ?? UNKNOWN_MEM)));
  return h;
}

export function tableHandleFor(t: WebAssembly.Table, type: TableType | undefined, funcs?: (FuncType | undefined)[]): NativeTableHandle {
  let h = tables.get(t);
  if (!h) tables.set(t, (h = new NativeTableHandle(t, type ?? UNKNOWN_TABLE, funcs)));
  return h;
}

export function globalHandleFor(g: WebAssembly.Global, type: GlobalType | undefined, funcs?: (FuncType | undefined)[]): NativeGlobalHandle {
  let h = globals.get(g);
  if (!h) globals.set(g, (h = new NativeGlobalHandle(g, type ?? UNKNOWN_GLOBAL, funcs)));
  return h;
}
