// Module decoder (spec 5.5 "Modules"): header, section framing and order, and the cross-section checks
// that belong to the binary format (function/code and data count/data lengths). Everything about types
// and index ranges is left to the validator.

import type { Module } from '../syntax/types.ts';
import { readCodeSection } from './code.ts';
import { emptyNames, readNameSection } from './names.ts';
import { Reader } from './reader.ts';
import {
  readDataSection,
  readElemSection,
  readExportSection,
  readFunctionSection,
  readGlobalSection,
  readImportSection,
  readMemorySection,
  readTableSection,
  readTypeSection,
} from './sections.ts';

// Section ids (5.5.2).
const CUSTOM = 0;
const TYPE = 1;
const IMPORT = 2;
const FUNCTION = 3;
const TABLE = 4;
const MEMORY = 5;
const GLOBAL = 6;
const EXPORT = 7;
const START = 8;
const ELEMENT = 9;
const CODE = 10;
const DATA = 11;
const DATA_COUNT = 12;

/**
 * Position of each non-custom section id in the required order (5.5.16). The data count section (12)
 * sits between element (9) and code (10). Strictly increasing ranks also rule out duplicates.
 */
const RANK: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];

/** "\0asm" read as a little-endian u32 (5.5.16). */
const MAGIC = 0x6d736100;
const VERSION = 1;

export function decode(bytes: Uint8Array): Module {
  const r = new Reader(bytes);
  if (bytes.length < 4) r.fail('unexpected-end', 'unexpected end (magic header)', bytes.length);
  if (r.view.getUint32(0, true) !== MAGIC) r.fail('magic-header', 'magic header not detected', 0);
  if (bytes.length < 8) r.fail('unexpected-end', 'unexpected end (binary version)', bytes.length);
  if (r.view.getUint32(4, true) !== VERSION) r.fail('unknown-version', 'unknown binary version', 4);
  r.pos = 8;

  const m: Module = {
    types: [],
    imports: [],
    funcs: [],
    tables: [],
    mems: [],
    globals: [],
    exports: [],
    elems: [],
    datas: [],
    names: emptyNames(),
    customs: [],
  };
  let funcTypeIdxs: number[] = [];
  let lastRank = 0;
  let sawCode = false;
  let sawData = false;
  const len = bytes.length;

  while (r.pos < len) {
    const idAt = r.pos;
    const id = r.u8();
    if (id > DATA_COUNT) r.fail('malformed-section-id', `malformed section id ${id}`, idAt);
    const sizeAt = r.pos;
    const size = r.u32();
    if (size > len - r.pos) {
      r.fail('unexpected-end', `length out of bounds: section size ${size}, ${len - r.pos} bytes remain`, sizeAt);
    }
    const start = r.pos;
    const end = start + size;
    r.end = end;

    if (id === CUSTOM) {
      // Every custom section, "name" included, is kept raw (as WebAssembly.Module.customSections
      // returns them); "name" is also parsed into m.names. Only the section's own name can be malformed.
      const name = r.name();
      const contentAt = r.pos;
      m.customs.push({ name, offset: contentAt, bytes: new Uint8Array(r.take(end - contentAt)) });
      if (name === 'name') m.names = readNameSection(bytes, contentAt, end) ?? m.names;
    } else {
      const rank = RANK[id]!;
      if (rank <= lastRank) r.fail('section-out-of-order', `unexpected content after last section (section ${id})`, idAt);
      lastRank = rank;
      switch (id) {
        case TYPE: m.types = readTypeSection(r); break;
        case IMPORT: m.imports = readImportSection(r); break;
        case FUNCTION: funcTypeIdxs = readFunctionSection(r); break;
        case TABLE: m.tables = readTableSection(r); break;
        case MEMORY: m.mems = readMemorySection(r); break;
        case GLOBAL: m.globals = readGlobalSection(r); break;
        case EXPORT: m.exports = readExportSection(r); break;
        case START: m.start = r.u32(); break;
        case ELEMENT: m.elems = readElemSection(r); break;
        case DATA_COUNT: m.dataCount = r.u32(); break;
        case CODE:
          sawCode = true;
          m.funcs = readCodeSection(r, funcTypeIdxs, m.dataCount !== undefined);
          break;
        case DATA: {
          sawData = true;
          const countAt = r.pos;
          m.datas = readDataSection(r);
          if (m.dataCount !== undefined && m.dataCount !== m.datas.length) {
            r.fail('data-count-mismatch', `data count and data section have inconsistent lengths (${m.dataCount} vs ${m.datas.length})`, countAt);
          }
          break;
        }
      }
    }
    if (r.pos !== end) r.fail('section-size-mismatch', `section size mismatch: section ${id} ends at 0x${r.pos.toString(16)}, declared end 0x${end.toString(16)}`, r.pos);
    r.end = len;
  }

  // An absent section counts as empty (5.5.16).
  if (!sawCode && funcTypeIdxs.length !== 0) {
    r.fail('function-code-mismatch', `function and code section have inconsistent lengths (${funcTypeIdxs.length} vs 0)`, len);
  }
  if (!sawData && m.dataCount !== undefined && m.dataCount !== 0) {
    r.fail('data-count-mismatch', `data count and data section have inconsistent lengths (${m.dataCount} vs 0)`, len);
  }
  return m;
}
