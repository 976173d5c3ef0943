// Abstract syntax of a decoded module (spec chapter 2, "Structure").
// Conventions: value types keep their binary encoding, so a ValType is a number such as 0x7f.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

export type ValType = number;
export type RefType = typeof FUNCREF | typeof EXTERNREF;

export function isNumType(t: ValType): boolean {
  return t === I32 || t === I64 || t === F32 || t === F64;
}
export function isRefType(t: ValType): t is RefType {
  return t === FUNCREF || t === EXTERNREF;
}
export function valTypeName(t: ValType): string {
  switch (t) {
    case I32: return 'i32';
    case I64: return 'i64';
    case F32: return 'f32';
    case F64: return 'f64';
    case V128: return 'v128';
    case FUNCREF: return 'funcref';
    case EXTERNREF: return 'externref';
    default: return `type(0x${t.toString(16)})`;
  }
}

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Limits {
  min: number;
  max?: number;
}
export interface TableType {
  elem: RefType;
  limits: Limits;
}
export interface MemType {
  limits: Limits;
}
export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export type ImportDesc =
  | { kind: 'func'; typeIdx: number }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: MemType }
  | { kind: 'global'; type: GlobalType };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
}

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
}

/** Block type: no result, one value type, or a type index (multi-value). */
export type BlockType = { kind: 'empty' } | { kind: 'val'; type: ValType } | { kind: 'func'; typeIdx: number };

/**
 * One decoded instruction. `op` is the opcode byte; for the 0xFC prefix it is
 * OP_FC_BASE + sub-opcode (see binary/opcodes.ts), so every op fits one table.
 * Immediates (meaning per opcode, see the table's `imm` column):
 * - a: index (local/global/func/table/type/data/elem/label depth), memarg align (log2), i32.const value,
 *      f32.const bits (as int32), ref.null type
 * - b: memarg offset (u32), call_indirect table, table.copy source, table.init table
 * - x: i64.const value (signed) or f64.const bits (as signed 64-bit)
 */
export interface Instr {
  op: number;
  /** Byte offset of the opcode (or prefix byte) in the module binary. */
  offset: number;
  a: number;
  b: number;
  x?: bigint;
  bt?: BlockType;
  /** br_table label depths; the last entry is the default. */
  targets?: number[];
  /** select's explicit result types (0x1c). */
  types?: ValType[];
}

/** A constant expression (global init, segment offsets, element items), without the final `end`. */
export type Expr = Instr[];

export interface LocalRun {
  count: number;
  type: ValType;
}

export interface Func {
  typeIdx: number;
  /** Declared locals as run-length entries (not expanded: counts can be huge). */
  locals: LocalRun[];
  /** Sum of the run counts. */
  numLocals: number;
  /** Body instructions, including the final `end` (op 0x0b). */
  body: Instr[];
  /** Byte offset of the body (its size field) in the module. */
  offset: number;
}

export interface Global {
  type: GlobalType;
  init: Expr;
}

export type ElemMode =
  | { kind: 'passive' }
  | { kind: 'declarative' }
  | { kind: 'active'; table: number; offset: Expr };

export interface Elem {
  type: RefType;
  /** Each item is a constant expression (funcref index lists are decoded to ref.func exprs). */
  init: Expr[];
  mode: ElemMode;
  offset: number;
}

export type DataMode = { kind: 'passive' } | { kind: 'active'; memory: number; offset: Expr };

export interface Data {
  init: Uint8Array;
  mode: DataMode;
  offset: number;
}

export interface Names {
  module?: string;
  funcs: Map<number, string>;
  locals: Map<number, Map<number, string>>;
  /** Global names (extended name section, subsection 7), when present. */
  globals?: Map<number, string>;
}

export interface CustomSection {
  name: string;
  /** Offset of the section contents (after the name). */
  offset: number;
  bytes: Uint8Array;
}

export interface Module {
  types: FuncType[];
  imports: Import[];
  /** Functions defined in this module (imported functions come first in the index space). */
  funcs: Func[];
  tables: TableType[];
  mems: MemType[];
  globals: Global[];
  exports: Export[];
  start?: number;
  elems: Elem[];
  datas: Data[];
  /** Present when the module has a data count section. */
  dataCount?: number;
  names: Names;
  customs: CustomSection[];
}

/** Counts of imported entities of each kind, which prefix each index space. */
export function importCounts(m: Module): { funcs: number; tables: number; mems: number; globals: number } {
  let funcs = 0, tables = 0, mems = 0, globals = 0;
  for (const im of m.imports) {
    if (im.desc.kind === 'func') funcs++;
    else if (im.desc.kind === 'table') tables++;
    else if (im.desc.kind === 'memory') mems++;
    else globals++;
  }
  return { funcs, tables, mems, globals };
}

/** The type of function `idx` in the module's function index space (imports first). */
export function funcTypeOf(m: Module, idx: number): FuncType | undefined {
  let n = 0;
  for (const im of m.imports) {
    if (im.desc.kind !== 'func') continue;
    if (n === idx) return m.types[im.desc.typeIdx];
    n++;
  }
  const f = m.funcs[idx - n];
  return f ? m.types[f.typeIdx] : undefined;
}

const EMPTY_SIG: FuncType = { params: [], results: [] };

/** The signature of a block type, or undefined for an out-of-range type index (the validator reports it). */
export function blockTypeSig(m: Module, bt: BlockType): FuncType | undefined {
  switch (bt.kind) {
    case 'empty': return EMPTY_SIG;
    case 'val': return { params: [], results: [bt.type] };
    case 'func': return m.types[bt.typeIdx];
  }
}
