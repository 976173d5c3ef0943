// Module-level validation (spec 3.2 "Types" for limits, 3.4 "Modules"): everything except function
// bodies, which func.ts checks. Offsets: functions and segments carry their own; imports, exports,
// tables, memories and globals have none in the AST, so those errors report the nearest offset we have.

import type { Limits } from '../syntax/types.ts';
import { I32, valTypeName } from '../syntax/types.ts';
import { checkConstExpr } from './const-expr.ts';
import { fail, funcType, type Ctx } from './context.ts';

/** Spec 3.2.4: memory limits are in 64 KiB pages and must stay within 2^16 (4 GiB). */
const MAX_MEMORY_PAGES = 65536;
/** Spec 3.2.1: table limits range over u32. */
const MAX_TABLE_SIZE = 2 ** 32 - 1;

export function checkModule(c: Ctx): void {
  const m = c.m;
  const nTypes = c.types.length;

  for (const im of m.imports) {
    const d = im.desc;
    const what = `import "${im.module}"."${im.name}"`;
    if (d.kind === 'func') {
      if (!(d.typeIdx >= 0 && d.typeIdx < nTypes)) fail('unknown-type', `unknown type ${d.typeIdx} in ${what}`);
    } else if (d.kind === 'table') {
      checkLimits(d.type.limits, MAX_TABLE_SIZE, 'table', what, -1);
    } else if (d.kind === 'memory') {
      checkLimits(d.type.limits, MAX_MEMORY_PAGES, 'memory', what, -1);
    }
  }

  for (let i = 0; i < m.funcs.length; i++) {
    const f = m.funcs[i]!;
    if (!(f.typeIdx >= 0 && f.typeIdx < nTypes)) fail('unknown-type', `unknown type ${f.typeIdx} for function body ${i}`, f.offset);
  }

  for (const t of m.tables) checkLimits(t.limits, MAX_TABLE_SIZE, 'table', 'table', -1);

  // Spec 3.4.10: at most one memory (multi-memory is not part of Wasm 2.0).
  if (c.mems.length > 1) fail('multiple-memories', `multiple memories (${c.mems.length}) are not allowed`);
  for (const mt of m.mems) checkLimits(mt.limits, MAX_MEMORY_PAGES, 'memory', 'memory', -1);

  for (let i = 0; i < m.globals.length; i++) {
    const g = m.globals[i]!;
    const fallback = g.init[0]?.offset ?? -1;
    checkConstExpr(c, g.init, g.type.type, `global ${c.numImportedGlobals + i} initializer`, fallback);
  }

  for (let i = 0; i < m.elems.length; i++) {
    const el = m.elems[i]!;
    const where = `element segment ${i}`;
    if (el.mode.kind === 'active') {
      const t = c.tables[el.mode.table];
      if (!(el.mode.table >= 0 && t)) fail('unknown-table', `unknown table ${el.mode.table} in ${where}`, el.offset);
      checkConstExpr(c, el.mode.offset, I32, `${where} offset`, el.offset);
      if (t.elem !== el.type) {
        fail('type-mismatch', `type mismatch: ${where} has type ${valTypeName(el.type)} but table ${el.mode.table} holds ${valTypeName(t.elem)}`, el.offset);
      }
    }
    for (const item of el.init) checkConstExpr(c, item, el.type, `${where} item`, el.offset);
  }

  for (let i = 0; i < m.datas.length; i++) {
    const d = m.datas[i]!;
    if (d.mode.kind !== 'active') continue;
    if (!(d.mode.memory >= 0 && d.mode.memory < c.mems.length)) fail('unknown-memory', `unknown memory ${d.mode.memory} in data segment ${i}`, d.offset);
    checkConstExpr(c, d.mode.offset, I32, `data segment ${i} offset`, d.offset);
  }

  if (m.start !== undefined) {
    const s = m.start;
    if (!(s >= 0 && s < c.funcTypeIdx.length)) fail('unknown-func', `unknown function ${s} (start function)`);
    const ft = funcType(c, s);
    // Spec 3.4.8: the start function has type [] -> [].
    if (ft.params.length !== 0 || ft.results.length !== 0) fail('invalid-start', `start function ${s} must have type [] -> []`);
  }

  const names = new Set<string>();
  for (const ex of m.exports) {
    const n = ex.kind === 'func' ? c.funcTypeIdx.length
      : ex.kind === 'table' ? c.tables.length
      : ex.kind === 'memory' ? c.mems.length
      : c.globals.length;
    if (!(ex.index >= 0 && ex.index < n)) fail(`unknown-${ex.kind}` as const, `unknown ${ex.kind === 'func' ? 'function' : ex.kind} ${ex.index} in export "${ex.name}"`);
    // Spec 3.4.10: export names are unique.
    if (names.has(ex.name)) fail('duplicate-export', `duplicate export name "${ex.name}"`);
    names.add(ex.name);
  }
}

/** Spec 3.2.1 / 3.2.4 / 3.2.5: min <= max and both within the kind's range. */
function checkLimits(l: Limits, range: number, kind: 'table' | 'memory', what: string, offset: number): void {
  const tooLarge = kind === 'memory' ? 'memory size must be at most 65536 pages (4GiB)' : `table size must be at most ${range}`;
  if (l.min > range) fail(`${kind}-size-too-large` as const, `${tooLarge} (${what}: minimum ${l.min})`, offset);
  if (l.max !== undefined) {
    if (l.max > range) fail(`${kind}-size-too-large` as const, `${tooLarge} (${what}: maximum ${l.max})`, offset);
    if (l.min > l.max) fail('invalid-limits', `size minimum must not be greater than maximum (${what}: ${l.min} > ${l.max})`, offset);
  }
}
