// Lowering of a validated function body to the register IR (see ir.ts). The validator has already
// type-checked the body, so this pass trusts it ("each check lives in exactly one place") and only
// tracks where each operand-stack value lives: in its canonical slot, in a local, or as a constant.
// Values stay virtual (local/const) until an instruction consumes them, which removes most local.get
// and const instructions; an op whose result is immediately stored by local.set writes the local directly.

import { OPS, Op, parseSig } from '../binary/opcodes.ts';
import { ExhaustionError, InternalError } from '../errors.ts';
import type { Instr, Module, ValType } from '../syntax/types.ts';
import { F64, I64, blockTypeSig, funcTypeOf, isRefType } from '../syntax/types.ts';
import { internType } from '../runtime/store.ts';
import type { CompiledFunc } from './ir.ts';
import { IR } from './ir.ts';

const K_SLOT = 0;
const K_LOCAL = 1;
const K_CONST = 2;

const C_BLOCK = 0;
const C_LOOP = 1;
const C_IF = 2;
const C_FUNC = 3;

interface Ctl {
  kind: number;
  /** Operand-stack height at block start, below its params. */
  height: number;
  params: ValType[];
  results: ValType[];
  loopPc: number;
  /** Code positions holding forward branch targets to patch at `end`. */
  patches: number[];
  /** Position of the if's BR_UNLESS target, or -1. */
  elsePatch: number;
  unreachable: boolean;
}

// Simple numeric ops' arity, from the opcode table (loads/stores/consts are handled separately).
const SIMPLE_ARITY = new Int8Array(0x100);
for (const info of OPS) {
  if (!info || !info.sig || info.imm !== 'none') continue;
  const s = parseSig(info.sig);
  if (s.results.length === 1 && (s.params.length === 1 || s.params.length === 2)) SIMPLE_ARITY[info.op] = s.params.length;
}

const IMM_FUSIBLE: Record<number, number> = {
  0x6a: IR.I32_ADD_IMM, 0x71: IR.I32_AND_IMM, 0x72: IR.I32_OR_IMM, 0x73: IR.I32_XOR_IMM,
  0x74: IR.I32_SHL_IMM, 0x75: IR.I32_SHR_S_IMM, 0x76: IR.I32_SHR_U_IMM,
};

// i32 comparison op → fused branch taken when the comparison holds, and when it fails.
const CMP_BRANCH: Record<number, [number, number]> = {
  0x46: [IR.BR_IF_I32_EQ, IR.BR_IF_I32_NE],
  0x47: [IR.BR_IF_I32_NE, IR.BR_IF_I32_EQ],
  0x48: [IR.BR_IF_I32_LT_S, IR.BR_IF_I32_GE_S],
  0x49: [IR.BR_IF_I32_LT_U, IR.BR_IF_I32_GE_U],
  0x4a: [IR.BR_IF_I32_GT_S, IR.BR_IF_I32_LE_S],
  0x4b: [IR.BR_IF_I32_GT_U, IR.BR_IF_I32_LE_U],
  0x4c: [IR.BR_IF_I32_LE_S, IR.BR_IF_I32_GT_S],
  0x4d: [IR.BR_IF_I32_LE_U, IR.BR_IF_I32_GT_U],
  0x4e: [IR.BR_IF_I32_GE_S, IR.BR_IF_I32_LT_S],
  0x4f: [IR.BR_IF_I32_GE_U, IR.BR_IF_I32_LT_U],
};

export interface CompileLimits {
  maxLocals: number;
}

function width(t: ValType): 'w32' | 'w64' | 'ref' {
  if (isRefType(t)) return 'ref';
  return t === I64 || t === F64 ? 'w64' : 'w32';
}
function copyOp(t: ValType): number {
  const w = width(t);
  return w === 'ref' ? IR.COPYREF : w === 'w64' ? IR.COPY64 : IR.COPY32;
}

/** Compile defined function `defIdx` (index among the module's own functions). */
export function compileFunction(m: Module, defIdx: number, limits: CompileLimits): CompiledFunc {
  return new FuncCompiler(m, defIdx, limits).run();
}

class FuncCompiler {
  private code: number[] = [];
  private offsets: number[] = [];
  private curOffset = 0;
  // Virtual operand stack, struct-of-arrays: kind, value (local index or low bits), high bits, type.
  private vk: number[] = [];
  private vv: number[] = [];
  private vh: number[] = [];
  private vt: number[] = [];
  private h = 0;
  private maxH = 0;
  private ctl: Ctl[] = [];
  private localTypes: ValType[] = [];
  private L = 0;
  /** Base slot of the operand stack: locals, then the constant area. */
  private S = 0;
  /** Constant area: one slot per distinct 64-bit pattern, filled on entry from constInit. */
  private constSlot = new Map<string, number>();
  private constInit: number[] = [];
  // Peephole state: the last emitted instruction and, if it produced the current top, its dst operand.
  private lastOpPc = -1;
  private lastDstPos = -1;
  private lastDstHeight = -1;

  constructor(
    private readonly m: Module,
    private readonly defIdx: number,
    private readonly limits: CompileLimits,
  ) {}

  run(): CompiledFunc {
    const m = this.m;
    const f = m.funcs[this.defIdx];
    if (!f) throw new InternalError('bad-function', `no function ${this.defIdx}`);
    const ty = m.types[f.typeIdx];
    if (f.numLocals > this.limits.maxLocals) {
      throw new ExhaustionError('locals-limit', `function declares ${f.numLocals} locals (limit ${this.limits.maxLocals})`, f.offset);
    }
    this.localTypes = [...ty.params];
    for (const run of f.locals) for (let i = 0; i < run.count; i++) this.localTypes.push(run.type);
    this.L = this.localTypes.length;
    this.collectConsts(f.body);
    this.S = this.L + this.constInit.length / 2;
    const refLocals: number[] = [];
    for (let i = ty.params.length; i < this.L; i++) if (isRefType(this.localTypes[i])) refLocals.push(i);
    this.ctl.push({ kind: C_FUNC, height: 0, params: [], results: ty.results, loopPc: 0, patches: [], elsePatch: -1, unreachable: false });

    const body = f.body;
    let skip = 0; // nesting depth inside dead code
    for (let i = 0; i < body.length; i++) {
      const ins = body[i];
      this.curOffset = ins.offset;
      const top = this.ctl[this.ctl.length - 1];
      if (top.unreachable) {
        const op = ins.op;
        if (op === Op.block || op === Op.loop || op === Op.if) { skip++; continue; }
        if (op === Op.end) {
          if (skip > 0) { skip--; continue; }
        } else if (op === Op.else) {
          if (skip > 0) continue;
        } else continue;
      }
      this.instr(ins);
      if (this.ctl.length === 0) break;
    }
    return {
      code: Int32Array.from(this.code),
      frameSlots: this.S + this.maxH,
      numParams: ty.params.length,
      numResults: ty.results.length,
      numLocalSlots: this.L,
      refLocals: Int32Array.from(refLocals),
      constInit: Int32Array.from(this.constInit),
      offsets: Int32Array.from(this.offsets),
    };
  }

  // ---- emission helpers ----

  private mark(): number {
    const pc = this.code.length;
    const o = this.offsets;
    if (o.length === 0 || o[o.length - 2] !== pc) o.push(pc, this.curOffset);
    else o[o.length - 1] = this.curOffset;
    this.lastOpPc = pc;
    this.lastDstPos = -1;
    return pc;
  }
  private e1(op: number): void { this.mark(); this.code.push(op); }
  private e2(op: number, a: number): void { this.mark(); this.code.push(op, a); }
  private e3(op: number, a: number, b: number): void { this.mark(); this.code.push(op, a, b); }
  private e4(op: number, a: number, b: number, c: number): void { this.mark(); this.code.push(op, a, b, c); }
  private e5(op: number, a: number, b: number, c: number, d: number): void { this.mark(); this.code.push(op, a, b, c, d); }
  private e6(op: number, a: number, b: number, c: number, d: number, e: number): void {
    this.mark();
    this.code.push(op, a, b, c, d, e);
  }
  /** Forget the peephole state: a label is bound here, so other paths reach this point. */
  private label(): void {
    this.lastOpPc = -1;
    this.lastDstPos = -1;
  }
  /** Remove the last instruction (for fusion); it must be the last thing emitted. */
  private unemitLast(): void {
    const pc = this.lastOpPc;
    this.code.length = pc;
    const o = this.offsets;
    while (o.length && o[o.length - 2] >= pc) o.length -= 2;
    this.lastOpPc = -1;
    this.lastDstPos = -1;
  }

  private slotOf(height: number): number {
    return (this.S + height) * 2;
  }

  /** Give every distinct constant in the body a slot in the constant area (spec consts are 32 or 64 bits). */
  private collectConsts(body: Instr[]): void {
    let memOps = false;
    for (const ins of body) {
      let lo: number, hi: number;
      if (ins.op >= 0x28 && ins.op <= 0x3e) {
        memOps = true;
        continue;
      }
      if (ins.op === Op.i32_const || ins.op === Op.f32_const) {
        lo = ins.a | 0;
        hi = 0;
      } else if (ins.op === Op.i64_const || ins.op === Op.f64_const) {
        const x = BigInt.asUintN(64, ins.x!);
        lo = Number(x & 0xffffffffn) | 0;
        hi = Number(x >> 32n) | 0;
      } else continue;
      const key = `${lo},${hi}`;
      if (this.constSlot.has(key)) continue;
      this.constSlot.set(key, this.L + this.constInit.length / 2);
      this.constInit.push(lo, hi);
    }
    // Unfused memory accesses add a zero register to their address.
    if (memOps && !this.constSlot.has('0,0')) {
      this.constSlot.set('0,0', this.L + this.constInit.length / 2);
      this.constInit.push(0, 0);
    }
  }

  private push(kind: number, t: ValType, v = 0, hi = 0): void {
    const i = this.h++;
    this.vk[i] = kind;
    this.vt[i] = t;
    this.vv[i] = v;
    this.vh[i] = hi;
    if (this.h > this.maxH) this.maxH = this.h;
  }
  /** Push a slot result and remember that the last instruction's operand at `dstPos` produced it. */
  private pushResult(t: ValType, dstPos: number): void {
    this.push(K_SLOT, t);
    this.lastDstPos = dstPos;
    this.lastDstHeight = this.h - 1;
  }

  private materialize(i: number): void {
    const k = this.vk[i];
    if (k === K_SLOT) return;
    const d = this.slotOf(i);
    const t = this.vt[i];
    if (k === K_LOCAL) this.e3(copyOp(t), d, this.vv[i] * 2);
    else if (width(t) === 'w64') this.e4(IR.CONST64, d, this.vv[i], this.vh[i]);
    else this.e3(IR.CONST32, d, this.vv[i]);
    this.vk[i] = K_SLOT;
  }
  private materializeAll(): void {
    for (let i = 0; i < this.h; i++) this.materialize(i);
  }
  /** Operand location of stack entry i (materializing a constant into its slot). */
  private operand(i: number): number {
    const k = this.vk[i];
    if (k === K_LOCAL) return this.vv[i] * 2;
    if (k === K_CONST) return this.constSlot.get(`${this.vv[i]},${this.vh[i]}`)! * 2;
    return this.slotOf(i);
  }
  private popOperand(): number {
    const o = this.operand(this.h - 1);
    this.h--;
    return o;
  }

  /** Emit a move of stack entry i into frame offset `dst` (no-op if already there). */
  private moveTo(i: number, dst: number): void {
    const k = this.vk[i];
    const t = this.vt[i];
    if (k === K_SLOT) {
      if (this.slotOf(i) !== dst) this.e3(copyOp(t), dst, this.slotOf(i));
    } else if (k === K_LOCAL) {
      if (this.vv[i] * 2 !== dst) this.e3(copyOp(t), dst, this.vv[i] * 2);
    } else if (width(t) === 'w64') this.e4(IR.CONST64, dst, this.vv[i], this.vh[i]);
    else this.e3(IR.CONST32, dst, this.vv[i]);
  }
  private needsMove(i: number, dst: number): boolean {
    const k = this.vk[i];
    return k === K_CONST || (k === K_SLOT ? this.slotOf(i) : this.vv[i] * 2) !== dst;
  }

  private labelArity(c: Ctl): ValType[] {
    return c.kind === C_LOOP ? c.params : c.results;
  }

  /** Copy the top n values to the label's slots; true if any copy was needed. */
  private branchCopies(c: Ctl, n: number, emit: boolean): boolean {
    let any = false;
    const base = this.h - n;
    for (let j = 0; j < n; j++) {
      const dst = this.slotOf(c.height + j);
      if (this.needsMove(base + j, dst)) {
        any = true;
        if (emit) this.moveTo(base + j, dst);
      }
    }
    return any;
  }

  /** Move the top n values to frame slots 0..n-1 and return. */
  private emitReturn(n: number): void {
    const base = this.h - n;
    // A single result computed by the last instruction can be written straight into slot 0.
    if (n === 1 && this.vk[base] === K_SLOT && this.lastDstPos >= 0 && this.lastDstHeight === base) {
      this.code[this.lastDstPos] = 0;
      this.e1(IR.RETURN);
      return;
    }
    // A local that is a later result's source must not be overwritten by an earlier result.
    for (let j = 0; j < n; j++) {
      if (this.vk[base + j] === K_LOCAL && this.vv[base + j] < n && this.vv[base + j] !== j) this.materialize(base + j);
    }
    for (let j = 0; j < n; j++) this.moveTo(base + j, j * 2);
    this.e1(IR.RETURN);
  }

  private branchTo(depth: number): void {
    const c = this.ctl[this.ctl.length - 1 - depth];
    if (c.kind === C_FUNC) {
      this.emitReturn(c.results.length);
      return;
    }
    this.branchCopies(c, this.labelArity(c).length, true);
    this.emitJump(IR.BR, c, []);
  }
  /** Emit `op [...pre, target]`, recording a patch when the target is forward. */
  private emitJump(op: number, c: Ctl, pre: number[]): void {
    this.mark();
    this.code.push(op, ...pre);
    if (c.kind === C_LOOP) this.code.push(c.loopPc);
    else {
      c.patches.push(this.code.length);
      this.code.push(-1);
    }
  }

  private setUnreachable(): void {
    const c = this.ctl[this.ctl.length - 1];
    c.unreachable = true;
    this.h = c.height;
  }

  private resetStack(height: number, types: ValType[]): void {
    this.h = height;
    for (const t of types) this.push(K_SLOT, t);
  }

  // ---- instructions ----

  private instr(ins: Instr): void {
    const op = ins.op;
    const arity = op < 0x100 ? SIMPLE_ARITY[op] : 0;
    if (arity === 2) return this.binary(op);
    if (arity === 1) return this.unary(op);
    switch (op) {
      case Op.unreachable:
        this.e1(IR.UNREACHABLE);
        return this.setUnreachable();
      case Op.nop:
        return;
      case Op.block:
      case Op.loop: {
        const sig = blockTypeSig(this.m, ins.bt!)!;
        this.materializeAll();
        const c: Ctl = {
          kind: op === Op.block ? C_BLOCK : C_LOOP, height: this.h - sig.params.length, params: sig.params,
          results: sig.results, loopPc: this.code.length, patches: [], elsePatch: -1, unreachable: false,
        };
        this.ctl.push(c);
        if (op === Op.loop) this.label();
        return;
      }
      case Op.if: {
        const sig = blockTypeSig(this.m, ins.bt!)!;
        const fused = this.takeFusedCond();
        const cond = fused ? -1 : this.popOperand();
        this.materializeAll();
        const c: Ctl = {
          kind: C_IF, height: this.h - sig.params.length, params: sig.params, results: sig.results,
          loopPc: 0, patches: [], elsePatch: -1, unreachable: false,
        };
        this.mark();
        if (fused) this.code.push(fused[1], ...fused.slice(2));
        else this.code.push(IR.BR_UNLESS, cond);
        c.elsePatch = this.code.length;
        this.code.push(-1);
        this.ctl.push(c);
        return;
      }
      case Op.else: {
        const c = this.ctl[this.ctl.length - 1];
        if (!c.unreachable) {
          this.endValues(c);
          this.mark();
          this.code.push(IR.BR);
          c.patches.push(this.code.length);
          this.code.push(-1);
        }
        this.code[c.elsePatch] = this.code.length;
        c.elsePatch = -1;
        c.unreachable = false;
        this.label();
        this.resetStack(c.height, c.params);
        return;
      }
      case Op.end: {
        const c = this.ctl[this.ctl.length - 1];
        if (c.kind === C_FUNC) {
          if (!c.unreachable) this.emitReturn(c.results.length);
          this.ctl.pop();
          return;
        }
        if (!c.unreachable) this.endValues(c);
        const here = this.code.length;
        if (c.elsePatch >= 0) this.code[c.elsePatch] = here;
        for (const p of c.patches) this.code[p] = here;
        this.ctl.pop();
        this.label();
        this.resetStack(c.height, c.results);
        return;
      }
      case Op.br:
        this.branchTo(ins.a);
        return this.setUnreachable();
      case Op.br_if:
        return this.brIf(ins.a);
      case Op.br_table:
        return this.brTable(ins.targets!);
      case Op.return:
        this.emitReturn(this.ctl[0].results.length);
        return this.setUnreachable();
      case Op.call:
        return this.call(ins.a);
      case Op.call_indirect:
        return this.callIndirect(ins.a, ins.b);
      case Op.drop:
        this.h--;
        return;
      case Op.select:
      case Op.select_t: {
        const cond = this.popOperand();
        const b = this.popOperand();
        const t = this.vt[this.h - 1];
        const a = this.popOperand();
        const w = width(t);
        const sop = w === 'ref' ? IR.SELECTREF : w === 'w64' ? IR.SELECT64 : IR.SELECT32;
        this.e5(sop, this.slotOf(this.h), a, b, cond);
        return this.pushResult(t, this.code.length - 4);
      }
      case Op.local_get:
        return this.push(K_LOCAL, this.localTypes[ins.a], ins.a);
      case Op.local_set:
      case Op.local_tee:
        return this.localSet(ins.a, op === Op.local_tee);
      case Op.global_get: {
        const t = this.globalType(ins.a);
        const w = width(t);
        this.e3(w === 'ref' ? IR.GLOBAL_GETREF : w === 'w64' ? IR.GLOBAL_GET64 : IR.GLOBAL_GET32, this.slotOf(this.h), ins.a);
        return this.pushResult(t, this.code.length - 2);
      }
      case Op.global_set: {
        const t = this.vt[this.h - 1];
        const s = this.popOperand();
        const w = width(t);
        return this.e3(w === 'ref' ? IR.GLOBAL_SETREF : w === 'w64' ? IR.GLOBAL_SET64 : IR.GLOBAL_SET32, ins.a, s);
      }
      case Op.table_get: {
        const i = this.popOperand();
        this.e4(IR.TABLE_GET, this.slotOf(this.h), ins.a, i);
        return this.pushResult(this.tableElemType(ins.a), this.code.length - 3);
      }
      case Op.table_set: {
        const v = this.popOperand();
        const i = this.popOperand();
        return this.e4(IR.TABLE_SET, ins.a, i, v);
      }
      case Op.i32_const:
        return this.push(K_CONST, 0x7f, ins.a | 0);
      case Op.f32_const:
        return this.push(K_CONST, 0x7d, ins.a | 0);
      case Op.i64_const:
      case Op.f64_const: {
        const x = BigInt.asUintN(64, ins.x!);
        return this.push(K_CONST, op === Op.i64_const ? I64 : F64, Number(x & 0xffffffffn) | 0, Number(x >> 32n) | 0);
      }
      case Op.ref_null:
        this.e2(IR.REF_NULL, this.slotOf(this.h));
        return this.pushResult(ins.a, this.code.length - 1);
      case Op.ref_is_null: {
        const s = this.popOperand();
        this.e3(IR.REF_IS_NULL, this.slotOf(this.h), s);
        return this.pushResult(0x7f, this.code.length - 2);
      }
      case Op.ref_func:
        this.e3(IR.REF_FUNC, this.slotOf(this.h), ins.a);
        return this.pushResult(0x70, this.code.length - 2);
      case Op.memory_size:
        this.e2(IR.MEMORY_SIZE, this.slotOf(this.h));
        return this.pushResult(0x7f, this.code.length - 1);
      case Op.memory_grow: {
        const n = this.popOperand();
        this.e3(IR.MEMORY_GROW, this.slotOf(this.h), n);
        return this.pushResult(0x7f, this.code.length - 2);
      }
      case Op.memory_fill:
      case Op.memory_copy: {
        const n = this.popOperand();
        const s = this.popOperand();
        const d = this.popOperand();
        return this.e4(op === Op.memory_fill ? IR.MEMORY_FILL : IR.MEMORY_COPY, d, s, n);
      }
      case Op.memory_init: {
        const n = this.popOperand();
        const s = this.popOperand();
        const d = this.popOperand();
        return this.e5(IR.MEMORY_INIT, ins.a, d, s, n);
      }
      case Op.data_drop:
        return this.e2(IR.DATA_DROP, ins.a);
      case Op.table_size:
        this.e3(IR.TABLE_SIZE, this.slotOf(this.h), ins.a);
        return this.pushResult(0x7f, this.code.length - 2);
      case Op.table_grow: {
        const n = this.popOperand();
        const init = this.popOperand();
        this.e5(IR.TABLE_GROW, this.slotOf(this.h), ins.a, init, n);
        return this.pushResult(0x7f, this.code.length - 4);
      }
      case Op.table_fill: {
        const n = this.popOperand();
        const v = this.popOperand();
        const i = this.popOperand();
        return this.e5(IR.TABLE_FILL, ins.a, i, v, n);
      }
      case Op.table_copy: {
        const n = this.popOperand();
        const s = this.popOperand();
        const d = this.popOperand();
        return this.e6(IR.TABLE_COPY, ins.a, ins.b, d, s, n);
      }
      case Op.table_init: {
        const n = this.popOperand();
        const s = this.popOperand();
        const d = this.popOperand();
        return this.e6(IR.TABLE_INIT, ins.b, ins.a, d, s, n);
      }
      case Op.elem_drop:
        return this.e2(IR.ELEM_DROP, ins.a);
      default:
        if (op >= 0x28 && op <= 0x35) return this.load(op, ins.b);
        if (op >= 0x36 && op <= 0x3e) return this.store(op, ins.b);
        throw new InternalError('unknown-op', `cannot compile op 0x${op.toString(16)}`, ins.offset);
    }
  }

  private globalType(g: number): ValType {
    const m = this.m;
    let n = 0;
    for (const im of m.imports) {
      if (im.desc.kind !== 'global') continue;
      if (n === g) return im.desc.type.type;
      n++;
    }
    return m.globals[g - n].type.type;
  }
  private tableElemType(t: number): ValType {
    const m = this.m;
    let n = 0;
    for (const im of m.imports) {
      if (im.desc.kind !== 'table') continue;
      if (n === t) return im.desc.type.elem;
      n++;
    }
    return m.tables[t - n]?.elem ?? 0x70;
  }

  private unary(op: number): void {
    const a = this.popOperand();
    const t = resultType(op);
    this.e3(op, this.slotOf(this.h), a);
    this.pushResult(t, this.code.length - 2);
  }

  private binary(op: number): void {
    const top = this.h - 1;
    const fused = IMM_FUSIBLE[op];
    if ((fused !== undefined || op === 0x6b) && this.vk[top] === K_CONST) {
      let imm = this.vv[top];
      this.h--;
      const a = this.popOperand();
      let irop = fused;
      if (op === 0x6b) {
        irop = IR.I32_ADD_IMM;
        imm = -imm | 0;
      }
      this.e4(irop, this.slotOf(this.h), a, imm);
      return this.pushResult(0x7f, this.code.length - 3);
    }
    if (op === 0xa0 || op === 0xa1 || op === 0xa2) {
      if (this.fuseF64Load(op)) return;
    }
    const b = this.popOperand();
    const a = this.popOperand();
    this.e4(op, this.slotOf(this.h), a, b);
    this.pushResult(resultType(op), this.code.length - 3);
  }

  /**
   * f64 add/sub/mul with an operand that the previous instruction just loaded from memory: one
   * instruction computing x op M (or M - x), where M is the load [a, b, offset]. Same loads, same
   * roundings, one dispatch fewer (matmul and n-body are mostly this shape).
   */
  private fuseF64Load(op: number): boolean {
    const top = this.h - 1;
    if (this.lastDstPos < 0 || this.code[this.lastOpPc] !== 0x2b) return false;
    const pc = this.lastOpPc;
    let irop: number;
    let other: number;
    if (this.lastDstHeight === top && this.vk[top] === K_SLOT) {
      // right operand loaded: x op M
      irop = op === 0xa0 ? IR.F64_ADD_LOAD : op === 0xa1 ? IR.F64_SUB_LOAD : IR.F64_MUL_LOAD;
      const la = this.code[pc + 2], lb = this.code[pc + 3], off = this.code[pc + 4];
      this.unemitLast();
      this.h--;
      other = this.popOperand();
      this.e6(irop, this.slotOf(this.h), other, la, lb, off);
    } else if (this.lastDstHeight === top - 1 && this.vk[top - 1] === K_SLOT && this.vk[top] !== K_SLOT) {
      // left operand loaded, right one virtual (local/const): M op x
      irop = op === 0xa0 ? IR.F64_ADD_LOAD : op === 0xa1 ? IR.F64_RSUB_LOAD : IR.F64_MUL_LOAD;
      const la = this.code[pc + 2], lb = this.code[pc + 3], off = this.code[pc + 4];
      other = this.popOperand();
      this.unemitLast();
      this.h--;
      this.e6(irop, this.slotOf(this.h), other, la, lb, off);
    } else return false;
    this.pushResult(F64, this.code.length - 5);
    return true;
  }

  private load(op: number, offset: number): void {
    const [a, b] = this.addressPair();
    this.e5(op, this.slotOf(this.h), a, b, offset | 0);
    this.pushResult(resultType(op), this.code.length - 4);
  }
  private store(op: number, offset: number): void {
    if (op === 0x39 && this.fuseF64Accumulate(offset)) return;
    const v = this.popOperand();
    const [a, b] = this.addressPair();
    this.e5(op, a, b, v, offset | 0);
  }

  /**
   * `M = x + M` where the previous instruction was the fused `t = x + M` and the store writes t back to
   * the very same address operands: one read-modify-write (same ea, same bounds check, same rounding).
   */
  private fuseF64Accumulate(offset: number): boolean {
    const top = this.h - 1;
    if (this.vk[top] !== K_SLOT || this.lastDstPos < 0 || this.lastDstHeight !== top) return false;
    const pc = this.lastOpPc;
    if (this.code[pc] !== IR.F64_ADD_LOAD) return false;
    const x = this.code[pc + 2], la = this.code[pc + 3], lb = this.code[pc + 4], off = this.code[pc + 5];
    if (off !== (offset | 0)) return false;
    // The store's address must be a virtual entry naming the same operands (no code between them).
    const ai = top - 1;
    const addr = this.vk[ai] === K_LOCAL ? this.vv[ai] * 2 : this.vk[ai] === K_CONST ? -1 : this.slotOf(ai);
    const zero = this.constSlot.get('0,0');
    if (addr !== la || zero === undefined || lb !== zero * 2) return false;
    this.unemitLast();
    this.h -= 2;
    this.e5(IR.F64_ADD_TO_MEM, x, la, lb, off);
    return true;
  }

  /**
   * Pop an i32 address as two operands whose wrapped sum is the address. An i32.add (or add of a
   * constant) computed just for this access is folded in, saving a dispatch; the access computes
   * ((a + b) mod 2^32) + offset, exactly the unfused semantics (spec 4.4.7: the offset does not wrap).
   */
  private addressPair(): [number, number] {
    const top = this.h - 1;
    if (this.vk[top] === K_SLOT && this.lastDstPos >= 0 && this.lastDstHeight === top) {
      const pc = this.lastOpPc;
      const op = this.code[pc];
      if (op === 0x6a) {
        const a = this.code[pc + 2], b = this.code[pc + 3];
        this.unemitLast();
        this.h--;
        return [a, b];
      }
      if (op === IR.I32_ADD_IMM) {
        const slot = this.constSlot.get(`${this.code[pc + 3]},0`);
        if (slot !== undefined) {
          const a = this.code[pc + 2];
          this.unemitLast();
          this.h--;
          return [a, slot * 2];
        }
      }
    }
    const a = this.popOperand();
    return [a, this.constSlot.get('0,0')! * 2];
  }

  private localSet(x: number, tee: boolean): void {
    const top = this.h - 1;
    // Any pending read of local x further down must see the old value.
    for (let i = 0; i < top; i++) if (this.vk[i] === K_LOCAL && this.vv[i] === x) this.materialize(i);
    const t = this.vt[top];
    if (this.vk[top] === K_SLOT && this.lastDstPos >= 0 && this.lastDstHeight === top) {
      this.code[this.lastDstPos] = x * 2;
      this.lastDstPos = -1;
    } else {
      this.moveTo(top, x * 2);
    }
    if (tee) {
      this.vk[top] = K_LOCAL;
      this.vv[top] = x;
      this.vt[top] = t;
    } else this.h--;
  }

  /**
   * If the top of stack is an i32 comparison (or eqz) just emitted, remove it and return
   * [branch-if-true op, branch-if-false op, ...operands] for a fused compare-and-branch.
   */
  private takeFusedCond(): number[] | undefined {
    const top = this.h - 1;
    if (this.vk[top] !== K_SLOT || this.lastDstPos < 0 || this.lastDstHeight !== top) return undefined;
    const pc = this.lastOpPc;
    const op = this.code[pc];
    if (op === 0x45) {
      const a = this.code[pc + 2];
      this.unemitLast();
      this.h--;
      return [IR.BR_UNLESS, IR.BR_IF, a];
    }
    const pair = CMP_BRANCH[op];
    if (!pair) return undefined;
    const a = this.code[pc + 2], b = this.code[pc + 3];
    this.unemitLast();
    this.h--;
    return [pair[0], pair[1], a, b];
  }

  private brIf(depth: number): void {
    const c = this.ctl[this.ctl.length - 1 - depth];
    if (c.kind !== C_FUNC) {
      const n = this.labelArity(c).length;
      // Compute whether copies are needed with the condition still on the stack removed.
      const fused = this.takeFusedCond();
      let cond = -1;
      if (!fused) cond = this.popOperand();
      if (!this.branchCopies(c, n, false)) {
        if (fused) this.emitJump(fused[0], c, fused.slice(2));
        else this.emitJump(IR.BR_IF, c, [cond]);
        return;
      }
      const skipPos = this.emitSkip(fused, cond);
      this.branchCopies(c, n, true);
      this.emitJump(IR.BR, c, []);
      this.code[skipPos] = this.code.length;
      this.label();
      return;
    }
    const fused = this.takeFusedCond();
    const cond = fused ? -1 : this.popOperand();
    const skipPos = this.emitSkip(fused, cond);
    this.emitReturn(c.results.length);
    this.code[skipPos] = this.code.length;
    this.label();
  }
  /** Emit a branch taken when the condition is false; returns the target position to patch. */
  private emitSkip(fused: number[] | undefined, cond: number): number {
    this.mark();
    if (fused) this.code.push(fused[1], ...fused.slice(2));
    else this.code.push(IR.BR_UNLESS, cond);
    this.code.push(-1);
    return this.code.length - 1;
  }

  private brTable(targets: number[]): void {
    const idx = this.popOperand();
    this.mark();
    this.code.push(IR.BR_TABLE, idx, targets.length - 1);
    const slots: number[] = [];
    for (let j = 0; j < targets.length; j++) {
      slots.push(this.code.length);
      this.code.push(-1);
    }
    // Targets that need value moves (or are the function label) get a stub after the table.
    for (let j = 0; j < targets.length; j++) {
      const depth = targets[j];
      const c = this.ctl[this.ctl.length - 1 - depth];
      if (c.kind !== C_FUNC && !this.branchCopies(c, this.labelArity(c).length, false)) {
        if (c.kind === C_LOOP) this.code[slots[j]] = c.loopPc;
        else c.patches.push(slots[j]);
        continue;
      }
      this.code[slots[j]] = this.code.length;
      this.branchTo(depth);
    }
    this.setUnreachable();
  }

  private call(funcIdx: number): void {
    const ty = funcTypeOf(this.m, funcIdx)!;
    const n = ty.params.length;
    for (let i = this.h - n; i < this.h; i++) this.materialize(i);
    this.h -= n;
    this.e3(IR.CALL, funcIdx, this.slotOf(this.h));
    for (const t of ty.results) this.push(K_SLOT, t);
  }

  private callIndirect(typeIdx: number, table: number): void {
    const ty = this.m.types[typeIdx];
    const elem = this.popOperand();
    const n = ty.params.length;
    for (let i = this.h - n; i < this.h; i++) this.materialize(i);
    this.h -= n;
    this.e5(IR.CALL_INDIRECT, internType(ty), table, elem, this.slotOf(this.h));
    for (const t of ty.results) this.push(K_SLOT, t);
  }

  /** Materialize the block's results in their canonical slots at its end. */
  private endValues(c: Ctl): void {
    const n = c.results.length;
    for (let i = this.h - n; i < this.h; i++) this.materialize(i);
  }
}

const SIG_TYPE: Record<string, number> = { i: 0x7f, I: 0x7e, f: 0x7d, F: 0x7c };
function resultType(op: number): ValType {
  const sig = OPS[op]?.sig;
  const r = sig ? sig.split(':')[1] : '';
  const t = r ? SIG_TYPE[r[0]] : undefined;
  if (t === undefined) throw new InternalError('no-result-type', `op 0x${op.toString(16)} has no result type`);
  return t;
}

