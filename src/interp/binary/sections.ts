// Sections other than code and custom (spec 5.5.4-5.5.12, 5.5.14-5.5.15).
// Each reader consumes exactly one section's contents; decode.ts checks that it stopped at the end.

import { FUNCREF } from '../syntax/types.ts';
import type { Data, Elem, ElemMode, Export, ExternKind, Expr, FuncType, Global, Import, ImportDesc, MemType, RefType, TableType } from '../syntax/types.ts';
import { readExpr } from './code.ts';
import { Op } from './opcodes.ts';
import { readFuncType, readGlobalType, readMemType, readRefType, readTableType } from './read-types.ts';
import type { Reader } from './reader.ts';

/**
 * Reads vec(x) with `item`. The count is checked against the remaining bytes first (every element takes
 * at least one byte), and elements are pushed as they are read, so a huge count allocates nothing.
 */
function vec<T>(r: Reader, item: (r: Reader) => T): T[] {
  const n = r.count();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(r));
  return out;
}

// ---- Type section (5.5.4) ----

export function readTypeSection(r: Reader): FuncType[] {
  return vec(r, readFuncType);
}

// ---- Import section (5.5.5) ----

function readImport(r: Reader): Import {
  const module = r.name();
  const name = r.name();
  const at = r.pos;
  const kind = r.u8();
  let desc: ImportDesc;
  switch (kind) {
    case 0x00: desc = { kind: 'func', typeIdx: r.u32() }; break;
    case 0x01: desc = { kind: 'table', type: readTableType(r) }; break;
    case 0x02: desc = { kind: 'memory', type: readMemType(r) }; break;
    case 0x03: desc = { kind: 'global', type: readGlobalType(r) }; break;
    default: return r.fail('malformed-import-kind', `malformed import kind 0x${kind.toString(16)}`, at);
  }
  return { module, name, desc };
}

export function readImportSection(r: Reader): Import[] {
  return vec(r, readImport);
}

// ---- Function, table, memory, global sections (5.5.6-5.5.9) ----

export function readFunctionSection(r: Reader): number[] {
  return vec(r, (r) => r.u32());
}

export function readTableSection(r: Reader): TableType[] {
  return vec(r, readTableType);
}

export function readMemorySection(r: Reader): MemType[] {
  return vec(r, readMemType);
}

export function readGlobalSection(r: Reader): Global[] {
  return vec(r, (r) => ({ type: readGlobalType(r), init: readExpr(r) }));
}

// ---- Export section (5.5.10) ----

const EXPORT_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global'];

function readExport(r: Reader): Export {
  const name = r.name();
  const at = r.pos;
  const k = r.u8();
  const kind = EXPORT_KINDS[k];
  if (kind === undefined) return r.fail('malformed-export-kind', `malformed export kind 0x${k.toString(16)}`, at);
  return { name, kind, index: r.u32() };
}

export function readExportSection(r: Reader): Export[] {
  return vec(r, readExport);
}

// ---- Element section (5.5.12) ----
// The flags are a u32 whose three bits say: 1 = passive or declarative (else active), 2 = explicit
// table index (active) or declarative (not active), 4 = items are expressions (else function indices).

const ELEM_PASSIVE_OR_DECLARATIVE = 1;
const ELEM_EXPLICIT_TABLE_OR_DECLARATIVE = 2;
const ELEM_EXPRESSIONS = 4;

function readElemKind(r: Reader): RefType {
  const at = r.pos;
  const k = r.u8();
  // elemkind 0x00 is funcref, the only kind in WebAssembly 2.0.
  if (k !== 0x00) r.fail('malformed-elem-kind', `malformed element kind 0x${k.toString(16)}`, at);
  return FUNCREF;
}

/** vec(funcidx) as one `ref.func x` expression per index, so Elem.init is uniform. */
function readFuncIdxItems(r: Reader): Expr[] {
  const n = r.count();
  const items: Expr[] = [];
  for (let i = 0; i < n; i++) {
    const offset = r.pos;
    items.push([{ op: Op.ref_func, offset, a: r.u32(), b: 0 }]);
  }
  return items;
}

function readElem(r: Reader): Elem {
  const offset = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail('malformed-segment-flags', `malformed elements segment kind ${flags}`, offset);
  let mode: ElemMode;
  if (!(flags & ELEM_PASSIVE_OR_DECLARATIVE)) {
    const table = flags & ELEM_EXPLICIT_TABLE_OR_DECLARATIVE ? r.u32() : 0;
    mode = { kind: 'active', table, offset: readExpr(r) };
  } else {
    mode = flags & ELEM_EXPLICIT_TABLE_OR_DECLARATIVE ? { kind: 'declarative' } : { kind: 'passive' };
  }
  // Kinds 0 and 4 have no element type byte: it is funcref.
  const hasType = flags !== 0 && flags !== 4;
  if (flags & ELEM_EXPRESSIONS) {
    const type = hasType ? readRefType(r) : FUNCREF;
    return { type, init: readExprVec(r), mode, offset };
  }
  const type = hasType ? readElemKind(r) : FUNCREF;
  return { type, init: readFuncIdxItems(r), mode, offset };
}

function readExprVec(r: Reader): Expr[] {
  return vec(r, readExpr);
}

export function readElemSection(r: Reader): Elem[] {
  return vec(r, readElem);
}

// ---- Data section (5.5.14) ----

function readData(r: Reader): Data {
  const offset = r.pos;
  const flags = r.u32();
  let mode: Data['mode'];
  switch (flags) {
    case 0: mode = { kind: 'active', memory: 0, offset: readExpr(r) }; break;
    case 1: mode = { kind: 'passive' }; break;
    case 2: {
      const memory = r.u32();
      mode = { kind: 'active', memory, offset: readExpr(r) };
      break;
    }
    default: return r.fail('malformed-segment-flags', `malformed data segment kind ${flags}`, offset);
  }
  const n = r.u32();
  // Copy (new Uint8Array, not .slice(), which is a view on a Node Buffer), so the module neither keeps
  // the whole input alive nor sees later writes to it.
  const init = new Uint8Array(r.take(n));
  return { init, mode, offset };
}

export function readDataSection(r: Reader): Data[] {
  return vec(r, readData);
}
