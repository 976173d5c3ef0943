// Make the DWARF kept in build.wasm independent of the machine that compiled it. Zig writes absolute
// paths into the .debug_line file tables: the package directory (dependencies are `-M<key>=<abs>/build.zig`),
// the patched lib copy under the cache (whose name carries a hash, and compiler_rt/wasi-libc come from
// Zig's global cache, so an older copy's name can survive), and the cache itself. Left alone, the committed
// wasm would leak the builder's paths and `examples-build --check` would differ on another checkout.
//
// Only .debug_line headers hold those strings (names in .debug_info are DW_FORM_strp into .debug_str,
// which compile drops; those offsets are zeroed, as they too depend on the path lengths). Rewriting a
// header changes its length, so every unit's offset moves and each compile unit's DW_AT_stmt_list (a
// 4-byte offset into .debug_line, DWARF 4 §6.2.4 and §7.5) is patched in place. Only 32-bit DWARF 2–4
// line tables are rewritten; anything else leaves the module unchanged.

import { customSectionBody, listSections, replaceCustomSections } from './wasm-sections.ts';
import { DwarfError, DwarfReader as Reader } from '../attribution/dwarf-reader.ts';
import { abbrevTable, attrValue, type Abbrev } from '../attribution/debug-info.ts';

export class DwarfPathError extends Error {
  override name = 'DwarfPathError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

/** A path rewrite: `from` matches at the start of a string, as a whole path prefix. */
export interface PathRewrite {
  from: RegExp;
  to: string;
}

/** Prefix rewrite of `dir` (a literal directory) to `to`, matching only whole path components. */
export function prefixRewrite(dir: string, to: string, suffix = ''): PathRewrite {
  const esc = dir.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { from: new RegExp(`^${esc}${suffix}(?=/|$)`), to };
}


const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

function rewrite(s: Uint8Array, rules: readonly PathRewrite[]): Uint8Array {
  const text = dec.decode(s);
  for (const r of rules) if (r.from.test(text)) return enc.encode(text.replace(r.from, r.to));
  return s;
}

function u32le(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Rewrite the include directories and file names of every line-table unit; old unit offset → new. */
function rewriteDebugLineImpl(line: Uint8Array, rules: readonly PathRewrite[]): { line: Uint8Array; moved: Map<number, number> } | undefined {
  const parts: Uint8Array[] = [];
  const moved = new Map<number, number>();
  let outAt = 0;
  let at = 0;
  while (at < line.length) {
    const r = new Reader(line, at);
    const unitLength = r.u32();
    if (unitLength >= 0xfffffff0) return undefined; // 64-bit DWARF: not produced for wasm32, left alone
    const unitEnd = r.at + unitLength;
    const version = r.u16();
    if (version < 2 || version > 4) return undefined;
    const headerLength = r.u32();
    const programStart = r.at + headerLength;
    if (unitEnd > line.length || programStart > unitEnd) throw new DwarfPathError('line table unit runs past its section', at);
    const fixedStart = r.at;
    r.at += version >= 4 ? 5 : 4; // min_inst_length, [max_ops_per_inst], default_is_stmt, line_base, line_range
    const opcodeBase = r.u8();
    r.at += opcodeBase - 1; // standard_opcode_lengths
    const fixed = line.subarray(fixedStart, r.at);
    const header: Uint8Array[] = [fixed];
    for (let s = r.cbytes(); s.length > 0; s = r.cbytes()) header.push(rewrite(s, rules), new Uint8Array([0]));
    header.push(new Uint8Array([0]));
    for (let s = r.cbytes(); s.length > 0; s = r.cbytes()) {
      const attrsStart = r.at;
      r.uleb(); // directory index
      r.uleb(); // mtime
      r.uleb(); // length
      header.push(rewrite(s, rules), new Uint8Array([0]), line.subarray(attrsStart, r.at));
    }
    header.push(new Uint8Array([0]));
    if (r.at > programStart) throw new DwarfPathError('line table header runs past header_length', at);
    header.push(line.subarray(r.at, programStart)); // anything the header holds beyond the file table
    const newHeader = concat(header);
    const program = line.subarray(programStart, unitEnd);
    const newUnitLength = 2 + 4 + newHeader.length + program.length;
    moved.set(at, outAt);
    parts.push(u32le(newUnitLength), new Uint8Array([version & 0xff, version >> 8]), u32le(newHeader.length), newHeader, program);
    outAt += 4 + newUnitLength;
    at = unitEnd;
  }
  return { line: concat(parts), moved };
}

const AT_STMT_LIST = 0x10;
const FORM_STRP = 0x0e;

/**
 * A copy of .debug_info with each compile unit's DW_AT_stmt_list re-pointed through `moved`, and every
 * DW_FORM_strp set to 0: compile drops .debug_str, and its offsets depend on the (machine) path strings in
 * it, so they would make the module differ between checkouts while pointing nowhere.
 */
function patchDebugInfoImpl(info: Uint8Array, abbrev: Uint8Array, moved: ReadonlyMap<number, number>): Uint8Array {
  const out = info.slice();
  const tables = new Map<number, Map<number, Abbrev>>();
  let at = 0;
  while (at < info.length) {
    const r = new Reader(info, at);
    const unitLength = r.u32();
    if (unitLength >= 0xfffffff0) throw new DwarfPathError('64-bit DWARF unit', at);
    const unitEnd = r.at + unitLength;
    if (unitEnd > info.length) throw new DwarfPathError('.debug_info unit runs past its section', at);
    const version = r.u16();
    if (version < 2 || version > 4) throw new DwarfPathError(`unsupported .debug_info version ${version}`, at);
    const abbrevOffset = r.u32();
    const cu = { offSize: 4, addrSize: r.u8(), version };
    let table = tables.get(abbrevOffset);
    if (!table) tables.set(abbrevOffset, (table = abbrevTable(abbrev, abbrevOffset)));
    let first = true;
    while (r.at < unitEnd) {
      const code = r.uleb();
      if (code === 0) continue; // end of a sibling chain
      const decl = table.get(code);
      if (!decl) throw new DwarfPathError(`abbreviation ${code} not found`, r.at);
      for (const { at: name, form, implicit } of decl.attrs) {
        if (first && name === AT_STMT_LIST && (form === 0x17 || form === 0x06)) {
          const old = new Reader(info, r.at).u32();
          const now = moved.get(old);
          if (now === undefined) throw new DwarfPathError(`DW_AT_stmt_list ${old} is not a line table unit`, r.at);
          out.set(u32le(now), r.at);
        } else if (form === FORM_STRP) {
          out.fill(0, r.at, r.at + 4);
        }
        attrValue(r, form, cu, implicit);
      }
      first = false;
    }
    if (r.at !== unitEnd) throw new DwarfPathError('DIE runs past its unit', r.at);
    at = unitEnd;
  }
  return out;
}

/** The module with its .debug_line paths rewritten (and .debug_info's offsets into it kept right). */
function normalizeDebugPathsImpl(wasm: Uint8Array, rules: readonly PathRewrite[]): Uint8Array<ArrayBuffer> {
  const sections = listSections(wasm);
  const body = (name: string) => customSectionBody(wasm, sections, name);
  const line = body('.debug_line');
  const info = body('.debug_info');
  const abbrev = body('.debug_abbrev');
  const unchanged = concat([wasm]);
  if (!line) return unchanged;
  const rewritten = rewriteDebugLine(line, rules);
  if (!rewritten) return unchanged;
  const newInfo = info && abbrev ? patchDebugInfo(info, abbrev, rewritten.moved) : info;
  const replace = new Map<string, Uint8Array>([['.debug_line', rewritten.line]]);
  if (newInfo) replace.set('.debug_info', newInfo);
  return replaceCustomSections(wasm, sections, replace);
}

/** Malformed DWARF surfaces as a DwarfPathError from this module's entry points. */
function asPathError<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => R {
  return (...a: A) => {
    try {
      return f(...a);
    } catch (e) {
      if (e instanceof DwarfError) throw new DwarfPathError(e.detail, e.offset);
      throw e;
    }
  };
}

export const rewriteDebugLine = asPathError(rewriteDebugLineImpl);
export const patchDebugInfo = asPathError(patchDebugInfoImpl);
export const normalizeDebugPaths = asPathError(normalizeDebugPathsImpl);
