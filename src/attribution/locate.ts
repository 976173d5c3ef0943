// From a module byte offset (what Instance.stack() reports) to file:line:column, through the DWARF line
// table in the module's custom sections. Wasm DWARF addresses count from the start of the Code section's
// contents (tool-conventions, Debugging.md), so the offset is shifted by that position first.

import { DwarfError, parseDebugLine, type LineSequence, type LineTable } from './debug-line.ts';
import { InlineIndex, parseInlineSites } from './debug-info.ts';

export interface SourceLine {
  file: string;
  line: number;
  column: number;
}

export interface WasmLayout {
  /** Module offset of the first byte of the Code section's contents (-1 when there is none). */
  codeStart: number;
  /** Custom sections by name (the last one wins when a name repeats). */
  custom: Map<string, Uint8Array>;
}

/** Section walk (Core spec §5.5.2): id byte, u32 LEB size, contents. Malformed input gives a DwarfError-free empty layout. */
export function wasmLayout(bytes: Uint8Array): WasmLayout {
  const custom = new Map<string, Uint8Array>();
  let codeStart = -1;
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return { codeStart, custom };
  let at = 8;
  const leb = (): number | undefined => {
    let r = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      if (at >= bytes.length) return undefined;
      const b = bytes[at++];
      r += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) return r;
    }
    return undefined;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    if (size === undefined || at + size > bytes.length) break;
    const start = at;
    const end = at + size;
    if (id === 0) {
      const n = leb();
      if (n !== undefined && at + n <= end) {
        const name = new TextDecoder().decode(bytes.subarray(at, at + n));
        custom.set(name, bytes.subarray(at + n, end));
      }
    } else if (id === 10) codeStart = start;
    at = end;
  }
  return { codeStart, custom };
}

/** Address lookup over a parsed line table. */
export class LineIndex {
  private readonly seqs: LineSequence[];

  constructor(table: LineTable) {
    // Sorted by start; where sequences overlap (dead code left at address 0 by some linkers), the one
    // starting last, i.e. the narrowest that still contains the address, is the live one.
    this.seqs = table.sequences.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  }

  lookup(addr: number): SourceLine | undefined {
    // Last sequence starting at or before addr, then walk back while they still might contain it.
    let lo = 0;
    let hi = this.seqs.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[mid].start <= addr) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = idx; i >= 0 && i > idx - 64; i--) {
      const s = this.seqs[i];
      if (addr >= s.end) continue;
      const row = lastRowAtOrBefore(s, addr);
      if (row) return { file: s.files[row.file] ?? `<file ${row.file}>`, line: row.line, column: row.column };
    }
    return undefined;
  }
}

function lastRowAtOrBefore(s: LineSequence, addr: number): LineSequence['rows'][number] | undefined {
  let lo = 0;
  let hi = s.rows.length - 1;
  let found: LineSequence['rows'][number] | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.rows[mid].address <= addr) {
      found = s.rows[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface SourceMap {
  /** True when the module carries a usable .debug_line. */
  readonly hasLines: boolean;
  /** Why the line table could not be used (present but malformed), for a message. */
  readonly error?: DwarfError;
  /** True when .debug_info gave inlined call sites. */
  readonly hasInlines: boolean;
  /** file:line:column of the instruction at a module offset (the innermost inlined location). */
  locate(moduleOffset: number): SourceLine | undefined;
  /** The call sites of the functions inlined at that offset, innermost first (each is in its caller). */
  inlinedCallers(moduleOffset: number): SourceLine[];
}

const NONE: SourceMap = { hasLines: false, hasInlines: false, locate: () => undefined, inlinedCallers: () => [] };

export function sourceMap(wasm: Uint8Array): SourceMap {
  const layout = wasmLayout(wasm);
  const line = layout.custom.get('.debug_line');
  if (!line || layout.codeStart < 0) return NONE;
  let table: LineTable;
  try {
    table = parseDebugLine({ line, lineStr: layout.custom.get('.debug_line_str'), str: layout.custom.get('.debug_str') });
  } catch (e) {
    if (e instanceof DwarfError) return { ...NONE, error: e };
    throw e;
  }
  const index = new LineIndex(table);
  // Inline call sites are a bonus: without them (or if they do not parse) lines still work.
  let inlines: InlineIndex | undefined;
  let error: DwarfError | undefined;
  const info = layout.custom.get('.debug_info');
  const abbrev = layout.custom.get('.debug_abbrev');
  if (info && abbrev) {
    try {
      inlines = new InlineIndex(parseInlineSites({ info, abbrev, ranges: layout.custom.get('.debug_ranges'), rnglists: layout.custom.get('.debug_rnglists'), lineFiles: table.units }));
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      error = e;
    }
  }
  const addr = (off: number) => off - layout.codeStart;
  return {
    hasLines: true,
    hasInlines: inlines !== undefined,
    error,
    locate: (off) => (off < layout.codeStart ? undefined : index.lookup(addr(off))),
    inlinedCallers: (off) =>
      off < layout.codeStart || !inlines ? [] : inlines.at(addr(off)).map((s) => ({ file: s.callFile, line: s.callLine, column: s.callColumn })),
  };
}
