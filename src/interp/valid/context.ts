// The validation context C (spec 3.1.1, "Contexts"), built once per module.
// Index spaces are flattened (imports first) so every check is an array lookup.

import { ValidationError } from '../errors.ts';
import type { Expr, FuncType, GlobalType, Module, RefType, TableType, MemType } from '../syntax/types.ts';
import { Op } from '../binary/opcodes.ts';

export interface Ctx {
  readonly m: Module;
  readonly types: readonly FuncType[];
  /** Type index of every function in the function index space (may be out of range until module checks ran). */
  readonly funcTypeIdx: readonly number[];
  readonly tables: readonly TableType[];
  readonly mems: readonly MemType[];
  readonly globals: readonly GlobalType[];
  /** Const expressions may only read imported globals (spec 3.4.10 / 3.4.12, context C'). */
  readonly numImportedGlobals: number;
  readonly elemTypes: readonly RefType[];
  readonly dataCount: number;
  /** C.refs (spec 3.4.10): 1 for each function index declared by an elem segment, export or global init. */
  readonly refs: Uint8Array;
}

/** The `kind` of every ValidationError this phase throws (messages start with the spec's wording). */
export type ValidationErrorKind =
  | 'type-mismatch' | 'invalid-result-arity' | 'unexpected-else' | 'unexpected-end' | 'unknown-instruction'
  | 'unknown-type' | 'unknown-func' | 'unknown-table' | 'unknown-memory' | 'unknown-global' | 'unknown-local'
  | 'unknown-label' | 'unknown-elem' | 'unknown-data'
  | 'immutable-global' | 'alignment' | 'undeclared-func-ref' | 'constant-expression-required'
  | 'multiple-memories' | 'memory-size-too-large' | 'table-size-too-large' | 'invalid-limits'
  | 'invalid-start' | 'duplicate-export';

export function fail(kind: ValidationErrorKind, message: string, offset = -1): never {
  throw new ValidationError(kind, message, offset);
}

export function buildContext(m: Module): Ctx {
  const funcTypeIdx: number[] = [];
  const tables: TableType[] = [];
  const mems: MemType[] = [];
  const globals: GlobalType[] = [];
  for (const im of m.imports) {
    const d = im.desc;
    if (d.kind === 'func') funcTypeIdx.push(d.typeIdx);
    else if (d.kind === 'table') tables.push(d.type);
    else if (d.kind === 'memory') mems.push(d.type);
    else globals.push(d.type);
  }
  const numImportedGlobals = globals.length;
  for (const f of m.funcs) funcTypeIdx.push(f.typeIdx);
  for (const t of m.tables) tables.push(t);
  for (const mt of m.mems) mems.push(mt);
  for (const g of m.globals) globals.push(g.type);

  const refs = new Uint8Array(funcTypeIdx.length);
  const declare = (e: Expr): void => {
    for (const ins of e) {
      // Out-of-range indices are reported by the const-expr check; here they are just not declared.
      if (ins.op === Op.ref_func && ins.a >= 0 && ins.a < refs.length) refs[ins.a] = 1;
    }
  };
  for (const el of m.elems) for (const e of el.init) declare(e);
  for (const g of m.globals) declare(g.init);
  for (const ex of m.exports) {
    if (ex.kind === 'func' && ex.index >= 0 && ex.index < refs.length) refs[ex.index] = 1;
  }

  return {
    m,
    types: m.types,
    funcTypeIdx,
    tables,
    mems,
    globals,
    numImportedGlobals,
    elemTypes: m.elems.map((e) => e.type),
    // The decoder ensures the data count section (when present) agrees with the data section.
    dataCount: m.dataCount ?? m.datas.length,
    refs,
  };
}

/** The type of function `idx`; call only after the module-level checks (type indices in range). */
export function funcType(c: Ctx, idx: number): FuncType {
  return c.types[c.funcTypeIdx[idx]!]!;
}
