// Function bodies: the instruction typing algorithm of the spec appendix (A.3 / "Validation Algorithm"),
// Wasm 2.0 edition (multi-value, reference types, bulk memory, typed select, 2.0 br_table rule).
//
// Conventions:
//   vals   operand stack of value types; UNKNOWN is the bottom type produced in unreachable code
//   ctrl*  control frames as parallel arrays indexed 0..nc-1 (no object per block):
//          ctrlOp (block/loop/if/else), ctrlStart/ctrlEnd (start and end types), ctrlHeight, ctrlUnreach
//   label types: a loop's label takes its start types (params), every other frame its end types.
// Simple instructions take their rule from the opcode table's `sig`; only control, parametric,
// variable, reference, table and bulk ops are typed by hand. One checker object is reused for all bodies.

import type { Func, FuncType, Instr, ValType } from '../syntax/types.ts';
import * as T from '../syntax/types.ts';
import { OPS as OP_TABLE, Op, opName, parseSig } from '../binary/opcodes.ts';
import { fail, type Ctx, type ValidationErrorKind } from './context.ts';
import { Locals } from './locals.ts';

// Imported bindings can compile to getter calls (ESM live bindings under some transforms), which
// dominated profiles of the hot loop; plain module constants let V8 fold them.
const { I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, valTypeName } = T;
const OPS = [...OP_TABLE];
const { block: OP_BLOCK, br: OP_BR, br_if: OP_BR_IF, br_table: OP_BR_TABLE, call: OP_CALL,
  call_indirect: OP_CALL_INDIRECT, drop: OP_DROP, else: OP_ELSE, end: OP_END, global_get: OP_GLOBAL_GET,
  global_set: OP_GLOBAL_SET, if: OP_IF, local_get: OP_LOCAL_GET, local_set: OP_LOCAL_SET,
  local_tee: OP_LOCAL_TEE, loop: OP_LOOP, nop: OP_NOP, ref_func: OP_REF_FUNC, ref_is_null: OP_REF_IS_NULL,
  ref_null: OP_REF_NULL, return: OP_RETURN, select: OP_SELECT, select_t: OP_SELECT_T, table_fill: OP_TABLE_FILL,
  table_get: OP_TABLE_GET, table_grow: OP_TABLE_GROW, table_set: OP_TABLE_SET, unreachable: OP_UNREACHABLE } = Op;

/** The bottom type of the appendix algorithm; no value type encodes as 0. */
const UNKNOWN = 0;
const NONE: readonly ValType[] = [];

/** Per-op type rules from the table, as arrays, so the hot loop does no string work. */
const SIG_PARAMS: (readonly ValType[] | undefined)[] = new Array(0x100).fill(undefined);
const SIG_RESULTS: (readonly ValType[] | undefined)[] = new Array(0x100).fill(undefined);
/** Table-typed ops whose immediates still need checking (a memory, segment or table index, alignment). */
const SIG_EXTRA: boolean[] = new Array(0x100).fill(false);
for (const row of OPS) {
  if (!row?.sig) continue;
  const s = parseSig(row.sig);
  SIG_PARAMS[row.op] = s.params;
  SIG_RESULTS[row.op] = s.results;
  SIG_EXTRA[row.op] = !['none', 'i32', 'i64', 'f32', 'f64'].includes(row.imm);
}

/** Result lists for single-value block types, shared so a block costs no allocation. */
const SINGLE: Map<ValType, readonly ValType[]> = new Map(
  [I32, I64, F32, F64, V128, FUNCREF, EXTERNREF].map((t) => [t, [t]] as const),
);

function isNum(t: ValType): boolean {
  return t === I32 || t === I64 || t === F32 || t === F64;
}
function isRef(t: ValType): boolean {
  return t === FUNCREF || t === EXTERNREF;
}
function typeName(t: ValType): string {
  return t === UNKNOWN ? 'unknown' : valTypeName(t);
}
function listName(ts: readonly ValType[]): string {
  return `[${ts.map(typeName).join(' ')}]`;
}

export class FuncChecker {
  private readonly vals: ValType[] = [];
  private readonly ctrlOp: number[] = [];
  private readonly ctrlStart: (readonly ValType[])[] = [];
  private readonly ctrlEnd: (readonly ValType[])[] = [];
  private readonly ctrlHeight: number[] = [];
  private readonly ctrlUnreach: boolean[] = [];
  private nc = 0;
  private readonly locals = new Locals();
  /** Offset of the instruction being checked, for errors. */
  private at = -1;
  private name = '';
  private btParams: readonly ValType[] = NONE;
  private btResults: readonly ValType[] = NONE;

  constructor(private readonly c: Ctx) {}

  // ---- operand stack (appendix: push_val / pop_val / pop_vals) ----

  private err(kind: ValidationErrorKind, msg: string): never {
    fail(kind, `${msg} (in ${this.name})`, this.at);
  }

  private popAny(): ValType {
    const v = this.vals;
    const top = this.nc - 1;
    if (v.length === this.ctrlHeight[top]) {
      if (this.ctrlUnreach[top]) return UNKNOWN;
      this.err('type-mismatch', 'type mismatch: operand stack underflow');
    }
    return v.pop()!;
  }

  private pop(expect: ValType): ValType {
    const actual = this.popAny();
    if (actual !== expect && actual !== UNKNOWN && expect !== UNKNOWN) {
      this.err('type-mismatch', `type mismatch: expected ${typeName(expect)}, got ${typeName(actual)}`);
    }
    return actual;
  }

  private popList(ts: readonly ValType[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.pop(ts[i]!);
  }

  private pushList(ts: readonly ValType[]): void {
    for (let i = 0; i < ts.length; i++) this.vals.push(ts[i]!);
  }

  /**
   * br_table's `push_vals(pop_vals(label_types))` done in place: checks the top of the stack against
   * `ts` without moving it. Slots below the frame height count as Unknown in unreachable code, which is
   * what popping them and pushing them back would leave.
   */
  private peekList(ts: readonly ValType[]): void {
    const v = this.vals;
    const top = this.nc - 1;
    const h = this.ctrlHeight[top]!;
    for (let i = 0; i < ts.length; i++) {
      const pos = v.length - 1 - i;
      const expect = ts[ts.length - 1 - i]!;
      if (pos < h) {
        if (this.ctrlUnreach[top]) continue; // below the frame in unreachable code: UNKNOWN matches
        this.err('type-mismatch', `type mismatch: expected ${listName(ts)} on the stack`);
      }
      const actual = v[pos]!;
      if (actual !== expect && actual !== UNKNOWN) {
        this.err('type-mismatch', `type mismatch: expected ${typeName(expect)}, got ${typeName(actual)}`);
      }
    }
  }

  // ---- control stack (appendix: push_ctrl / pop_ctrl / label_types / unreachable) ----

  private pushCtrl(op: number, start: readonly ValType[], end: readonly ValType[]): void {
    const i = this.nc++;
    this.ctrlOp[i] = op;
    this.ctrlStart[i] = start;
    this.ctrlEnd[i] = end;
    this.ctrlHeight[i] = this.vals.length;
    this.ctrlUnreach[i] = false;
    this.pushList(start);
  }

  /** Pops the top frame and returns its index (its slots stay readable until the next push). */
  private popCtrl(): number {
    if (this.nc === 0) this.err('unexpected-end', 'end or else without an open block');
    const top = this.nc - 1;
    this.popList(this.ctrlEnd[top]!);
    if (this.vals.length !== this.ctrlHeight[top]) {
      this.err('type-mismatch', `type mismatch: values remaining on the stack at the end of the block, expected ${listName(this.ctrlEnd[top]!)}`);
    }
    this.nc--;
    return top;
  }

  private labelTypes(i: number): readonly ValType[] {
    return this.ctrlOp[i] === OP_LOOP ? this.ctrlStart[i]! : this.ctrlEnd[i]!;
  }

  /** Frame index for a branch to `depth`, or an error. */
  private label(depth: number): number {
    if (!(depth >= 0 && depth < this.nc)) this.err('unknown-label', `unknown label ${depth}`);
    return this.nc - 1 - depth;
  }

  private unreachable(): void {
    const top = this.nc - 1;
    this.vals.length = this.ctrlHeight[top]!;
    this.ctrlUnreach[top] = true;
  }

  // ---- indices ----

  /** Sets btParams/btResults from the instruction's block type (fields, so a block allocates nothing). */
  private blockSig(ins: Instr): void {
    const bt = ins.bt;
    if (!bt || bt.kind === 'empty') {
      this.btParams = NONE;
      this.btResults = NONE;
    } else if (bt.kind === 'val') {
      const r = SINGLE.get(bt.type);
      if (!r) this.err('type-mismatch', `invalid block type ${typeName(bt.type)}`);
      this.btParams = NONE;
      this.btResults = r;
    } else {
      const t = this.c.types[bt.typeIdx];
      if (!(bt.typeIdx >= 0 && t)) this.err('unknown-type', `unknown type ${bt.typeIdx}`);
      this.btParams = t.params;
      this.btResults = t.results;
    }
  }

  private table(idx: number): ValType {
    const t = this.c.tables[idx];
    if (!(idx >= 0 && t)) this.err('unknown-table', `unknown table ${idx}`);
    return t.elem;
  }

  private needMemory(idx = 0): void {
    if (!(idx >= 0 && idx < this.c.mems.length)) this.err('unknown-memory', `unknown memory ${idx}`);
  }

  private global(idx: number): { type: ValType; mutable: boolean } {
    const g = this.c.globals[idx];
    if (!(idx >= 0 && g)) this.err('unknown-global', `unknown global ${idx}`);
    return g;
  }

  private localType(idx: number): ValType {
    const t = this.locals.typeOf(idx);
    if (t === undefined) this.err('unknown-local', `unknown local ${idx}`);
    return t;
  }

  private elem(idx: number): ValType {
    const t = this.c.elemTypes[idx];
    if (!(idx >= 0 && t !== undefined)) this.err('unknown-elem', `unknown elem segment ${idx}`);
    return t;
  }

  private data(idx: number): void {
    if (!(idx >= 0 && idx < this.c.dataCount)) this.err('unknown-data', `unknown data segment ${idx}`);
  }

  private func(idx: number): FuncType {
    if (!(idx >= 0 && idx < this.c.funcTypeIdx.length)) this.err('unknown-func', `unknown function ${idx}`);
    return this.c.types[this.c.funcTypeIdx[idx]!]!;
  }

  // ---- the body ----

  check(f: Func, funcIdx: number): void {
    const ft = this.c.types[f.typeIdx]!;
    this.name = `function ${funcIdx}`;
    this.at = f.offset;
    this.locals.reset(ft.params, f.locals);
    this.vals.length = 0;
    this.nc = 0;
    // The function's own frame: its label (br to depth max) behaves like return (spec 3.4.1).
    this.pushCtrl(OP_BLOCK, NONE, ft.results);
    const body = f.body;
    const n = body.length;
    const vals = this.vals;
    for (let pc = 0; pc < n; pc++) {
      const ins = body[pc]!;
      const op = ins.op;
      this.at = ins.offset;
      if (this.nc === 0) this.err('unexpected-end', 'instructions after the final end of the function body');
      const params = SIG_PARAMS[op];
      if (params !== undefined) {
        // Table-typed instructions; some also name a memory, a segment or tables (checked in extra()).
        if (SIG_EXTRA[op]) this.extra(ins);
        for (let i = params.length - 1; i >= 0; i--) this.pop(params[i]!);
        const results = SIG_RESULTS[op]!;
        for (let i = 0; i < results.length; i++) vals.push(results[i]!);
        continue;
      }
      this.control(ins);
    }
    if (this.nc !== 0) this.err('unexpected-end', 'function body does not end with end');
  }

  /** Index and alignment checks for table-typed instructions that carry immediates. */
  private extra(ins: Instr): void {
    const info = OPS[ins.op]!;
    switch (info.imm) {
      case 'memarg':
        this.needMemory();
        // Spec 3.3.7: 2^align must not exceed the access width.
        if (ins.a > info.natural!) this.err('alignment', `alignment must not be larger than natural (${info.name} align=2^${ins.a})`);
        break;
      case 'mem0': case 'mem00': this.needMemory(); break;
      case 'data_mem0': this.needMemory(); this.data(ins.a); break;
      case 'data': this.data(ins.a); break;
      case 'elem': this.elem(ins.a); break;
      case 'table': this.table(ins.a); break;
      case 'elem_table': {
        // Spec 3.3.5 (table.init): the table is checked before the segment.
        const tt = this.table(ins.b);
        const et = this.elem(ins.a);
        if (et !== tt) this.err('type-mismatch', `type mismatch: table.init of ${typeName(et)} segment into ${typeName(tt)} table`);
        break;
      }
      case 'table_table': {
        const dst = this.table(ins.a);
        const src = this.table(ins.b);
        if (dst !== src) this.err('type-mismatch', `type mismatch: table.copy from ${typeName(src)} table to ${typeName(dst)} table`);
        break;
      }
      default: break;
    }
  }

  /** Instructions without a table `sig`: control, parametric, variable, reference and table ops. */
  private control(ins: Instr): void {
    const vals = this.vals;
    switch (ins.op) {
      case OP_UNREACHABLE: this.unreachable(); break;
      case OP_NOP: break;
      case OP_BLOCK: case OP_LOOP: {
        this.blockSig(ins);
        this.popList(this.btParams);
        this.pushCtrl(ins.op, this.btParams, this.btResults);
        break;
      }
      case OP_IF: {
        this.blockSig(ins);
        this.pop(I32);
        this.popList(this.btParams);
        this.pushCtrl(OP_IF, this.btParams, this.btResults);
        break;
      }
      case OP_ELSE: {
        if (this.nc === 0 || this.ctrlOp[this.nc - 1] !== OP_IF) this.err('unexpected-else', 'else without a matching if');
        const i = this.popCtrl();
        this.pushCtrl(OP_ELSE, this.ctrlStart[i]!, this.ctrlEnd[i]!);
        break;
      }
      case OP_END: {
        const i = this.popCtrl();
        const start = this.ctrlStart[i]!, end = this.ctrlEnd[i]!;
        // Spec 3.3.8.5: an if without else behaves as if its else were empty, so it needs params = results.
        if (this.ctrlOp[i] === OP_IF && !sameTypes(start, end)) {
          this.err('type-mismatch', `type mismatch: if without else must have matching params ${listName(start)} and results ${listName(end)}`);
        }
        this.pushList(end);
        break;
      }
      case OP_BR: {
        this.popList(this.labelTypes(this.label(ins.a)));
        this.unreachable();
        break;
      }
      case OP_BR_IF: {
        const lt = this.labelTypes(this.label(ins.a));
        this.pop(I32);
        // Appendix: pop_vals then push_vals of the *label* types, so in unreachable code the values
        // after br_if are concrete (not Unknown).
        this.popList(lt);
        this.pushList(lt);
        break;
      }
      case OP_BR_TABLE: {
        const targets = ins.targets ?? [];
        if (targets.length === 0) this.err('unknown-label', 'br_table without a default label');
        this.pop(I32);
        const def = this.labelTypes(this.label(targets[targets.length - 1]!));
        const arity = def.length;
        // Checking does not change the stack, so a label-type list seen just before needs no recheck
        // (keeps long tables of repeated targets linear; block types share their arrays).
        let prev: readonly ValType[] | undefined;
        for (let k = 0; k < targets.length - 1; k++) {
          const lt = this.labelTypes(this.label(targets[k]!));
          if (lt === prev) continue;
          if (lt.length !== arity) this.err('type-mismatch', `type mismatch: br_table targets have different arities (${lt.length} and ${arity})`);
          this.peekList(lt);
          prev = lt;
        }
        this.popList(def);
        this.unreachable();
        break;
      }
      case OP_RETURN: {
        this.popList(this.ctrlEnd[0]!);
        this.unreachable();
        break;
      }
      case OP_CALL: {
        const ft = this.func(ins.a);
        this.popList(ft.params);
        this.pushList(ft.results);
        break;
      }
      case OP_CALL_INDIRECT: {
        const et = this.table(ins.b);
        if (et !== FUNCREF) this.err('type-mismatch', `type mismatch: call_indirect through table ${ins.b} of ${typeName(et)}`);
        const ft = this.c.types[ins.a];
        if (!(ins.a >= 0 && ft)) this.err('unknown-type', `unknown type ${ins.a}`);
        this.pop(I32);
        this.popList(ft.params);
        this.pushList(ft.results);
        break;
      }
      case OP_DROP: this.popAny(); break;
      case OP_SELECT: {
        this.pop(I32);
        const t1 = this.popAny();
        const t2 = this.popAny();
        // Spec 3.3.4: untyped select only for numeric (or vector) operands; references need select t.
        if (!((isNum(t1) || t1 === V128 || t1 === UNKNOWN) && (isNum(t2) || t2 === V128 || t2 === UNKNOWN))) {
          this.err('type-mismatch', `type mismatch: select without type needs numeric operands, got ${typeName(t2)} and ${typeName(t1)}`);
        }
        if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.err('type-mismatch', `type mismatch: select operands ${typeName(t2)} and ${typeName(t1)}`);
        vals.push(t1 === UNKNOWN ? t2 : t1);
        break;
      }
      case OP_SELECT_T: {
        const ts = ins.types ?? NONE;
        if (ts.length !== 1) this.err('invalid-result-arity', `invalid result arity: typed select takes exactly one type, got ${ts.length}`);
        const t = ts[0]!;
        // Guard the UNKNOWN sentinel (and junk) from hand-built ASTs; the decoder only yields value types.
        if (!(isNum(t) || isRef(t) || t === V128)) this.err('type-mismatch', `type mismatch: select of invalid type ${typeName(t)}`);
        this.pop(I32);
        this.pop(t);
        this.pop(t);
        vals.push(t);
        break;
      }
      case OP_LOCAL_GET: vals.push(this.localType(ins.a)); break;
      case OP_LOCAL_SET: this.pop(this.localType(ins.a)); break;
      case OP_LOCAL_TEE: {
        const t = this.localType(ins.a);
        this.pop(t);
        vals.push(t);
        break;
      }
      case OP_GLOBAL_GET: vals.push(this.global(ins.a).type); break;
      case OP_GLOBAL_SET: {
        const g = this.global(ins.a);
        if (!g.mutable) this.err('immutable-global', `global is immutable: global.set ${ins.a}`);
        this.pop(g.type);
        break;
      }
      case OP_TABLE_GET: {
        const t = this.table(ins.a);
        this.pop(I32);
        vals.push(t);
        break;
      }
      case OP_TABLE_SET: {
        const t = this.table(ins.a);
        this.pop(t);
        this.pop(I32);
        break;
      }
      case OP_TABLE_GROW: {
        const t = this.table(ins.a);
        this.pop(I32);
        this.pop(t);
        vals.push(I32);
        break;
      }
      case OP_TABLE_FILL: {
        const t = this.table(ins.a);
        this.pop(I32);
        this.pop(t);
        this.pop(I32);
        break;
      }
      case OP_REF_NULL: {
        if (!isRef(ins.a)) this.err('type-mismatch', `ref.null of non-reference type ${typeName(ins.a)}`);
        vals.push(ins.a);
        break;
      }
      case OP_REF_IS_NULL: {
        const t = this.popAny();
        if (!(isRef(t) || t === UNKNOWN)) this.err('type-mismatch', `type mismatch: ref.is_null of ${typeName(t)}`);
        vals.push(I32);
        break;
      }
      case OP_REF_FUNC: {
        this.func(ins.a);
        // Spec 3.3.2 / C.refs: a function body may only take references to declared functions.
        if (!this.c.refs[ins.a]) this.err('undeclared-func-ref', `undeclared function reference ${ins.a}`);
        vals.push(FUNCREF);
        break;
      }
      default:
        this.err('unknown-instruction', `unsupported instruction ${opName(ins.op)}`);
    }
  }
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
