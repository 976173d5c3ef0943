// Shrink the DWARF kept in build.wasm to what src/attribution reads. Attribution takes only the inline call
// sites from .debug_info (src/attribution/debug-info.ts): each DW_TAG_inlined_subroutine's call_file /
// call_line / call_column and pc range, its depth in the DIE tree, and per unit the line table
// (DW_AT_stmt_list) and base address (DW_AT_low_pc). Everything else — types, variables, parameters, call
// sites, names (already pointing into the dropped .debug_str), abstract origins — is about 80% of
// .debug_info and none of it is read.
//
// The rewrite keeps, per unit, the unit DIE; every inlined_subroutine; and the DIEs on the path from the
// unit to one (subprograms, lexical blocks), so each inline site keeps its depth and its DIE order, which is
// what orders nested sites at an address. Kept attributes are copied byte for byte with their form
// (DW_AT_ranges is re-pointed into a new .debug_ranges holding only the lists still referenced, each copied
// verbatim, base-address entries included); all units share one fresh abbreviation table at offset 0. The
// result is still DWARF of the same version (llvm-dwarfdump reads it) with no dangling references: the
// reference-class attributes (abstract_origin, sibling, type) go with the DIEs they pointed at.
//
// Only 32-bit DWARF 2–4 units are rewritten (what Zig emits for wasm32); anything else leaves the module
// unchanged, as does any DWARF this cannot parse (attribution then sees exactly what it saw before).

import { abbrevTable, attrValue, type Abbrev } from '../attribution/debug-info.ts';
import { DwarfError, DwarfReader as Reader } from '../attribution/dwarf-reader.ts';
import { customSectionBody, listSections, replaceCustomSections } from './wasm-sections.ts';

const TAG_INLINED = 0x1d;
const AT = {
  stmt_list: 0x10,
  low_pc: 0x11,
  high_pc: 0x12,
  language: 0x13,
  ranges: 0x55,
  call_column: 0x57,
  call_file: 0x58,
  call_line: 0x59,
} as const;
const FORM = { data4: 0x06, indirect: 0x16, sec_offset: 0x17 } as const;

/** Attributes kept on the unit DIE, on inline sites, and on the DIEs between them. */
const UNIT_ATTRS = new Set<number>([AT.stmt_list, AT.low_pc, AT.high_pc, AT.ranges, AT.language]);
const INLINE_ATTRS = new Set<number>([AT.low_pc, AT.high_pc, AT.ranges, AT.call_file, AT.call_line, AT.call_column]);
const SCOPE_ATTRS = new Set<number>([AT.low_pc, AT.high_pc, AT.ranges]);

interface Attr {
  at: number;
  /** The form of the value (DW_FORM_indirect resolved). */
  form: number;
  /** The value's bytes in .debug_info (after an indirect form's own uleb). */
  start: number;
  end: number;
}

interface Die {
  tag: number;
  attrs: Attr[];
  children: Die[];
  keep: boolean;
}

interface Unit {
  version: number;
  addrSize: number;
  root: Die | undefined;
}

class TrimSkip extends Error {
  override name = 'TrimSkip';
}

/** The shared reader's table (src/attribution/debug-info.ts); implicit_const (DWARF 5) is not re-emitted here. */
function readAbbrevTable(abbrev: Uint8Array, offset: number): Map<number, Abbrev> {
  const table = abbrevTable(abbrev, offset);
  for (const decl of table.values()) if (decl.attrs.some((a) => a.implicit !== undefined)) throw new TrimSkip('implicit_const is DWARF 5');
  return table;
}

function parseUnits(info: Uint8Array, abbrev: Uint8Array): Unit[] {
  const units: Unit[] = [];
  const tables = new Map<number, Map<number, Abbrev>>();
  let at = 0;
  while (at < info.length) {
    const r = new Reader(info, at);
    const length = r.u32();
    if (length >= 0xfffffff0) throw new TrimSkip('64-bit DWARF');
    const end = r.at + length;
    if (end > info.length) throw new TrimSkip('unit runs past .debug_info');
    const version = r.u16();
    if (version < 2 || version > 4) throw new TrimSkip(`version ${version}`);
    const abbrevOff = r.u32();
    const addrSize = r.u8();
    let table = tables.get(abbrevOff);
    if (!table) tables.set(abbrevOff, (table = readAbbrevTable(abbrev, abbrevOff)));
    const unit: Unit = { version, addrSize, root: undefined };
    const cu = { offSize: 4, addrSize, version }; // 32-bit DWARF only (checked above)
    // Open DIEs with children, innermost last; a 0 code closes the innermost.
    const open: Die[] = [];
    while (r.at < end) {
      const code = r.uleb();
      if (code === 0) {
        // A null before the unit DIE would shift every depth attribution reads; leave such DWARF alone.
        if (!unit.root) throw new TrimSkip('null entry before the unit DIE');
        open.pop();
        continue;
      }
      const decl = table.get(code);
      if (!decl) throw new TrimSkip(`abbreviation ${code}`);
      const attrs: Attr[] = [];
      for (const { at: name, form: declForm } of decl.attrs) {
        let form = declForm;
        while (form === FORM.indirect) form = r.uleb();
        const start = r.at;
        attrValue(r, form, cu);
        attrs.push({ at: name, form, start, end: r.at });
      }
      const die: Die = { tag: decl.tag, attrs, children: [], keep: false };
      const parent = open.at(-1);
      if (parent) parent.children.push(die);
      else if (!unit.root) unit.root = die;
      // A second top-level DIE (or one after the unit DIE closed) is not something attribution reads as a
      // unit DIE's sibling in the same way; leave such DWARF alone rather than guess.
      else throw new TrimSkip('more than one top-level DIE in a unit');
      if (decl.children) open.push(die);
    }
    if (r.at !== end) throw new TrimSkip('DIE runs past its unit');
    units.push(unit);
    at = end;
  }
  return units;
}

/** A DW_AT_ranges value (a section offset in a constant or sec_offset form). */
function offsetValue(info: Uint8Array, a: Attr): number {
  const r = new Reader(info, a.start);
  if (a.form === 0x0f) return r.uleb();
  const size = { 0x0b: 1, 0x05: 2, 0x06: 4, 0x07: 8, 0x17: 4 }[a.form];
  if (size === undefined) throw new TrimSkip(`DW_AT_ranges in form 0x${a.form.toString(16)}`);
  return r.fixed(size);
}

/** Mark the DIEs to keep: inline sites and everything above one. */
function mark(d: Die): boolean {
  let any = d.tag === TAG_INLINED;
  for (const c of d.children) if (mark(c)) any = true;
  d.keep = any;
  return any;
}

class ByteSink {
  private buf = new Uint8Array(1 << 16);
  length = 0;
  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): void {
    this.grow(1);
    this.buf[this.length++] = b;
  }
  bytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  uleb(v: number): void {
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) b |= 0x80;
      this.byte(b);
    } while (v > 0);
  }
  u16(v: number): void {
    this.byte(v & 0xff);
    this.byte((v >>> 8) & 0xff);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  setU32(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
    this.buf[at + 2] = (v >>> 16) & 0xff;
    this.buf[at + 3] = (v >>> 24) & 0xff;
  }
  done(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }
}

export interface TrimmedDwarf {
  info: Uint8Array<ArrayBuffer>;
  abbrev: Uint8Array<ArrayBuffer>;
  /** The new .debug_ranges; undefined when no kept DIE refers to one. */
  ranges: Uint8Array<ArrayBuffer> | undefined;
}

/** The three sections rewritten as described above; undefined when the DWARF is not one this rewrites. */
export function trimDebugInfo(info: Uint8Array, abbrev: Uint8Array, ranges: Uint8Array | undefined): TrimmedDwarf | undefined {
  let units: Unit[];
  try {
    units = parseUnits(info, abbrev);
  } catch (e) {
    if (e instanceof TrimSkip || e instanceof DwarfError) return undefined;
    throw e;
  }
  const abbrevOut = new ByteSink();
  const codes = new Map<string, number>();
  const codeOf = (tag: number, children: boolean, attrs: [number, number][]): number => {
    const key = `${tag}:${children ? 1 : 0}:${attrs.join(';')}`;
    let code = codes.get(key);
    if (code === undefined) {
      codes.set(key, (code = codes.size + 1));
      abbrevOut.uleb(code);
      abbrevOut.uleb(tag);
      abbrevOut.byte(children ? 1 : 0);
      for (const [at, form] of attrs) {
        abbrevOut.uleb(at);
        abbrevOut.uleb(form);
      }
      abbrevOut.uleb(0);
      abbrevOut.uleb(0);
    }
    return code;
  };

  const rangesOut = new ByteSink();
  /** Old .debug_ranges offset → new, per address size (a list is read with its unit's size). */
  const movedLists = new Map<string, number>();
  const copyList = (off: number, addrSize: number): number | undefined => {
    if (!ranges || off >= ranges.length) return undefined;
    const key = `${addrSize}:${off}`;
    const known = movedLists.get(key);
    if (known !== undefined) return known;
    const r = new Reader(ranges, off);
    for (;;) {
      const a = r.fixed(addrSize);
      const b = r.fixed(addrSize);
      if (a === 0 && b === 0) break;
    }
    const now = rangesOut.length;
    rangesOut.bytes(ranges.subarray(off, r.at));
    movedLists.set(key, now);
    return now;
  };

  const infoOut = new ByteSink();
  try {
    for (const unit of units) {
      const start = infoOut.length;
      infoOut.u32(0); // unit_length, patched below
      infoOut.u16(unit.version);
      infoOut.u32(0); // debug_abbrev_offset: the one shared table
      infoOut.byte(unit.addrSize);
      const emit = (d: Die, allowed: ReadonlySet<number>): void => {
        const kids = d.children.filter((c) => c.keep);
        const attrs: [number, number][] = [];
        const values: (Uint8Array | number)[] = [];
        for (const a of d.attrs) {
          if (!allowed.has(a.at)) continue;
          if (a.at === AT.ranges) {
            // A list past the section reads as empty, as would no attribute at all.
            const off = copyList(offsetValue(info, a), unit.addrSize);
            if (off === undefined) continue;
            attrs.push([a.at, unit.version >= 4 ? FORM.sec_offset : FORM.data4]);
            values.push(off);
          } else {
            attrs.push([a.at, a.form]);
            values.push(info.subarray(a.start, a.end));
          }
        }
        infoOut.uleb(codeOf(d.tag, kids.length > 0, attrs));
        for (const v of values) {
          if (typeof v === 'number') infoOut.u32(v);
          else infoOut.bytes(v);
        }
        for (const c of kids) emit(c, c.tag === TAG_INLINED ? INLINE_ATTRS : SCOPE_ATTRS);
        if (kids.length > 0) infoOut.byte(0);
      };
      if (unit.root) {
        mark(unit.root);
        emit(unit.root, UNIT_ATTRS);
      }
      infoOut.setU32(start, infoOut.length - start - 4);
    }
  } catch (e) {
    // A truncated range list, or one named in a form this does not read: leave the module as it was.
    if (e instanceof TrimSkip || e instanceof DwarfError) return undefined;
    throw e;
  }
  abbrevOut.uleb(0);
  return { info: infoOut.done(), abbrev: abbrevOut.done(), ranges: rangesOut.length > 0 ? rangesOut.done() : undefined };
}

/**
 * The module with .debug_info, .debug_abbrev and .debug_ranges trimmed (trimDebugInfo); every other section
 * is copied unchanged and in place. Without a .debug_info/.debug_abbrev pair, or DWARF this does not
 * rewrite, the bytes come back as they were.
 */
export function trimDwarf(wasm: Uint8Array): Uint8Array<ArrayBuffer> {
  const sections = listSections(wasm);
  const body = (name: string) => customSectionBody(wasm, sections, name);
  const info = body('.debug_info');
  const abbrev = body('.debug_abbrev');
  const trimmed = info && abbrev ? trimDebugInfo(info, abbrev, body('.debug_ranges')) : undefined;
  if (!trimmed) return wasm.slice();
  return replaceCustomSections(
    wasm,
    sections,
    new Map([
      ['.debug_info', trimmed.info],
      ['.debug_abbrev', trimmed.abbrev],
      ['.debug_ranges', trimmed.ranges ?? null],
    ]),
  );
}
