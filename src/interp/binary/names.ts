// The name section (spec 7.4, appendix "Custom Sections"): module name, function names, local names.
//
// Custom sections are uninterpreted by the core spec (5.5.3), so a broken name section must never make
// the module malformed: readNameSection returns undefined for anything it cannot read, and the caller
// keeps the names it already had. Subsections we do not use (ids 3+, from the extended name section
// proposal) are skipped.

import { DecodeError } from '../errors.ts';
import type { Names } from '../syntax/types.ts';
import { Reader } from './reader.ts';

const SUB_MODULE = 0;
const SUB_FUNCS = 1;
const SUB_LOCALS = 2;
const SUB_GLOBALS = 7;

export function emptyNames(): Names {
  return { funcs: new Map(), locals: new Map() };
}

/** namemap: vec(idx name) */
function readNameMap(r: Reader): Map<number, string> {
  const n = r.count();
  const map = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const idx = r.u32();
    map.set(idx, r.name());
  }
  return map;
}

/** Parses the contents (after the section name) at [start, end) of `bytes`; undefined when malformed. */
export function readNameSection(bytes: Uint8Array, start: number, end: number): Names | undefined {
  // A separate reader, so nothing here can disturb the module decoder's position or limit.
  const r = new Reader(bytes, start, end);
  const names = emptyNames();
  let lastId = -1;
  try {
    while (!r.atEnd()) {
      const id = r.u8();
      // Subsections appear at most once, in increasing id order (7.4.1).
      if (id <= lastId) return undefined;
      lastId = id;
      const size = r.u32();
      if (size > r.remaining()) return undefined;
      const subEnd = r.pos + size;
      r.end = subEnd;
      switch (id) {
        case SUB_MODULE:
          names.module = r.name();
          break;
        case SUB_FUNCS:
          names.funcs = readNameMap(r);
          break;
        case SUB_LOCALS: {
          const n = r.count();
          for (let i = 0; i < n; i++) {
            const funcIdx = r.u32();
            names.locals.set(funcIdx, readNameMap(r));
          }
          break;
        }
        case SUB_GLOBALS: {
          // Extended name section (LLVM and Zig name __stack_pointer etc.). Optional, so a malformed
          // one is skipped on its own instead of discarding the function names with it.
          try {
            const g = readNameMap(r);
            if (r.pos === subEnd) names.globals = g;
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
          r.pos = subEnd;
          break;
        }
        default:
          r.pos = subEnd;
      }
      if (r.pos !== subEnd) return undefined;
      r.end = end;
    }
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
  return names;
}
