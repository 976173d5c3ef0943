// Instantiation (spec 4.5.4): match imports, allocate, evaluate constant expressions, run active
// segments (elems, then data), then the start function. A trap in a segment or in start fails
// instantiation, but writes already made to imported tables/memories stay, as the spec requires.

import type { EngineLimits, Extern, Imports } from '../api.ts';
import { LinkError } from '../errors.ts';
import type { Expr, ImportDesc, Limits, Module } from '../syntax/types.ts';
import { I32, importCounts } from '../syntax/types.ts';
import { dataInit, elemInit } from '../exec/bulk.ts';
import type { ModuleInst } from './module-inst.ts';
import type { Ref } from './store.ts';
import { FuncInst, GlobalInst, MemoryInst, SPEC_MAX_PAGES, TableInst, typeKey, wrapHost } from './store.ts';

export const DEFAULT_LIMITS: Required<EngineLimits> = {
  maxMemoryPages: SPEC_MAX_PAGES,
  maxTableSize: 10_000_000,
  maxCallDepth: 10_000,
  maxStackSlots: 1 << 20,
  maxLocals: 50_000,
};

export interface Instantiated {
  inst: ModuleInst;
  exports: Record<string, Extern>;
}

function linkFail(kind: string, msg: string): never {
  throw new LinkError(kind, msg);
}

/** Spec 4.5.2.1 limits subtyping: actual {min, max} matches declared {min, max}. */
function limitsMatch(actualMin: number, actualMax: number | undefined, want: Limits): boolean {
  if (actualMin < want.min) return false;
  if (want.max === undefined) return true;
  return actualMax !== undefined && actualMax <= want.max;
}

function resolveImport(m: Module, desc: ImportDesc, ext: Extern | undefined, where: string): FuncInst | TableInst | MemoryInst | GlobalInst {
  if (ext === undefined || ext === null) linkFail('unknown-import', `unknown import ${where}`);
  const bad = (): never => linkFail('incompatible-import-type', `incompatible import type for ${where}`);
  switch (desc.kind) {
    case 'func': {
      const want = m.types[desc.typeIdx];
      let f: FuncInst;
      if (ext.kind === 'host') f = wrapHost(ext, where.split('.')[0] ?? '', where.split('.').slice(1).join('.'));
      else if (ext instanceof FuncInst) f = ext;
      else return bad();
      if (typeKey(f.type) !== typeKey(want)) bad();
      return f;
    }
    case 'table':
      if (!(ext instanceof TableInst) || ext.type.elem !== desc.type.elem) return bad();
      if (!limitsMatch(ext.size(), ext.type.limits.max, desc.type.limits)) bad();
      return ext;
    case 'memory':
      if (!(ext instanceof MemoryInst)) return bad();
      if (!limitsMatch(ext.size(), ext.type.limits.max, desc.type.limits)) bad();
      return ext;
    case 'global':
      if (!(ext instanceof GlobalInst)) return bad();
      if (ext.type.type !== desc.type.type || ext.type.mutable !== desc.type.mutable) bad();
      return ext;
  }
}

/** Evaluate a constant expression (spec 3.3.10) into a global's cell/ref. */
function evalConst(expr: Expr, inst: ModuleInst, into: GlobalInst): void {
  for (const ins of expr) {
    switch (ins.op) {
      case 0x41: // i32.const
      case 0x43: // f32.const (bits)
        into.cell[0] = ins.a | 0;
        into.cell[1] = 0;
        break;
      case 0x42: // i64.const
      case 0x44: { // f64.const (bits)
        const x = BigInt.asUintN(64, ins.x!);
        into.cell[0] = Number(x & 0xffffffffn) | 0;
        into.cell[1] = Number(x >> 32n) | 0;
        break;
      }
      case 0xd0: into.ref = null; break;
      case 0xd2: into.ref = inst.funcs[ins.a]; break;
      case 0x23: {
        const g = inst.globals[ins.a];
        into.cell[0] = g.cell[0];
        into.cell[1] = g.cell[1];
        into.ref = g.ref;
        break;
      }
      default:
        throw new LinkError('bad-const-expr', `unsupported constant instruction 0x${ins.op.toString(16)}`, ins.offset);
    }
  }
}

function constI32(expr: Expr, inst: ModuleInst): number {
  const g = new GlobalInst({ type: I32, mutable: false });
  evalConst(expr, inst, g);
  return g.cell[0];
}
function constRef(expr: Expr, inst: ModuleInst): Ref {
  const g = new GlobalInst({ type: 0x70, mutable: false });
  evalConst(expr, inst, g);
  return g.ref;
}

/**
 * Link and initialise an instance. `runStart` runs the start function (the engine supplies it, since
 * running code needs the executor).
 */
export function instantiateModule(
  m: Module,
  imports: Imports,
  limits: Required<EngineLimits>,
  runStart: (f: FuncInst, inst: ModuleInst) => void,
): Instantiated {
  const counts = importCounts(m);
  const inst: ModuleInst = {
    module: m, funcs: [], tables: [], mems: [], globals: [], elems: [], datas: [],
    numImportedFuncs: counts.funcs, maxLocals: limits.maxLocals,
  };
  for (const im of m.imports) {
    const where = `${im.module}.${im.name}`;
    const ext = resolveImport(m, im.desc, imports[im.module]?.[im.name], where);
    if (ext instanceof FuncInst) inst.funcs.push(ext);
    else if (ext instanceof TableInst) inst.tables.push(ext);
    else if (ext instanceof MemoryInst) inst.mems.push(ext);
    else inst.globals.push(ext);
  }
  m.funcs.forEach((fn, i) => inst.funcs.push(new FuncInst(m.types[fn.typeIdx], inst, counts.funcs + i, undefined)));
  for (const t of m.tables) inst.tables.push(new TableInst(t, limits.maxTableSize));
  for (const mt of m.mems) {
    const declaredMax = mt.limits.max ?? SPEC_MAX_PAGES;
    inst.mems.push(new MemoryInst(mt, Math.min(declaredMax, limits.maxMemoryPages)));
  }
  for (const g of m.globals) {
    const gi = new GlobalInst(g.type);
    evalConst(g.init, inst, gi);
    inst.globals.push(gi);
  }

  const exports: Record<string, Extern> = {};
  for (const ex of m.exports) {
    const space = ex.kind === 'func' ? inst.funcs : ex.kind === 'table' ? inst.tables : ex.kind === 'memory' ? inst.mems : inst.globals;
    exports[ex.name] = space[ex.index] as Extern;
  }

  inst.elems = m.elems.map((e) => e.init.map((x) => constRef(x, inst)));
  inst.datas = m.datas.map((dseg) => dseg.init);

  // Spec 4.5.4 steps 14-15: active element segments, then active data segments, in order.
  m.elems.forEach((e, i) => {
    if (e.mode.kind === 'active') {
      const off = constI32(e.mode.offset, inst) >>> 0;
      elemInit(inst.tables[e.mode.table], inst.elems[i], off, 0, inst.elems[i]!.length);
      inst.elems[i] = null;
    } else if (e.mode.kind === 'declarative') inst.elems[i] = null;
  });
  m.datas.forEach((dseg, i) => {
    if (dseg.mode.kind !== 'active') return;
    const off = constI32(dseg.mode.offset, inst) >>> 0;
    const mem = inst.mems[dseg.mode.memory];
    dataInit(mem.u8, inst.datas[i], off, 0, dseg.init.length);
    inst.datas[i] = null;
  });

  if (m.start !== undefined) runStart(inst.funcs[m.start], inst);
  return { inst, exports };
}

