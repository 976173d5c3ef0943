// The few facts about a module that the JS API does not reflect: the type of every function, table,
// memory and global in each index space, so that values can be converted at the boundary (an f32 result
// and an i32 result are both plain numbers in JS) and host imports can be type-checked at link time.
//
// This reads only sections 1-7 (type, import, function, table, memory, global, export) of a module that
// the platform has already compiled, so it can assume well-formed input; anything it cannot follow
// (a future feature) leaves the remaining facts unknown rather than throwing. Spec 5.5 (binary modules).

import type { FuncType, GlobalType, Limits, MemType, RefType, TableType, ValType } from '../syntax/types.ts';
import type { ExternKind } from '../syntax/types.ts';

export interface ModuleInfo {
  /** Function types by function index (imports first); undefined where the reader gave up. */
  funcs: (FuncType | undefined)[];
  tables: (TableType | undefined)[];
  mems: (MemType | undefined)[];
  globals: (GlobalType | undefined)[];
  imports: { module: string; name: string; kind: ExternKind; type: FuncType | TableType | MemType | GlobalType | undefined }[];
  exports: Map<string, { kind: ExternKind; index: number }>;
}

const SEC_TYPE = 1, SEC_IMPORT = 2, SEC_FUNC = 3, SEC_TABLE = 4, SEC_MEMORY = 5, SEC_GLOBAL = 6, SEC_EXPORT = 7;
const FUNC_TYPE_FORM = 0x60;
const KINDS: ExternKind[] = ['func', 'table', 'memory', 'global'];

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array, readonly end = b.length) {}
  byte(): number {
    if (this.pos >= this.end) throw new RangeError('eof');
    return this.b[this.pos++];
  }
  u32(): number {
    let result = 0, shift = 0, byte: number;
    do {
      byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }
  /** Skips a signed LEB128 of any width. */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  limits(): Limits {
    const flags = this.byte();
    const min = this.u32();
    return flags & 1 ? { min, max: this.u32() } : { min };
  }
  tableType(): TableType {
    const elem = this.byte() as RefType;
    return { elem, limits: this.limits() };
  }
  globalType(): GlobalType {
    const type: ValType = this.byte();
    return { type, mutable: this.byte() === 1 };
  }
  /** Skips a constant expression (spec 3.3.10): the 2.0 set plus extended-const arithmetic. */
  skipConstExpr(): void {
    for (;;) {
      const op = this.byte();
      switch (op) {
        case 0x0b: return; // end
        case 0x41: case 0x42: this.skipLeb(); break; // i32.const, i64.const
        case 0x43: this.pos += 4; break; // f32.const
        case 0x44: this.pos += 8; break; // f64.const
        case 0x23: case 0xd2: this.u32(); break; // global.get, ref.func
        case 0xd0: this.byte(); break; // ref.null t
        case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break; // extended-const
        default: throw new RangeError(`unknown const op 0x${op.toString(16)}`);
      }
    }
  }
}

export function readModuleInfo(bytes: Uint8Array): ModuleInfo {
  const info: ModuleInfo = { funcs: [], tables: [], mems: [], globals: [], imports: [], exports: new Map() };
  const types: FuncType[] = [];
  const r = new Reader(bytes);
  try {
    r.pos = 8; // magic + version, already checked by the platform
    while (r.pos < bytes.length) {
      const id = r.byte();
      const size = r.u32();
      const end = r.pos + size;
      if (id > SEC_EXPORT && id !== 0) break; // nothing we need comes after the export section
      const s = new Reader(bytes, end);
      s.pos = r.pos;
      readSection(id, s, info, types);
      r.pos = end;
    }
  } catch {
    // Unknown encoding (a feature newer than this reader): keep what was read so far.
  }
  return info;
}

function readSection(id: number, s: Reader, info: ModuleInfo, types: FuncType[]): void {
  switch (id) {
    case SEC_TYPE: {
      const n = s.u32();
      for (let i = 0; i < n; i++) {
        if (s.byte() !== FUNC_TYPE_FORM) throw new RangeError('non-function type');
        const params = Array.from({ length: s.u32() }, () => s.byte());
        const results = Array.from({ length: s.u32() }, () => s.byte());
        types.push({ params, results });
      }
      break;
    }
    case SEC_IMPORT: {
      const n = s.u32();
      for (let i = 0; i < n; i++) {
        const module = s.name();
        const name = s.name();
        const kind = KINDS[s.byte()];
        let type: ModuleInfo['imports'][number]['type'];
        if (kind === 'func') info.funcs.push((type = types[s.u32()]));
        else if (kind === 'table') info.tables.push((type = s.tableType()));
        else if (kind === 'memory') info.mems.push((type = { limits: s.limits() }));
        else if (kind === 'global') info.globals.push((type = s.globalType()));
        else throw new RangeError('unknown import kind');
        info.imports.push({ module, name, kind, type });
      }
      break;
    }
    case SEC_FUNC: {
      const n = s.u32();
      for (let i = 0; i < n; i++) info.funcs.push(types[s.u32()]);
      break;
    }
    case SEC_TABLE: {
      const n = s.u32();
      for (let i = 0; i < n; i++) info.tables.push(s.tableType());
      break;
    }
    case SEC_MEMORY: {
      const n = s.u32();
      for (let i = 0; i < n; i++) info.mems.push({ limits: s.limits() });
      break;
    }
    case SEC_GLOBAL: {
      const n = s.u32();
      for (let i = 0; i < n; i++) {
        info.globals.push(s.globalType());
        s.skipConstExpr();
      }
      break;
    }
    case SEC_EXPORT: {
      const n = s.u32();
      for (let i = 0; i < n; i++) {
        const name = s.name();
        const kind = KINDS[s.byte()];
        info.exports.set(name, { kind, index: s.u32() });
      }
      break;
    }
  }
}

/** Whether the module has a section with this id (scans section headers only). */
export function hasSection(bytes: Uint8Array, want: number): boolean {
  const r = new Reader(bytes);
  try {
    r.pos = 8;
    while (r.pos < bytes.length) {
      const id = r.byte();
      if (id === want) return true;
      const size = r.u32(); // not `r.pos += r.u32()`: that would add to the position before the LEB
      r.pos += size;
    }
  } catch {
    // truncated: the platform has already reported that
  }
  return false;
}
