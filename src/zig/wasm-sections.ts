// Drop custom sections from a wasm binary, keeping the ones named in `keep` (Core spec §5.5.3: a custom
// section is id 0, a u32 size, then a name and bytes; every other section is copied unchanged).
// Used to keep the "name" section (function names for traces and stack views) and the DWARF that
// src/attribution reads (syscall → package build.zig line), and drop the rest (.debug_loc, .debug_str,
// .debug_pubnames/pubtypes, producers).

export class WasmSectionError extends Error {
  override name = 'WasmSectionError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

const MAGIC_AND_VERSION = 8;

/** Custom sections a compiled build.wasm keeps: names, plus the DWARF line tables and inline call sites
 * src/attribution parses (DWARF 4 and the DWARF 5 equivalents; absent ones are simply not there). */
export const KEPT_SECTIONS: ReadonlySet<string> = new Set([
  'name',
  '.debug_line',
  '.debug_line_str',
  '.debug_info',
  '.debug_abbrev',
  '.debug_ranges',
  '.debug_rnglists',
]);

function readU32(bytes: Uint8Array, at: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (let i = at; i < at + 5; i++) {
    if (i >= bytes.length) throw new WasmSectionError('truncated LEB128', i);
    const b = bytes[i];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) {
      if (result > 0xffffffff) throw new WasmSectionError('LEB128 out of u32 range', at);
      return [result, i + 1];
    }
  }
  throw new WasmSectionError('LEB128 longer than 5 bytes', at);
}

export interface SectionInfo {
  id: number;
  /** Custom section name (id 0 only). */
  name?: string;
  start: number;
  end: number;
}

export function listSections(bytes: Uint8Array): SectionInfo[] {
  if (bytes.length < MAGIC_AND_VERSION || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmSectionError('not a wasm binary (bad magic)', 0);
  }
  const out: SectionInfo[] = [];
  let at = MAGIC_AND_VERSION;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, bodyStart] = readU32(bytes, at + 1);
    const end = bodyStart + size;
    if (end > bytes.length) throw new WasmSectionError(`section ${id} runs past the end`, at);
    let name: string | undefined;
    if (id === 0) {
      const [len, nameStart] = readU32(bytes, bodyStart);
      if (nameStart + len > end) throw new WasmSectionError('custom section name runs past its section', bodyStart);
      name = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(nameStart, nameStart + len));
    }
    out.push({ id, name, start: at, end });
    at = end;
  }
  return out;
}

export function keepCustomSections(bytes: Uint8Array, keep: ReadonlySet<string>): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [bytes.subarray(0, MAGIC_AND_VERSION)];
  for (const s of listSections(bytes)) {
    if (s.id === 0 && !keep.has(s.name ?? '')) continue;
    parts.push(bytes.subarray(s.start, s.end));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A custom section's payload (the bytes after its name), or undefined when there is none by that name. */
export function customSectionBody(bytes: Uint8Array, sections: readonly SectionInfo[], name: string): Uint8Array | undefined {
  const s = sections.find((x) => x.id === 0 && x.name === name);
  if (!s) return undefined;
  const [, bodyStart] = readU32(bytes, s.start + 1);
  const [len, nameStart] = readU32(bytes, bodyStart);
  return bytes.subarray(nameStart + len, s.end);
}

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return out;
}

/**
 * The module with the payloads of the named custom sections replaced in place (`null` drops the section);
 * every other section is copied unchanged.
 */
export function replaceCustomSections(bytes: Uint8Array, sections: readonly SectionInfo[], replace: ReadonlyMap<string, Uint8Array | null>): Uint8Array<ArrayBuffer> {
  const parts: (Uint8Array | number[])[] = [bytes.subarray(0, MAGIC_AND_VERSION)];
  for (const s of sections) {
    const payload = s.id === 0 ? replace.get(s.name ?? '') : undefined;
    if (payload === undefined) {
      parts.push(bytes.subarray(s.start, s.end));
      continue;
    }
    if (payload === null) continue;
    const name = new TextEncoder().encode(s.name);
    const nameLen = uleb(name.length);
    parts.push([0, ...uleb(nameLen.length + name.length + payload.length), ...nameLen], name, payload);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
