// Test-only helpers: build Module ASTs by hand (used by the *.test.ts files beside this one).
// Every instruction gets a distinct offset so tests can check which instruction an error names.

import type { Elem, Func, FuncType, Global, Instr, LocalRun, Module, ValType } from '../syntax/types.ts';
import { OPS } from '../binary/opcodes.ts';
import { ValidationError } from '../errors.ts';
import { validate } from './index.ts';

const BY_NAME = new Map<string, number>();
for (const row of OPS) if (row && !BY_NAME.has(row.name)) BY_NAME.set(row.name, row.op);

let nextOffset = 0x100;

/** One instruction by its text name; `select_t` names typed select. */
export function I(name: string, a = 0, b = 0, more: Partial<Instr> = {}): Instr {
  const op = name === 'select_t' ? 0x1c : BY_NAME.get(name);
  if (op === undefined) throw new Error(`test helper: no op named ${name}`);
  return { op, offset: nextOffset++, a, b, ...more };
}

export const END = (): Instr => I('end');

export function emptyModule(): Module {
  return {
    types: [], imports: [], funcs: [], tables: [], mems: [], globals: [], exports: [],
    elems: [], datas: [], names: { funcs: new Map(), locals: new Map() }, customs: [],
  };
}

/** Adds a type (deduplicated by structure) and returns its index. */
export function addType(m: Module, ft: FuncType): number {
  const k = m.types.findIndex((t) => sameList(t.params, ft.params) && sameList(t.results, ft.results));
  if (k >= 0) return k;
  m.types.push(ft);
  return m.types.length - 1;
}

/** Adds a function whose body is `body` followed by the final `end`. */
export function addFunc(m: Module, ft: FuncType, body: Instr[], locals: LocalRun[] = []): Func {
  const f: Func = {
    typeIdx: addType(m, ft),
    locals,
    numLocals: locals.reduce((s, r) => s + r.count, 0),
    body: [...body, END()],
    offset: nextOffset++,
  };
  m.funcs.push(f);
  return f;
}

/** A module with one function of type `params -> results` and the given body (final end added). */
export function funcModule(params: ValType[], results: ValType[], body: Instr[], locals: LocalRun[] = []): Module {
  const m = emptyModule();
  addFunc(m, { params, results }, body, locals);
  return m;
}

export function global(type: ValType, mutable: boolean, init: Instr[]): Global {
  return { type: { type, mutable }, init };
}

export function elem(e: Partial<Elem> & Pick<Elem, 'type'>): Elem {
  return { init: [], mode: { kind: 'passive' }, offset: nextOffset++, ...e };
}

/** The ValidationError thrown by validate(m), or undefined if it passed (other errors propagate). */
export function validationError(m: Module): ValidationError | undefined {
  try {
    validate(m);
    return undefined;
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
}

function sameList(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
