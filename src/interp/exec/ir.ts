// The internal register IR the executor runs (wasmi-style: stack heights are static after validation,
// so every operand is a fixed frame slot and local.get/const mostly disappear).
//
// Conventions:
// - A frame is [params][locals][constants][operand stack]; each slot is 64 bits. Constant operands
//   read from the constant area, which is filled from CompiledFunc.constInit on entry. IR operands are frame-relative
//   offsets in int32 units (slot * 2), so i32 lives at I32[fp + o], f64 at F64[(fp + o) >> 1], a ref at
//   refs[(fp + o) >> 1], and an i64 as two int32 halves I32[fp + o] (lo), I32[fp + o + 1] (hi).
// - Numeric wasm ops keep their opcode as IR opcode: unary [op, d, a], binary [op, d, a, b].
//   Loads are [op, d, a, b, offset], stores [op, a, b, value, offset]: the address is the wrapped i32 sum
//   a + b (b is often the constant-area zero), then the u32 offset (stored as int32) is added unwrapped.
// - Everything else uses the IR-only opcodes below, which start at 0x100 to stay clear of wasm ones.
// - Branch targets are absolute indices into the function's code array.

export const IR = {
  UNREACHABLE: 0x00, //          []
  BR: 0x100, //                  [target]
  BR_IF: 0x101, //               [cond, target]
  BR_UNLESS: 0x102, //           [cond, target]
  BR_TABLE: 0x103, //            [idx, n, t0 .. t(n-1), tdefault]
  RETURN: 0x104, //              []  (results already in slots 0..)
  CALL: 0x105, //                [funcIdx, argBase]
  CALL_INDIRECT: 0x106, //       [typeId, table, elem, argBase]
  COPY32: 0x107, //              [d, s]
  COPY64: 0x108, //              [d, s]
  COPYREF: 0x109, //             [d, s]
  CONST32: 0x10a, //             [d, v]
  CONST64: 0x10b, //             [d, lo, hi]
  SELECT32: 0x10c, //            [d, a, b, cond]
  SELECT64: 0x10d, //            [d, a, b, cond]
  SELECTREF: 0x10e, //           [d, a, b, cond]
  GLOBAL_GET32: 0x110, //        [d, g]
  GLOBAL_GET64: 0x111, //        [d, g]
  GLOBAL_GETREF: 0x112, //       [d, g]
  GLOBAL_SET32: 0x113, //        [g, s]
  GLOBAL_SET64: 0x114, //        [g, s]
  GLOBAL_SETREF: 0x115, //       [g, s]
  REF_NULL: 0x116, //            [d]
  REF_IS_NULL: 0x117, //         [d, s]
  REF_FUNC: 0x118, //            [d, funcIdx]
  TABLE_GET: 0x119, //           [d, t, i]
  TABLE_SET: 0x11a, //           [t, i, v]
  TABLE_SIZE: 0x11b, //          [d, t]
  TABLE_GROW: 0x11c, //          [d, t, init, n]
  TABLE_FILL: 0x11d, //          [t, i, v, n]
  TABLE_COPY: 0x11e, //          [dt, st, d, s, n]
  TABLE_INIT: 0x11f, //          [t, e, d, s, n]
  ELEM_DROP: 0x120, //           [e]
  MEMORY_SIZE: 0x121, //         [d]
  MEMORY_GROW: 0x122, //         [d, n]
  MEMORY_FILL: 0x123, //         [d, v, n]
  MEMORY_COPY: 0x124, //         [d, s, n]
  MEMORY_INIT: 0x125, //         [seg, d, s, n]
  DATA_DROP: 0x126, //           [seg]
  // Fused forms (peephole): an i32 op with an immediate right operand, and compare-and-branch.
  I32_ADD_IMM: 0x130, //         [d, a, imm]
  I32_AND_IMM: 0x131, //         [d, a, imm]
  I32_SHL_IMM: 0x132, //         [d, a, imm]
  I32_SHR_U_IMM: 0x133, //       [d, a, imm]
  I32_SHR_S_IMM: 0x134, //       [d, a, imm]
  I32_OR_IMM: 0x135, //          [d, a, imm]
  I32_XOR_IMM: 0x136, //         [d, a, imm]
  BR_IF_I32_EQ: 0x139, //        [a, b, target]
  BR_IF_I32_NE: 0x13a, //        [a, b, target]
  BR_IF_I32_LT_S: 0x13b, //      [a, b, target]
  BR_IF_I32_LT_U: 0x13c, //      [a, b, target]
  BR_IF_I32_GE_S: 0x13d, //      [a, b, target]
  BR_IF_I32_GE_U: 0x13e, //      [a, b, target]
  BR_IF_I32_GT_S: 0x13f, //      [a, b, target]
  BR_IF_I32_GT_U: 0x140, //      [a, b, target]
  BR_IF_I32_LE_S: 0x141, //      [a, b, target]
  BR_IF_I32_LE_U: 0x142, //      [a, b, target]
  // f64 arithmetic with one operand loaded from memory M = f64 at ((a + b) mod 2^32) + offset.
  F64_ADD_LOAD: 0x150, //        [d, x, a, b, offset]   d = x + M
  F64_SUB_LOAD: 0x151, //        [d, x, a, b, offset]   d = x - M
  F64_RSUB_LOAD: 0x152, //       [d, x, a, b, offset]   d = M - x
  F64_MUL_LOAD: 0x153, //        [d, x, a, b, offset]   d = x * M
  F64_ADD_TO_MEM: 0x154, //      [x, a, b, offset]      M = x + M
} as const;

export interface CompiledFunc {
  code: Int32Array;
  /** Slots the frame needs: params + locals + max operand stack height. */
  frameSlots: number;
  numParams: number;
  numResults: number;
  /** Declared-local slot range to zero on entry: [numParams, numLocalSlots). */
  numLocalSlots: number;
  /** Initial contents of the constant area (int32 pairs), copied to slot numLocalSlots on entry. */
  constInit: Int32Array;
  /** Which local slots hold references (zeroed to null on entry), as slot indices. */
  refLocals: Int32Array;
  /** Pairs (irPc, wasmOffset), sorted by irPc, for traps and stack traces. */
  offsets: Int32Array;
}

/** The wasm byte offset of the instruction at or before `pc`. */
export function offsetAt(f: CompiledFunc, pc: number): number {
  const o = f.offsets;
  let lo = 0, hi = (o.length >> 1) - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (o[mid * 2] <= pc) {
      best = o[mid * 2 + 1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
