// Runtime structures (spec 4.2): function, table, memory and global instances.
// Reference values live in JS (FuncInst | extern value | null); numeric globals keep raw bits in an
// Int32Array cell so NaN payloads survive (spec 4.3.3 leaves only arithmetic results nondeterministic).

import type { FuncHandle, GlobalHandle, HostFunc, MemoryHandle, TableHandle, Value } from '../api.ts';
import { F32Bits, F64Bits } from '../api.ts';
import { ExhaustionError, Trap } from '../errors.ts';
import type { FuncType, GlobalType, MemType, TableType, ValType } from '../syntax/types.ts';
import { F32, F64, I32, I64, isRefType } from '../syntax/types.ts';
import type { CompiledFunc } from '../exec/ir.ts';
import type { ModuleInst } from './module-inst.ts';

export const PAGE_SIZE = 65536;
export const SPEC_MAX_PAGES = 65536;

// Function types are interned to small ints so call_indirect compares one number (spec 4.4.8.1 uses
// structural equality, which interning preserves).
const typeIds = new Map<string, number>();
export function typeKey(t: FuncType): string {
  return `${t.params.join(',')}:${t.results.join(',')}`;
}
export function internType(t: FuncType): number {
  const k = typeKey(t);
  let id = typeIds.get(k);
  if (id === undefined) {
    id = typeIds.size + 1;
    typeIds.set(k, id);
  }
  return id;
}

export class FuncInst implements FuncHandle {
  readonly kind = 'func' as const;
  readonly typeId: number;
  /** Compiled lazily on first call. */
  code: CompiledFunc | undefined = undefined;
  constructor(
    readonly type: FuncType,
    /** Owning instance for wasm functions; undefined for host functions. */
    readonly inst: ModuleInst | undefined,
    /** Index in the owning module's function index space. */
    readonly index: number,
    readonly host: HostFunc | undefined,
    readonly hostModule = '',
    readonly hostName = '',
  ) {
    this.typeId = internType(type);
  }
}

const hostWrappers = new WeakMap<HostFunc, FuncInst>();
/** One FuncInst per HostFunc, so a host function keeps its identity as a funcref. */
export function wrapHost(h: HostFunc, module: string, name: string): FuncInst {
  let f = hostWrappers.get(h);
  if (!f) {
    f = new FuncInst(h.type, undefined, -1, h, module, name);
    hostWrappers.set(h, f);
  }
  return f;
}

export class MemoryInst implements MemoryHandle {
  readonly kind = 'memory' as const;
  buffer: ArrayBuffer;
  u8: Uint8Array;
  dv: DataView;
  /** Bumped on every successful grow so the executor knows to refresh its views. */
  generation = 0;
  constructor(
    readonly type: MemType,
    /** Effective max pages: the declared max capped by the engine limit. */
    readonly maxPages: number,
  ) {
    if (type.limits.min > maxPages) {
      throw new ExhaustionError('memory-limit', `memory of ${type.limits.min} pages exceeds the limit of ${maxPages}`);
    }
    this.buffer = allocBuffer(type.limits.min * PAGE_SIZE);
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }
  size(): number {
    return this.buffer.byteLength / PAGE_SIZE;
  }
  /** Spec 4.4.7.12 memory.grow: old size in pages, or -1 (the limit is not an error for the guest). */
  grow(delta: number): number {
    const old = this.size();
    if (delta === 0) return old;
    const want = old + delta;
    if (delta < 0 || want > this.maxPages) return -1;
    let next: ArrayBuffer;
    try {
      next = new ArrayBuffer(want * PAGE_SIZE);
    } catch {
      return -1;
    }
    new Uint8Array(next).set(this.u8);
    this.buffer = next;
    this.u8 = new Uint8Array(next);
    this.dv = new DataView(next);
    this.generation++;
    return old;
  }
}

function allocBuffer(bytes: number): ArrayBuffer {
  try {
    return new ArrayBuffer(bytes);
  } catch {
    throw new ExhaustionError('memory-limit', `cannot allocate ${bytes} bytes of linear memory`);
  }
}

export type Ref = FuncInst | null | object | string | number | bigint | boolean | symbol;

export class TableInst implements TableHandle {
  readonly kind = 'table' as const;
  elems: Ref[];
  constructor(
    readonly type: TableType,
    readonly maxSize: number,
    init: Ref = null,
  ) {
    if (type.limits.min > maxSize) {
      throw new ExhaustionError('table-limit', `table of ${type.limits.min} elements exceeds the limit of ${maxSize}`);
    }
    this.elems = new Array<Ref>(type.limits.min).fill(init);
  }
  size(): number {
    return this.elems.length;
  }
  get(i: number): Value {
    if (i < 0 || i >= this.elems.length) throw new Trap('out-of-bounds-table', 'out of bounds table access');
    return this.elems[i] as Value;
  }
  set(i: number, v: Value): void {
    if (i < 0 || i >= this.elems.length) throw new Trap('out-of-bounds-table', 'out of bounds table access');
    this.elems[i] = toRef(v);
  }
  /** Spec 4.4.6.6 table.grow: old size, or -1. */
  grow(delta: number, init: Value): number {
    const old = this.elems.length;
    const want = old + delta;
    const max = Math.min(this.type.limits.max ?? 0xffffffff, this.maxSize);
    if (delta < 0 || want > max) return -1;
    const r = toRef(init);
    for (let i = old; i < want; i++) this.elems.push(r);
    return old;
  }
}

export function toRef(v: Value): Ref {
  return v === undefined ? null : (v as Ref);
}

export class GlobalInst implements GlobalHandle {
  readonly kind = 'global' as const;
  /** Raw bits for numeric types: [lo, hi]. */
  readonly cell = new Int32Array(2);
  /** The same 8 bytes as one 64-bit element, for single 64-bit moves. */
  readonly cell64 = new Float64Array(this.cell.buffer);
  ref: Ref = null;
  constructor(readonly type: GlobalType) {}
  get(opts?: { exactFloats?: boolean }): Value {
    return readValue(this.type.type, this.cell, 0, this.ref, opts?.exactFloats ?? false);
  }
  set(v: Value): void {
    writeValue(this.type.type, v, this.cell, 0);
    if (isRefType(this.type.type)) this.ref = toRef(v);
  }
}

// Conversions between boundary Values and raw slot bits (int32 pairs).
const scratch = new ArrayBuffer(8);
const sI32 = new Int32Array(scratch);
const sF32 = new Float32Array(scratch);
const sF64 = new Float64Array(scratch);
const sB64 = new BigInt64Array(scratch);
const sU64 = new BigUint64Array(scratch);

/** Write a boundary value's bits into `cell[at]`, `cell[at+1]`. Refs are written by the caller. */
export function writeValue(t: ValType, v: Value, cell: Int32Array, at: number): void {
  switch (t) {
    case I32:
      cell[at] = Number(v) | 0;
      cell[at + 1] = 0;
      return;
    case I64:
      sB64[0] = typeof v === 'bigint' ? BigInt.asIntN(64, v) : BigInt(Math.trunc(Number(v)));
      cell[at] = sI32[0];
      cell[at + 1] = sI32[1];
      return;
    case F32:
      if (v instanceof F32Bits) sI32[0] = v.bits | 0;
      else sF32[0] = Number(v);
      cell[at] = sI32[0];
      cell[at + 1] = 0;
      return;
    case F64:
      if (v instanceof F64Bits) sU64[0] = BigInt.asUintN(64, v.bits);
      else sF64[0] = Number(v);
      cell[at] = sI32[0];
      cell[at + 1] = sI32[1];
      return;
    default:
      cell[at] = 0;
      cell[at + 1] = 0;
  }
}

export function readValue(t: ValType, cell: Int32Array, at: number, ref: Ref, exact: boolean): Value {
  switch (t) {
    case I32:
      return cell[at];
    case I64:
      sI32[0] = cell[at];
      sI32[1] = cell[at + 1];
      return sB64[0];
    case F32:
      sI32[0] = cell[at];
      return exact ? new F32Bits(sI32[0] >>> 0) : sF32[0];
    case F64:
      sI32[0] = cell[at];
      sI32[1] = cell[at + 1];
      return exact ? new F64Bits(sU64[0]) : sF64[0];
    default:
      return ref as Value;
  }
}

