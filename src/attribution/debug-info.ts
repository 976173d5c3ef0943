// Inlined call sites from DWARF `.debug_info` (DWARF 5 §3.3.8.2, DW_TAG_inlined_subroutine with
// DW_AT_call_file / DW_AT_call_line and its address ranges). Release builds inline a package's `build`
// function into the runner, so the line table alone says "std/Build.zig:2266" where the real question is
// "which line of build.zig called b.dependency()"; the inline chain at an address answers it.
//
// Only what that needs is read: unit headers (v2–5), the abbreviation tables, every DIE's attributes
// (skipped by form), DW_AT_stmt_list / low_pc / high_pc / ranges on units and inlined subroutines, and
// .debug_ranges (v4) / .debug_rnglists (v5) lists with absolute or offset entries. Forms that need
// .debug_addr or .debug_str_offsets are skipped (an inline site whose range needs them is left out).
//
// Conventions: `r` a Reader over .debug_info, `abbr` an abbreviation, `cu` the unit being read.

import { DwarfError, DwarfReader as Reader } from './dwarf-reader.ts';

export interface InlineSite {
  /** Address ranges [start, end) covered by the inlined body (code-section-relative, like .debug_line). */
  ranges: [number, number][];
  /** Nesting depth in the DIE tree; deeper = more inner. */
  depth: number;
  /** Where the inlined function was called from, in its caller. */
  callFile: string;
  callLine: number;
  callColumn: number;
}

export interface InfoSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  ranges?: Uint8Array;
  rnglists?: Uint8Array;
  /** File lists of the line table units, by offset (LineTable.units). */
  lineFiles: Map<number, string[]>;
}

const TAG_INLINED = 0x1d;
const AT = { stmt_list: 0x10, low_pc: 0x11, high_pc: 0x12, ranges: 0x55, call_column: 0x57, call_file: 0x58, call_line: 0x59 } as const;
const FORM_ADDR = 0x01;
const FORM_IMPLICIT_CONST = 0x21;
const FORM_INDIRECT = 0x16;

export interface Abbrev {
  tag: number;
  children: boolean;
  attrs: { at: number; form: number; implicit?: number }[];
}

/** The abbreviation table at `offset` in .debug_abbrev (DWARF 5 §7.5.3). Also read by src/zig's DWARF rewriters. */
export function abbrevTable(sec: Uint8Array, offset: number): Map<number, Abbrev> {
  const r = new Reader(sec, offset);
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = r.uleb();
    if (code === 0) return out;
    const tag = r.uleb();
    const children = r.u8() !== 0;
    const attrs: Abbrev['attrs'] = [];
    for (;;) {
      const at = r.uleb();
      const form = r.uleb();
      if (at === 0 && form === 0) break;
      attrs.push(form === FORM_IMPLICIT_CONST ? { at, form, implicit: r.sleb() } : { at, form });
    }
    out.set(code, { tag, children, attrs });
  }
}

/**
 * Read one attribute value (every form of DWARF 2–5, §7.5.6); numbers for constants, addresses and offsets,
 * undefined for anything else. Also how src/zig's DWARF rewriters skip a value of any form.
 */
export function attrValue(r: Reader, form: number, cu: { offSize: number; addrSize: number; version: number }, implicit?: number): number | undefined {
  switch (form) {
    case FORM_ADDR:
      return r.fixed(cu.addrSize);
    case 0x0b: // data1
    case 0x11: // ref1
    case 0x0c: // flag
    case 0x25: // strx1
    case 0x29: // addrx1
      return r.fixed(1);
    case 0x05: // data2
    case 0x12: // ref2
    case 0x26: // strx2
    case 0x2a: // addrx2
      return r.fixed(2);
    case 0x27: // strx3
    case 0x2b: // addrx3
      return r.fixed(3);
    case 0x06: // data4
    case 0x13: // ref4
    case 0x1c: // ref_sup4
    case 0x28: // strx4
    case 0x2c: // addrx4
      return r.fixed(4);
    case 0x07: // data8
    case 0x14: // ref8
    case 0x20: // ref_sig8
    case 0x24: // ref_sup8
      return r.fixed(8);
    case 0x1e: // data16
      r.skip(16);
      return undefined;
    case 0x0d: // sdata
      return r.sleb();
    case 0x0f: // udata
    case 0x15: // ref_udata
    case 0x1a: // strx
    case 0x1b: // addrx
    case 0x22: // loclistx
    case 0x23: // rnglistx
      return r.uleb();
    case 0x0e: // strp
    case 0x17: // sec_offset
    case 0x1d: // strp_sup
    case 0x1f: // line_strp
      return r.fixed(cu.offSize);
    case 0x10: // ref_addr: address-sized in DWARF 2, offset-sized later
      return r.fixed(cu.version <= 2 ? cu.addrSize : cu.offSize);
    case 0x08: // string
      r.cstr(); // skipped
      return undefined;
    case 0x0a: // block1
      r.skip(r.u8());
      return undefined;
    case 0x03: // block2
      r.skip(r.fixed(2));
      return undefined;
    case 0x04: // block4
      r.skip(r.fixed(4));
      return undefined;
    case 0x09: // block
    case 0x18: // exprloc
      r.skip(r.uleb());
      return undefined;
    case 0x19: // flag_present
      return 1;
    case FORM_IMPLICIT_CONST:
      return implicit;
    case FORM_INDIRECT:
      return attrValue(r, r.uleb(), cu);
    default:
      throw new DwarfError('unsupported-form', `unknown DW_FORM 0x${form.toString(16)} in .debug_info`, r.at, '.debug_info');
  }
}

/** DWARF 4 range list (.debug_ranges): address pairs, a max-address start sets a new base, (0,0) ends. */
function rangesV4(sec: Uint8Array | undefined, off: number, addrSize: number, base: number): [number, number][] {
  if (!sec || off >= sec.length) return [];
  const r = new Reader(sec, off);
  const max = 2 ** (8 * addrSize) - 1;
  const out: [number, number][] = [];
  for (;;) {
    const a = r.fixed(addrSize);
    const b = r.fixed(addrSize);
    if (a === 0 && b === 0) return out;
    if (a === max) base = b;
    else if (b > a) out.push([base + a, base + b]);
  }
}

/** DWARF 5 range list (.debug_rnglists, §2.17.3). Entries needing .debug_addr end the list early. */
function rangesV5(sec: Uint8Array | undefined, off: number, addrSize: number, base: number): [number, number][] {
  if (!sec || off >= sec.length) return [];
  const r = new Reader(sec, off);
  const out: [number, number][] = [];
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case 0: // end_of_list
        return out;
      case 4: {
        const a = r.uleb();
        const b = r.uleb();
        if (b > a) out.push([base + a, base + b]);
        break;
      }
      case 5:
        base = r.fixed(addrSize);
        break;
      case 6: {
        const a = r.fixed(addrSize);
        const b = r.fixed(addrSize);
        if (b > a) out.push([a, b]);
        break;
      }
      case 7: {
        const a = r.fixed(addrSize);
        const n = r.uleb();
        if (n > 0) out.push([a, a + n]);
        break;
      }
      default: // base_addressx, startx_endx, startx_length: need .debug_addr
        return out;
    }
  }
}

/** Every inlined call site in .debug_info, with its caller's file resolved through the unit's line table. */
export function parseInlineSites(s: InfoSections): InlineSite[] {
  const r = new Reader(s.info);
  const sites: InlineSite[] = [];
  const tables = new Map<number, Map<number, Abbrev>>();
  while (r.at < s.info.length) {
    const unitStart = r.at;
    let length = r.fixed(4);
    let offSize = 4;
    if (length === 0xffffffff) {
      length = r.fixed(8);
      offSize = 8;
    }
    const unitEnd = r.at + length;
    if (unitEnd > s.info.length) throw new DwarfError('truncated', '.debug_info unit runs past the section', unitStart, '.debug_info');
    const version = r.fixed(2);
    if (version < 2 || version > 5) throw new DwarfError('bad-version', `unsupported .debug_info version ${version}`, unitStart, '.debug_info');
    let addrSize: number;
    let abbrevOff: number;
    if (version >= 5) {
      const unitType = r.u8();
      addrSize = r.u8();
      abbrevOff = r.fixed(offSize);
      if (unitType === 2 || unitType === 6) {
        r.at = unitEnd; // type units hold no code
        continue;
      }
      if (unitType === 4 || unitType === 5) r.skip(8); // dwo_id
    } else {
      abbrevOff = r.fixed(offSize);
      addrSize = r.u8();
    }
    let abbrevs = tables.get(abbrevOff);
    if (!abbrevs) tables.set(abbrevOff, (abbrevs = abbrevTable(s.abbrev, abbrevOff)));
    const cu = { offSize, addrSize, version };
    let files: string[] = [];
    let base = 0;
    let depth = 0;
    let first = true;
    while (r.at < unitEnd) {
      const code = r.uleb();
      if (code === 0) {
        depth--;
        continue;
      }
      const abbr = abbrevs.get(code);
      if (!abbr) throw new DwarfError('bad-header', `abbreviation ${code} is not in its table`, r.at, '.debug_info');
      let low: number | undefined;
      let high: number | undefined;
      let highIsOffset = false;
      let ranges: number | undefined;
      let callFile: number | undefined;
      let callLine = 0;
      let callColumn = 0;
      let stmt: number | undefined;
      for (const a of abbr.attrs) {
        const val = attrValue(r, a.form, cu, a.implicit);
        if (val === undefined) continue;
        if (a.at === AT.low_pc && a.form === FORM_ADDR) low = val;
        else if (a.at === AT.high_pc) {
          high = val;
          highIsOffset = a.form !== FORM_ADDR;
        } else if (a.at === AT.ranges && a.form !== 0x23) ranges = val;
        else if (a.at === AT.call_file) callFile = val;
        else if (a.at === AT.call_line) callLine = val;
        else if (a.at === AT.call_column) callColumn = val;
        else if (a.at === AT.stmt_list) stmt = val;
      }
      if (first) {
        // The unit DIE: its line table (for file names) and its base address (for range lists).
        files = stmt !== undefined ? (s.lineFiles.get(stmt) ?? []) : [];
        base = low ?? 0;
        first = false;
      } else if (abbr.tag === TAG_INLINED && callFile !== undefined) {
        let rs: [number, number][] = [];
        if (low !== undefined && high !== undefined) {
          const end = highIsOffset ? low + high : high;
          if (end > low) rs = [[low, end]];
        } else if (ranges !== undefined) {
          rs = version >= 5 ? rangesV5(s.rnglists, ranges, addrSize, base) : rangesV4(s.ranges, ranges, addrSize, base);
        }
        if (rs.length > 0) sites.push({ ranges: rs, depth, callFile: files[callFile] ?? `<file ${callFile}>`, callLine, callColumn });
      }
      if (abbr.children) depth++;
    }
    r.at = unitEnd;
  }
  return sites;
}

/** Lookup of the inline sites covering an address, innermost first. */
export class InlineIndex {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly site: InlineSite[] = [];
  /** Running maximum of `ends`, so a backwards scan can stop once nothing earlier reaches the address. */
  private readonly maxEnd: number[] = [];

  constructor(sites: InlineSite[]) {
    const flat: [number, number, InlineSite][] = [];
    for (const s of sites) for (const [a, b] of s.ranges) flat.push([a, b, s]);
    flat.sort((x, y) => x[0] - y[0]);
    let m = 0;
    for (const [a, b, s] of flat) {
      this.starts.push(a);
      this.ends.push(b);
      this.site.push(s);
      m = Math.max(m, b);
      this.maxEnd.push(m);
    }
  }

  at(addr: number): InlineSite[] {
    let lo = 0;
    let hi = this.starts.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= addr) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const hits = new Set<InlineSite>();
    for (let i = idx; i >= 0 && this.maxEnd[i] > addr; i--) if (this.ends[i] > addr) hits.add(this.site[i]);
    return [...hits].sort((a, b) => b.depth - a.depth);
  }
}
