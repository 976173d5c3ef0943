// Instructions (spec 5.4), expressions (5.4.9) and the code section (5.5.13).
//
// Bodies are decoded iteratively: block structure is tracked on an explicit frame stack, so nesting depth
// costs an array slot, never a JS stack frame. Immediates are read according to the opcode table's `imm`
// column, compiled once below into small integer codes so the hot loop switches on numbers.
//
// Conventions: `op` is the Instr op (0xFC sub-opcodes mapped to OP_FC_BASE + sub), `k` its immediate code,
// `at` the offset of the instruction's first byte, `frames` the open blocks.

import type { BlockType, Expr, Func, Instr, LocalRun } from '../syntax/types.ts';
import { OPS, OP_FC_BASE, OP_FC_COUNT, Op } from './opcodes.ts';
import type { Imm } from './opcodes.ts';
import { isValTypeByte, readResultType, readValType } from './read-types.ts';
import type { Reader } from './reader.ts';

// ---- Immediate codes ----

const K_NONE = 0;
const K_BLOCK = 1;
const K_ELSE = 2;
const K_END = 3;
const K_IDX = 4;       // one u32 into a
const K_IDX2 = 5;      // two u32s into a, b
const K_BR_TABLE = 6;
const K_MEMARG = 7;
const K_MEM0 = 8;      // one reserved zero byte
const K_MEM00 = 9;     // two reserved zero bytes
const K_DATA_MEM0 = 10; // memory.init: dataidx, zero byte
const K_DATA = 11;     // data.drop: dataidx
const K_I32 = 12;
const K_I64 = 13;
const K_F32 = 14;
const K_F64 = 15;
const K_REFTYPE = 16;
const K_SELECT_T = 17;
const K_ILLEGAL = 0xff;

function immCode(imm: Imm): number {
  switch (imm) {
    case 'none': return K_NONE;
    case 'blocktype': return K_BLOCK;
    case 'label': case 'func': case 'local': case 'global': case 'table': case 'elem': return K_IDX;
    case 'call_indirect': case 'elem_table': case 'table_table': return K_IDX2;
    case 'br_table': return K_BR_TABLE;
    case 'memarg': return K_MEMARG;
    case 'mem0': return K_MEM0;
    case 'mem00': return K_MEM00;
    case 'data_mem0': return K_DATA_MEM0;
    case 'data': return K_DATA;
    case 'i32': return K_I32;
    case 'i64': return K_I64;
    case 'f32': return K_F32;
    case 'f64': return K_F64;
    case 'reftype': return K_REFTYPE;
    case 'select_t': return K_SELECT_T;
  }
}

const FC_PREFIX = 0xfc;

/** Immediate code per single opcode byte. The op numbers OP_FC_BASE.. are not bytes on the wire. */
const SINGLE = new Uint8Array(0x100).fill(K_ILLEGAL);
/** Immediate code per 0xFC sub-opcode. */
const PREFIXED = new Uint8Array(OP_FC_COUNT).fill(K_ILLEGAL);
for (let op = 0; op < 0x100; op++) {
  const info = OPS[op];
  if (!info) continue;
  if (op >= OP_FC_BASE && op < OP_FC_BASE + OP_FC_COUNT) PREFIXED[op - OP_FC_BASE] = immCode(info.imm);
  else SINGLE[op] = immCode(info.imm);
}
SINGLE[Op.else] = K_ELSE;
SINGLE[Op.end] = K_END;

// ---- Block types (5.4.1): 0x40, a value type byte, or a non-negative s33 type index ----

const EMPTY_BT: BlockType = Object.freeze({ kind: 'empty' });
const VAL_BT: (BlockType | undefined)[] = [];
for (let b = 0; b < 0x100; b++) if (isValTypeByte(b)) VAL_BT[b] = Object.freeze({ kind: 'val', type: b });

function readBlockType(r: Reader): BlockType {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return EMPTY_BT;
  }
  const val = VAL_BT[b];
  if (val) {
    r.pos++;
    return val;
  }
  // A valtype is a single byte, so a negative multi-byte s33 is not a valtype encoding either.
  const at = r.pos;
  const x = r.s33();
  if (x < 0) r.fail('malformed-block-type', `malformed block type ${x}`, at);
  return { kind: 'func', typeIdx: x };
}

// ---- Instruction sequences ----

const FRAME_BLOCK = 0; // block or loop
const FRAME_IF = 1;    // if, before its else
const FRAME_ELSE = 2;  // if, after its else
/** Alignment exponents from 32 up are malformed, not merely invalid (testsuite align.wast). */
const MAX_ALIGN_EXPONENT = 31;

/**
 * Reads instructions up to the `end` that closes the outermost level.
 * - body: a function body (5.5.13): the final `end` is kept, and running into `r.end` before it is
 *   "END opcode expected" (the body size is declared, so this is structure, not truncation).
 * - otherwise a constant expression (5.4.9): the final `end` is dropped.
 * needDataCount: memory.init / data.drop are malformed here (no data count section, 5.5.16).
 */
export function readInstrs(r: Reader, body: boolean, needDataCount: boolean): Instr[] {
  const bytes = r.bytes;
  const out: Instr[] = [];
  const frames: number[] = [];
  for (;;) {
    const at = r.pos;
    if (body && at >= r.end) r.fail('end-expected', 'END opcode expected', at);
    let op = r.u8();
    let k = SINGLE[op]!;
    if (op === FC_PREFIX) {
      const sub = r.u32();
      if (sub >= OP_FC_COUNT) r.fail('illegal-opcode', `illegal opcode 0xfc ${sub}`, at);
      op = OP_FC_BASE + sub;
      k = PREFIXED[sub]!;
    }
    switch (k) {
      case K_NONE:
        out.push({ op, offset: at, a: 0, b: 0 });
        break;
      case K_BLOCK: {
        const bt = readBlockType(r);
        frames.push(op === Op.if ? FRAME_IF : FRAME_BLOCK);
        out.push({ op, offset: at, a: 0, b: 0, bt });
        break;
      }
      case K_ELSE:
        if (frames.length === 0 || frames[frames.length - 1] !== FRAME_IF) r.fail('end-expected', 'END opcode expected (else without if)', at);
        frames[frames.length - 1] = FRAME_ELSE;
        out.push({ op, offset: at, a: 0, b: 0 });
        break;
      case K_END:
        if (frames.length === 0) {
          if (body) out.push({ op, offset: at, a: 0, b: 0 });
          return out;
        }
        frames.pop();
        out.push({ op, offset: at, a: 0, b: 0 });
        break;
      case K_IDX: {
        // The most frequent immediate (local.get, call, br...): one-byte LEB inline.
        const p = r.pos;
        const b = p < r.end ? bytes[p]! : 0x80;
        let a: number;
        if (b < 0x80) {
          r.pos = p + 1;
          a = b;
        } else a = r.u32();
        out.push({ op, offset: at, a, b: 0 });
        break;
      }
      case K_IDX2: {
        const a = r.u32();
        out.push({ op, offset: at, a, b: r.u32() });
        break;
      }
      case K_BR_TABLE: {
        const n = r.count();
        const targets: number[] = [];
        for (let i = 0; i <= n; i++) targets.push(r.u32());
        out.push({ op, offset: at, a: 0, b: 0, targets });
        break;
      }
      case K_MEMARG: {
        const alignAt = r.pos;
        const align = r.u32();
        if (align > MAX_ALIGN_EXPONENT) r.fail('malformed-memop-flags', `malformed memop flags 0x${align.toString(16)}`, alignAt);
        out.push({ op, offset: at, a: align, b: r.u32() });
        break;
      }
      case K_MEM0:
        zeroByte(r);
        out.push({ op, offset: at, a: 0, b: 0 });
        break;
      case K_MEM00:
        zeroByte(r);
        zeroByte(r);
        out.push({ op, offset: at, a: 0, b: 0 });
        break;
      case K_DATA_MEM0: {
        if (needDataCount) r.fail('data-count-required', 'data count section required (memory.init)', at);
        const a = r.u32();
        zeroByte(r);
        out.push({ op, offset: at, a, b: 0 });
        break;
      }
      case K_DATA:
        if (needDataCount) r.fail('data-count-required', 'data count section required (data.drop)', at);
        out.push({ op, offset: at, a: r.u32(), b: 0 });
        break;
      case K_I32:
        out.push({ op, offset: at, a: r.s32(), b: 0 });
        break;
      case K_I64:
        out.push({ op, offset: at, a: 0, b: 0, x: r.s64() });
        break;
      case K_F32:
        out.push({ op, offset: at, a: r.f32Bits(), b: 0 });
        break;
      case K_F64:
        out.push({ op, offset: at, a: 0, b: 0, x: r.f64Bits() });
        break;
      case K_REFTYPE: {
        const t = r.u8();
        if (t !== 0x70 && t !== 0x6f) r.fail('malformed-ref-type', `malformed reference type 0x${t.toString(16)}`, at + 1);
        out.push({ op, offset: at, a: t, b: 0 });
        break;
      }
      case K_SELECT_T:
        out.push({ op, offset: at, a: 0, b: 0, types: readResultType(r) });
        break;
      default:
        r.fail('illegal-opcode', `illegal opcode 0x${op.toString(16)}`, at);
    }
  }
}

/** Reserved memory index byte (5.4.6): exactly 0x00, not a LEB encoding of zero. */
function zeroByte(r: Reader): void {
  const at = r.pos;
  if (r.u8() !== 0) r.fail('zero-byte-expected', 'zero byte expected', at);
}

/** A constant expression (5.4.9) without its final end. Constness is the validator's question. */
export function readExpr(r: Reader): Expr {
  return readInstrs(r, false, false);
}

// ---- Code section (5.5.13) ----

/** The spec bounds the total number of locals by 2^32 - 1 (5.5.13, "too many locals"). */
const MAX_LOCALS = 0xffffffff;

/**
 * vec(code), paired with the function section's type indices. `hasDataCount` says whether the module
 * has a data count section, which memory.init and data.drop require.
 */
export function readCodeSection(r: Reader, typeIdxs: number[], hasDataCount: boolean): Func[] {
  const countAt = r.pos;
  const n = r.count();
  if (n !== typeIdxs.length) {
    r.fail('function-code-mismatch', `function and code section have inconsistent lengths (${typeIdxs.length} vs ${n})`, countAt);
  }
  const funcs: Func[] = [];
  const sectionEnd = r.end;
  for (let i = 0; i < n; i++) {
    const offset = r.pos;
    const size = r.u32();
    if (size > r.remaining()) r.fail('unexpected-end', `length out of bounds: function body of ${size} bytes`, offset);
    const bodyEnd = r.pos + size;
    r.end = bodyEnd;
    const { locals, numLocals } = readLocals(r);
    const body = readInstrs(r, true, !hasDataCount);
    if (r.pos !== bodyEnd) r.fail('section-size-mismatch', 'section size mismatch: function body continues after its final end', r.pos);
    r.end = sectionEnd;
    funcs.push({ typeIdx: typeIdxs[i]!, locals, numLocals, body, offset });
  }
  return funcs;
}

function readLocals(r: Reader): { locals: LocalRun[]; numLocals: number } {
  const n = r.count();
  const locals: LocalRun[] = [];
  let numLocals = 0;
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const count = r.u32();
    const type = readValType(r);
    numLocals += count;
    if (numLocals > MAX_LOCALS) r.fail('too-many-locals', 'too many locals', at);
    locals.push({ count, type });
  }
  return { locals, numLocals };
}
