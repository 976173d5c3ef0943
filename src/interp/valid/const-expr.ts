// Constant expressions (spec 3.3.10, "Constant Expressions", Wasm 2.0 rules): global initialisers,
// segment offsets and element items. Only t.const, ref.null, ref.func and global.get of an imported,
// immutable global are allowed, and the expression must produce exactly one value of the expected type.

import type { Expr, ValType } from '../syntax/types.ts';
import { FUNCREF, I32, I64, F32, F64, isRefType, valTypeName } from '../syntax/types.ts';
import { Op, opName } from '../binary/opcodes.ts';
import { fail, type Ctx } from './context.ts';

/**
 * Check `e` under the const-expr context (only imported globals are visible, spec 3.4.10) and that it
 * yields `[expected]`. `where` names the construct for messages; `fallbackOffset` is used when `e` is empty.
 */
export function checkConstExpr(c: Ctx, e: Expr, expected: ValType, where: string, fallbackOffset: number): void {
  const stack: ValType[] = [];
  for (const ins of e) {
    switch (ins.op) {
      case Op.i32_const: stack.push(I32); break;
      case Op.i64_const: stack.push(I64); break;
      case Op.f32_const: stack.push(F32); break;
      case Op.f64_const: stack.push(F64); break;
      case Op.ref_null:
        if (!isRefType(ins.a)) fail('type-mismatch', `type mismatch: ref.null of non-reference type ${valTypeName(ins.a)}`, ins.offset);
        stack.push(ins.a);
        break;
      case Op.ref_func:
        if (!(ins.a >= 0 && ins.a < c.funcTypeIdx.length)) fail('unknown-func', `unknown function ${ins.a} in ${where}`, ins.offset);
        stack.push(FUNCREF);
        break;
      case Op.global_get: {
        if (!(ins.a >= 0 && ins.a < c.numImportedGlobals)) {
          fail('unknown-global', `unknown global ${ins.a} in ${where} (only imported globals are visible)`, ins.offset);
        }
        const g = c.globals[ins.a]!;
        if (g.mutable) fail('constant-expression-required', `constant expression required: global.get of mutable global ${ins.a} in ${where}`, ins.offset);
        stack.push(g.type);
        break;
      }
      default:
        fail('constant-expression-required', `constant expression required: ${opName(ins.op)} is not constant (in ${where})`, ins.offset);
    }
  }
  const at = e.length > 0 ? e[e.length - 1]!.offset : fallbackOffset;
  if (stack.length !== 1 || stack[0] !== expected) {
    const got = `[${stack.map(valTypeName).join(' ')}]`;
    fail('type-mismatch', `type mismatch: ${where} has type ${got}, expected [${valTypeName(expected)}]`, at);
  }
}
