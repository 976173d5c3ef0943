// wabt writes the data count section (id 12) only when the module has data segments, but memory.init and
// data.drop need it even with none (spec 5.5.16: without it, a data index in code is malformed). The
// reference encoder emits it, so the testsuite's assert_invalid cases such as "unknown data segment" on
// a module without data expect a validation error, while wabt's binary is, strictly, malformed.
// For assert_invalid modules (which are well-formed by definition) we add the section wabt left out.

import { Reader } from '../binary/reader.ts';

const SEC_CODE = 10;
const SEC_DATA = 11;
const SEC_DATA_COUNT = 12;
const HEADER_SIZE = 8;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/**
 * `bytes` with a data count section inserted before the code section when it has none. Returns the input
 * unchanged when it already has one, has no code section, or cannot be followed.
 */
export function withDataCount(bytes: Uint8Array): Uint8Array {
  let codeAt = -1, dataCount = 0;
  try {
    const r = new Reader(bytes, HEADER_SIZE);
    while (!r.atEnd()) {
      const start = r.pos;
      const id = r.u8();
      const size = r.u32();
      const body = r.pos;
      if (id === SEC_DATA_COUNT) return bytes;
      if (id === SEC_CODE) codeAt = start;
      if (id === SEC_DATA) dataCount = r.u32();
      r.pos = body + size;
    }
  } catch {
    return bytes;
  }
  if (codeAt < 0) return bytes;
  const body = uleb(dataCount);
  const section = [SEC_DATA_COUNT, ...uleb(body.length), ...body];
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes.subarray(0, codeAt));
  out.set(section, codeAt);
  out.set(bytes.subarray(codeAt), codeAt + section.length);
  return out;
}
