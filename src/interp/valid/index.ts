// Validation (spec chapter 3). Public surface: validate(). Module-level rules live in module.ts,
// constant expressions in const-expr.ts, function bodies in func.ts; each check lives in one place.

import type { Module } from '../syntax/types.ts';
import { buildContext } from './context.ts';
import { FuncChecker } from './func.ts';
import { checkModule } from './module.ts';

export type { ValidationErrorKind } from './context.ts';

/** Throws ValidationError (with `kind` and the offending byte offset) if `m` is not valid Wasm 2.0. */
export function validate(m: Module): void {
  const c = buildContext(m);
  checkModule(c);
  const fc = new FuncChecker(c);
  const base = c.funcTypeIdx.length - m.funcs.length;
  for (let i = 0; i < m.funcs.length; i++) fc.check(m.funcs[i]!, base + i);
}
