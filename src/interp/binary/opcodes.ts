// The one opcode table (wasm3's c_operations[] idea): every instruction's name, immediates, and the
// type rule for the simple ones. The decoder reads immediates from `imm`, the validator applies `sig`
// (or its own rule for control, variable, reference and table/memory-management ops), and the compiler
// lowers by op. Adding an instruction means one row here plus its semantics in exec/numeric.
//
// Op numbering: single-byte opcodes keep their byte; the 0xFC prefix maps to OP_FC_BASE + sub-opcode,
// which lands in the unused single-byte range 0xe0..0xf1. (SIMD's 0xFD prefix will get its own base.)

export const OP_FC_BASE = 0xe0;
export const OP_FC_COUNT = 18;

/** Immediate kinds, decoded into Instr fields as noted. */
export type Imm =
  | 'none'
  | 'blocktype'   // bt
  | 'label'       // a = depth
  | 'br_table'    // targets (default last)
  | 'func'        // a = funcidx
  | 'call_indirect' // a = typeidx, b = tableidx
  | 'local'       // a
  | 'global'      // a
  | 'table'       // a = tableidx
  | 'memarg'      // a = align (log2), b = offset (u32)
  | 'mem0'        // one reserved 0x00 byte (memory.size/grow/fill)
  | 'mem00'       // two reserved 0x00 bytes (memory.copy)
  | 'data_mem0'   // a = dataidx, then a reserved 0x00 (memory.init)
  | 'data'        // a = dataidx
  | 'elem'        // a = elemidx
  | 'elem_table'  // a = elemidx, b = tableidx (table.init)
  | 'table_table' // a = dst tableidx, b = src tableidx (table.copy)
  | 'i32'         // a = value (signed)
  | 'i64'         // x = value (signed bigint)
  | 'f32'         // a = bits (int32)
  | 'f64'         // x = bits (signed bigint)
  | 'reftype'     // a = reftype
  | 'select_t';   // types

export interface OpInfo {
  op: number;
  name: string;
  imm: Imm;
  /**
   * Type rule for simple instructions, as 'params:results' with i=i32 I=i64 f=f32 F=f64,
   * e.g. 'ii:i'. Undefined for instructions the validator types by hand.
   */
  sig?: string;
  /** Natural alignment (log2 of the access size in bytes) for loads and stores. */
  natural?: number;
}

const rows: OpInfo[] = [];
function op(code: number, name: string, imm: Imm = 'none', sig?: string, natural?: number): void {
  rows.push({ op: code, name, imm, sig, natural });
}

// Control (spec 5.4.1)
op(0x00, 'unreachable');
op(0x01, 'nop');
op(0x02, 'block', 'blocktype');
op(0x03, 'loop', 'blocktype');
op(0x04, 'if', 'blocktype');
op(0x05, 'else');
op(0x0b, 'end');
op(0x0c, 'br', 'label');
op(0x0d, 'br_if', 'label');
op(0x0e, 'br_table', 'br_table');
op(0x0f, 'return');
op(0x10, 'call', 'func');
op(0x11, 'call_indirect', 'call_indirect');

// Reference (5.4.2)
op(0xd0, 'ref.null', 'reftype');
op(0xd1, 'ref.is_null');
op(0xd2, 'ref.func', 'func');

// Parametric (5.4.3)
op(0x1a, 'drop');
op(0x1b, 'select');
op(0x1c, 'select', 'select_t');

// Variable (5.4.4)
op(0x20, 'local.get', 'local');
op(0x21, 'local.set', 'local');
op(0x22, 'local.tee', 'local');
op(0x23, 'global.get', 'global');
op(0x24, 'global.set', 'global');

// Table (5.4.5)
op(0x25, 'table.get', 'table');
op(0x26, 'table.set', 'table');

// Memory (5.4.6)
op(0x28, 'i32.load', 'memarg', 'i:i', 2);
op(0x29, 'i64.load', 'memarg', 'i:I', 3);
op(0x2a, 'f32.load', 'memarg', 'i:f', 2);
op(0x2b, 'f64.load', 'memarg', 'i:F', 3);
op(0x2c, 'i32.load8_s', 'memarg', 'i:i', 0);
op(0x2d, 'i32.load8_u', 'memarg', 'i:i', 0);
op(0x2e, 'i32.load16_s', 'memarg', 'i:i', 1);
op(0x2f, 'i32.load16_u', 'memarg', 'i:i', 1);
op(0x30, 'i64.load8_s', 'memarg', 'i:I', 0);
op(0x31, 'i64.load8_u', 'memarg', 'i:I', 0);
op(0x32, 'i64.load16_s', 'memarg', 'i:I', 1);
op(0x33, 'i64.load16_u', 'memarg', 'i:I', 1);
op(0x34, 'i64.load32_s', 'memarg', 'i:I', 2);
op(0x35, 'i64.load32_u', 'memarg', 'i:I', 2);
op(0x36, 'i32.store', 'memarg', 'ii:', 2);
op(0x37, 'i64.store', 'memarg', 'iI:', 3);
op(0x38, 'f32.store', 'memarg', 'if:', 2);
op(0x39, 'f64.store', 'memarg', 'iF:', 3);
op(0x3a, 'i32.store8', 'memarg', 'ii:', 0);
op(0x3b, 'i32.store16', 'memarg', 'ii:', 1);
op(0x3c, 'i64.store8', 'memarg', 'iI:', 0);
op(0x3d, 'i64.store16', 'memarg', 'iI:', 1);
op(0x3e, 'i64.store32', 'memarg', 'iI:', 2);
op(0x3f, 'memory.size', 'mem0', ':i');
op(0x40, 'memory.grow', 'mem0', 'i:i');

// Numeric constants
op(0x41, 'i32.const', 'i32', ':i');
op(0x42, 'i64.const', 'i64', ':I');
op(0x43, 'f32.const', 'f32', ':f');
op(0x44, 'f64.const', 'f64', ':F');

// Numeric comparisons
op(0x45, 'i32.eqz', 'none', 'i:i');
for (const [i, n] of ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'].entries()) op(0x46 + i, `i32.${n}`, 'none', 'ii:i');
op(0x50, 'i64.eqz', 'none', 'I:i');
for (const [i, n] of ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'].entries()) op(0x51 + i, `i64.${n}`, 'none', 'II:i');
for (const [i, n] of ['eq', 'ne', 'lt', 'gt', 'le', 'ge'].entries()) op(0x5b + i, `f32.${n}`, 'none', 'ff:i');
for (const [i, n] of ['eq', 'ne', 'lt', 'gt', 'le', 'ge'].entries()) op(0x61 + i, `f64.${n}`, 'none', 'FF:i');

// Integer arithmetic
const IBIN = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
for (const [i, n] of ['clz', 'ctz', 'popcnt'].entries()) op(0x67 + i, `i32.${n}`, 'none', 'i:i');
for (const [i, n] of IBIN.entries()) op(0x6a + i, `i32.${n}`, 'none', 'ii:i');
for (const [i, n] of ['clz', 'ctz', 'popcnt'].entries()) op(0x79 + i, `i64.${n}`, 'none', 'I:I');
for (const [i, n] of IBIN.entries()) op(0x7c + i, `i64.${n}`, 'none', 'II:I');

// Float arithmetic
const FUN = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'];
const FBIN = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];
for (const [i, n] of FUN.entries()) op(0x8b + i, `f32.${n}`, 'none', 'f:f');
for (const [i, n] of FBIN.entries()) op(0x92 + i, `f32.${n}`, 'none', 'ff:f');
for (const [i, n] of FUN.entries()) op(0x99 + i, `f64.${n}`, 'none', 'F:F');
for (const [i, n] of FBIN.entries()) op(0xa0 + i, `f64.${n}`, 'none', 'FF:F');

// Conversions
op(0xa7, 'i32.wrap_i64', 'none', 'I:i');
op(0xa8, 'i32.trunc_f32_s', 'none', 'f:i');
op(0xa9, 'i32.trunc_f32_u', 'none', 'f:i');
op(0xaa, 'i32.trunc_f64_s', 'none', 'F:i');
op(0xab, 'i32.trunc_f64_u', 'none', 'F:i');
op(0xac, 'i64.extend_i32_s', 'none', 'i:I');
op(0xad, 'i64.extend_i32_u', 'none', 'i:I');
op(0xae, 'i64.trunc_f32_s', 'none', 'f:I');
op(0xaf, 'i64.trunc_f32_u', 'none', 'f:I');
op(0xb0, 'i64.trunc_f64_s', 'none', 'F:I');
op(0xb1, 'i64.trunc_f64_u', 'none', 'F:I');
op(0xb2, 'f32.convert_i32_s', 'none', 'i:f');
op(0xb3, 'f32.convert_i32_u', 'none', 'i:f');
op(0xb4, 'f32.convert_i64_s', 'none', 'I:f');
op(0xb5, 'f32.convert_i64_u', 'none', 'I:f');
op(0xb6, 'f32.demote_f64', 'none', 'F:f');
op(0xb7, 'f64.convert_i32_s', 'none', 'i:F');
op(0xb8, 'f64.convert_i32_u', 'none', 'i:F');
op(0xb9, 'f64.convert_i64_s', 'none', 'I:F');
op(0xba, 'f64.convert_i64_u', 'none', 'I:F');
op(0xbb, 'f64.promote_f32', 'none', 'f:F');
op(0xbc, 'i32.reinterpret_f32', 'none', 'f:i');
op(0xbd, 'i64.reinterpret_f64', 'none', 'F:I');
op(0xbe, 'f32.reinterpret_i32', 'none', 'i:f');
op(0xbf, 'f64.reinterpret_i64', 'none', 'I:F');

// Sign extension
op(0xc0, 'i32.extend8_s', 'none', 'i:i');
op(0xc1, 'i32.extend16_s', 'none', 'i:i');
op(0xc2, 'i64.extend8_s', 'none', 'I:I');
op(0xc3, 'i64.extend16_s', 'none', 'I:I');
op(0xc4, 'i64.extend32_s', 'none', 'I:I');

// 0xFC prefix: saturating truncation, bulk memory, table management
const FC = OP_FC_BASE;
op(FC + 0, 'i32.trunc_sat_f32_s', 'none', 'f:i');
op(FC + 1, 'i32.trunc_sat_f32_u', 'none', 'f:i');
op(FC + 2, 'i32.trunc_sat_f64_s', 'none', 'F:i');
op(FC + 3, 'i32.trunc_sat_f64_u', 'none', 'F:i');
op(FC + 4, 'i64.trunc_sat_f32_s', 'none', 'f:I');
op(FC + 5, 'i64.trunc_sat_f32_u', 'none', 'f:I');
op(FC + 6, 'i64.trunc_sat_f64_s', 'none', 'F:I');
op(FC + 7, 'i64.trunc_sat_f64_u', 'none', 'F:I');
op(FC + 8, 'memory.init', 'data_mem0', 'iii:');
op(FC + 9, 'data.drop', 'data', ':');
op(FC + 10, 'memory.copy', 'mem00', 'iii:');
op(FC + 11, 'memory.fill', 'mem0', 'iii:');
op(FC + 12, 'table.init', 'elem_table', 'iii:');
op(FC + 13, 'elem.drop', 'elem', ':');
op(FC + 14, 'table.copy', 'table_table', 'iii:');
op(FC + 15, 'table.grow', 'table');
op(FC + 16, 'table.size', 'table', ':i');
op(FC + 17, 'table.fill', 'table');

/** Indexed by op; undefined for bytes that are not opcodes. select (0x1b) and typed select (0x1c) are distinct rows. */
export const OPS: readonly (OpInfo | undefined)[] = (() => {
  const t: (OpInfo | undefined)[] = new Array(0x100).fill(undefined);
  for (const r of rows) {
    if (t[r.op]) throw new Error(`duplicate opcode row 0x${r.op.toString(16)}`);
    t[r.op] = r;
  }
  return t;
})();

export function opInfo(op: number): OpInfo | undefined {
  return OPS[op];
}

export function opName(op: number): string {
  return OPS[op]?.name ?? `op(0x${op.toString(16)})`;
}

// Named ops the validator and compiler switch on (literals keep V8's switch jump tables).
export const Op = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, call: 0x10, call_indirect: 0x11,
  drop: 0x1a, select: 0x1b, select_t: 0x1c,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  table_get: 0x25, table_set: 0x26, memory_size: 0x3f, memory_grow: 0x40,
  i32_const: 0x41, i64_const: 0x42, f32_const: 0x43, f64_const: 0x44,
  ref_null: 0xd0, ref_is_null: 0xd1, ref_func: 0xd2,
  memory_init: OP_FC_BASE + 8, data_drop: OP_FC_BASE + 9, memory_copy: OP_FC_BASE + 10, memory_fill: OP_FC_BASE + 11,
  table_init: OP_FC_BASE + 12, elem_drop: OP_FC_BASE + 13, table_copy: OP_FC_BASE + 14,
  table_grow: OP_FC_BASE + 15, table_size: OP_FC_BASE + 16, table_fill: OP_FC_BASE + 17,
} as const;

const SIG_CODES: Record<string, number> = { i: 0x7f, I: 0x7e, f: 0x7d, F: 0x7c };

/** Parse a table `sig` into value types. */
export function parseSig(sig: string): { params: number[]; results: number[] } {
  const [p = '', r = ''] = sig.split(':');
  return { params: [...p].map((c) => SIG_CODES[c]!), results: [...r].map((c) => SIG_CODES[c]!) };
}
