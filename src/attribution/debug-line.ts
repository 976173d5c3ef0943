// A DWARF `.debug_line` parser (DWARF 5 §6.2; versions 2–5, 32- and 64-bit units), as LLVM and Zig emit
// it into wasm custom sections. It runs each line program and keeps the row matrix per sequence, so a code
// address can be mapped to file:line:column.
//
// Wasm addresses (WebAssembly tool-conventions, Debugging.md): a code address is the byte offset from the
// start of the Code section's contents (after its id and size), so engine module offsets are translated
// by the caller (see locate.ts). Only what a line table needs is read; DW_FORM_strx (which needs
// .debug_str_offsets and .debug_info) is refused with a typed error.
//
// Conventions: `at` a byte position in the section, `u` a unit, `seq` one address sequence.

import { DwarfError, DwarfReader as Reader } from './dwarf-reader.ts';

export { DwarfError };


export interface LineRow {
  address: number;
  /** Index into the unit's `files`. */
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
}

export interface LineSequence {
  /** Address of the first row. */
  start: number;
  /** One past the last instruction (the end_sequence row's address). */
  end: number;
  rows: LineRow[];
  /** Resolved file paths of the unit the sequence belongs to. */
  files: string[];
}

export interface LineTable {
  version: number;
  sequences: LineSequence[];
  /** Each unit's resolved file list by its offset in the section (a CU's DW_AT_stmt_list points here). */
  units: Map<number, string[]>;
}

export interface DebugSections {
  line: Uint8Array;
  /** For DW_FORM_line_strp (DWARF 5). */
  lineStr?: Uint8Array;
  /** For DW_FORM_strp. */
  str?: Uint8Array;
}

const DW_LNS = { copy: 1, advance_pc: 2, advance_line: 3, set_file: 4, set_column: 5, negate_stmt: 6, set_basic_block: 7, const_add_pc: 8, fixed_advance_pc: 9 } as const;
const DW_LNE = { end_sequence: 1, set_address: 2, define_file: 3 } as const;
const DW_LNCT = { path: 1, directory_index: 2 } as const;
const DW_FORM = { string: 0x08, line_strp: 0x1f, strp: 0x0e, udata: 0x0f, data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, data16: 0x1e, block: 0x09 } as const;

const utf8 = new TextDecoder('utf-8');

function strAt(sec: Uint8Array | undefined, off: number, name: string, at: number): string {
  if (!sec || off >= sec.length) throw new DwarfError('bad-header', `string offset ${off} outside ${name}`, at);
  let end = off;
  while (end < sec.length && sec[end] !== 0) end++;
  return utf8.decode(sec.subarray(off, end));
}

/** Read one attribute value of a DWARF 5 entry format; strings come back as string, numbers as number. */
function formValue(r: Reader, form: number, offSize: number, s: DebugSections): string | number | undefined {
  const at = r.at;
  switch (form) {
    case DW_FORM.string:
      return r.cstr();
    case DW_FORM.line_strp:
      return strAt(s.lineStr, offSize === 8 ? r.u64() : r.u32(), '.debug_line_str', at);
    case DW_FORM.strp:
      return strAt(s.str, offSize === 8 ? r.u64() : r.u32(), '.debug_str', at);
    case DW_FORM.udata:
      return r.uleb();
    case DW_FORM.data1:
      return r.u8();
    case DW_FORM.data2:
      return r.u16();
    case DW_FORM.data4:
      return r.u32();
    case DW_FORM.data8:
      return r.u64();
    case DW_FORM.data16:
      r.need(16);
      r.at += 16;
      return undefined;
    case DW_FORM.block: {
      const n = r.uleb();
      r.need(n);
      r.at += n;
      return undefined;
    }
    default:
      throw new DwarfError('unsupported-form', `unsupported DW_FORM 0x${form.toString(16)} in a line table header`, at);
  }
}

function entries(r: Reader, offSize: number, s: DebugSections): { path: string; dir: number }[] {
  const formats: [number, number][] = [];
  const n = r.u8();
  for (let i = 0; i < n; i++) formats.push([r.uleb(), r.uleb()]);
  const count = r.uleb();
  const out: { path: string; dir: number }[] = [];
  for (let i = 0; i < count; i++) {
    let path = '';
    let dir = 0;
    for (const [ct, form] of formats) {
      const v = formValue(r, form, offSize, s);
      if (ct === DW_LNCT.path && typeof v === 'string') path = v;
      else if (ct === DW_LNCT.directory_index && typeof v === 'number') dir = v;
    }
    out.push({ path, dir });
  }
  return out;
}

function join(dir: string, file: string): string {
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || dir === '') return file;
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

/** Parse every unit of a .debug_line section into address sequences. */
export function parseDebugLine(s: DebugSections): LineTable {
  const r = new Reader(s.line);
  const sequences: LineSequence[] = [];
  const units = new Map<number, string[]>();
  let version = 0;
  while (r.at < s.line.length) {
    const unitStart = r.at;
    let unitLength = r.u32();
    let offSize = 4;
    if (unitLength === 0xffffffff) {
      unitLength = r.u64();
      offSize = 8;
    }
    const unitEnd = r.at + unitLength;
    if (unitEnd > s.line.length) throw new DwarfError('truncated', 'line table unit runs past the section', unitStart);
    version = r.u16();
    if (version < 2 || version > 5) throw new DwarfError('bad-version', `unsupported line table version ${version}`, unitStart);
    let addrSize = 4; // wasm32
    if (version >= 5) {
      addrSize = r.u8();
      r.u8(); // segment_selector_size
    }
    const headerLength = offSize === 8 ? r.u64() : r.u32();
    const programStart = r.at + headerLength;
    const minInst = r.u8();
    if (version >= 4) r.u8(); // maximum_operations_per_instruction (VLIW only; 1 here)
    const defaultIsStmt = r.u8() !== 0;
    const lineBase = (r.u8() << 24) >> 24;
    const lineRange = r.u8();
    const opcodeBase = r.u8();
    if (lineRange === 0 || opcodeBase === 0) throw new DwarfError('bad-header', 'line_range and opcode_base must be non-zero', unitStart);
    const opLengths = [0];
    for (let i = 1; i < opcodeBase; i++) opLengths.push(r.u8());

    let files: string[];
    if (version >= 5) {
      const dirs = entries(r, offSize, s).map((d) => d.path);
      // DWARF 5: directory 0 is the compilation directory, file indices start at 0.
      files = entries(r, offSize, s).map((f) => join(dirs[f.dir] ?? '', f.path));
    } else {
      // DWARF 2–4: directory 0 is the compilation directory (not in this header), files start at 1.
      const dirs = [''];
      for (let d = r.cstr(); d !== ''; d = r.cstr()) dirs.push(d);
      files = [''];
      for (let f = r.cstr(); f !== ''; f = r.cstr()) {
        const dir = r.uleb();
        r.uleb(); // mtime
        r.uleb(); // length
        files.push(join(dirs[dir] ?? '', f));
      }
    }
    if (programStart > unitEnd) throw new DwarfError('bad-header', 'header_length runs past the unit', unitStart);
    units.set(unitStart, files);
    r.at = programStart;

    // The state machine (§6.2.2).
    let address = 0;
    let file = 1;
    let line = 1;
    let column = 0;
    let isStmt = defaultIsStmt;
    let rows: LineRow[] = [];
    const emit = () => rows.push({ address, file, line, column, isStmt });
    const reset = () => {
      address = 0;
      file = 1;
      line = 1;
      column = 0;
      isStmt = defaultIsStmt;
      rows = [];
    };
    reset();
    while (r.at < unitEnd) {
      const op = r.u8();
      if (op >= opcodeBase) {
        const adj = op - opcodeBase;
        address += Math.floor(adj / lineRange) * minInst;
        line += lineBase + (adj % lineRange);
        emit();
      } else if (op === 0) {
        const len = r.uleb();
        const next = r.at + len;
        if (len === 0) continue;
        const sub = r.u8();
        if (sub === DW_LNE.end_sequence) {
          if (rows.length > 0) sequences.push({ start: rows[0].address, end: address, rows, files });
          reset();
        } else if (sub === DW_LNE.set_address) address = r.addr(len - 1);
        else if (sub === DW_LNE.define_file) {
          const name = r.cstr();
          r.uleb();
          r.uleb();
          r.uleb();
          files = [...files, name];
        }
        r.at = next;
      } else if (op === DW_LNS.copy) emit();
      else if (op === DW_LNS.advance_pc) address += r.uleb() * minInst;
      else if (op === DW_LNS.advance_line) line += r.sleb();
      else if (op === DW_LNS.set_file) file = r.uleb();
      else if (op === DW_LNS.set_column) column = r.uleb();
      else if (op === DW_LNS.negate_stmt) isStmt = !isStmt;
      else if (op === DW_LNS.set_basic_block) {
        // no state a lookup needs
      } else if (op === DW_LNS.const_add_pc) address += Math.floor((255 - opcodeBase) / lineRange) * minInst;
      else if (op === DW_LNS.fixed_advance_pc) address += r.u16();
      else for (let i = 0; i < opLengths[op]; i++) r.uleb(); // prologue_end, epilogue_begin, set_isa, unknown
    }
    r.at = unitEnd;
  }
  return { version, sequences, units };
}
