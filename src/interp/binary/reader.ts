// Byte reader for the binary format (spec 5.1 "Conventions", 5.2 "Values").
//
// One Reader walks the whole module; `pos` is always an absolute offset into the module bytes, so every
// DecodeError and every Instr.offset is a module offset. `end` is the current read limit: the decoder
// narrows it to a section (or function body) and restores it, so reading past a section is caught here.
//
// Conventions: `b` is the byte just read, `p` a local copy of `pos`, `n` a vector length.

import { DecodeError } from '../errors.ts';

/** Stable machine-readable DecodeError kinds produced by this folder. */
export type DecodeErrorKind =
  | 'unexpected-end'          // a read (or a declared length) runs past the module, section or body
  | 'magic-header'            // "magic header not detected"
  | 'unknown-version'         // "unknown binary version"
  | 'malformed-section-id'
  | 'section-out-of-order'    // "unexpected content after last section" (also duplicates)
  | 'section-size-mismatch'
  | 'integer-too-long'        // "integer representation too long"
  | 'integer-too-large'       // unused bits of the last LEB byte are not a sign/zero extension
  | 'malformed-utf8'
  | 'zero-byte-expected'
  | 'too-many-locals'
  | 'function-code-mismatch'  // "function and code section have inconsistent lengths"
  | 'data-count-mismatch'     // "data count and data section have inconsistent lengths"
  | 'data-count-required'
  | 'illegal-opcode'
  | 'end-expected'            // "END opcode expected": unbalanced structure or misplaced else
  | 'malformed-value-type'
  | 'malformed-ref-type'
  | 'malformed-func-type'
  | 'malformed-block-type'
  | 'malformed-limits'
  | 'malformed-mutability'
  | 'malformed-import-kind'
  | 'malformed-export-kind'
  | 'malformed-elem-kind'
  | 'malformed-segment-flags'
  | 'malformed-memop-flags';

const TWO_7 = 0x80;
const TWO_28 = 0x10000000;
const TWO_35 = 0x800000000;

// Only used after the bytes were validated by decodeUtf8 below; ignoreBOM keeps a leading U+FEFF
// as part of the name instead of stripping it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos: number;
  /** Exclusive read limit. */
  end: number;

  constructor(bytes: Uint8Array, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
    this.end = end;
  }

  fail(kind: DecodeErrorKind, message: string, at: number = this.pos): never {
    throw new DecodeError(kind, message, at);
  }

  /** Bytes left before the current limit. */
  remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  private truncated(at: number): never {
    return this.fail('unexpected-end', at >= this.bytes.length ? 'unexpected end' : 'unexpected end of section or function', at);
  }

  u8(): number {
    const p = this.pos;
    if (p >= this.end) this.truncated(p);
    this.pos = p + 1;
    return this.bytes[p]!;
  }

  /** Next byte without consuming it. */
  peek(): number {
    if (this.pos >= this.end) this.truncated(this.pos);
    return this.bytes[this.pos]!;
  }

  /** Raw bytes as a view into the module (no copy). */
  take(n: number): Uint8Array {
    const p = this.pos;
    if (n > this.end - p) this.fail('unexpected-end', `length out of bounds: ${n} bytes declared, ${this.end - p} remain`, p);
    this.pos = p + n;
    return this.bytes.subarray(p, p + n);
  }

  // ---- LEB128 (spec 5.2.2) ----
  // At most ceil(N/7) bytes; in the last byte, the bits beyond N must be zero (unsigned) or copies of
  // the sign bit (signed). A set continuation bit in the last allowed byte is "too long".

  u32(): number {
    const p = this.pos;
    if (p < this.end) {
      const b = this.bytes[p]!;
      if (b < TWO_7) {
        this.pos = p + 1;
        return b;
      }
    }
    // 5th byte: bits 0..3 carry value bits 28..31; bits 4..6 must be zero.
    return this.leb5(0x70, false);
  }

  s32(): number {
    const p = this.pos;
    if (p < this.end) {
      const b = this.bytes[p]!;
      if (b < TWO_7) {
        this.pos = p + 1;
        return (b << 25) >> 25;
      }
    }
    // 5th byte: bits 0..3 carry value bits 28..31 (bit 3 is the sign); bits 4..6 must repeat it.
    return this.leb5(0x78, true) | 0;
  }

  /** Signed 33-bit (block types, spec 5.4.1); the result lies in [-2^32, 2^32). */
  s33(): number {
    // 5th byte: bits 0..4 carry value bits 28..32 (bit 4 is the sign); bits 5..6 must repeat it.
    return this.leb5(0x70, true);
  }

  /**
   * A LEB128 of at most 5 bytes (N <= 35 bits). The first four bytes (28 bits) are summed as an int32;
   * in the 5th byte the bits in `last` must all be zero or, if `signed`, all one.
   */
  private leb5(last: number, signed: boolean): number {
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const b = this.u8();
      result |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return signed && b & 0x40 ? result - (1 << (shift + 7)) : result;
    }
    const at = this.pos;
    const b = this.u8();
    if (b & 0x80) this.fail('integer-too-long', 'integer representation too long', at);
    const unused = b & last;
    if (unused !== 0 && !(signed && unused === last)) this.fail('integer-too-large', 'integer too large', at);
    const value = result + (b & 0x7f) * TWO_28;
    return signed && b & 0x40 ? value - TWO_35 : value;
  }

  /** Signed 64-bit as a bigint. Up to 7 bytes (49 bits) are summed exactly as a number first. */
  s64(): bigint {
    const p = this.pos;
    if (p < this.end) {
      const b = this.bytes[p]!;
      if (b < TWO_7) {
        this.pos = p + 1;
        return BigInt((b << 25) >> 25);
      }
    }
    let small = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.u8();
      small += (b & 0x7f) * scale;
      scale *= TWO_7;
      if (!(b & 0x80)) return BigInt(b & 0x40 ? small - scale : small);
    }
    let big = BigInt(small);
    for (let i = 7; i < 10; i++) {
      const at = this.pos;
      const b = this.u8();
      if (i === 9) {
        if (b & 0x80) this.fail('integer-too-long', 'integer representation too long', at);
        // Bit 0 carries value bit 63 (the sign); bits 1..6 must repeat it.
        const unused = b & 0x7f;
        if (unused !== 0 && unused !== 0x7f) this.fail('integer-too-large', 'integer too large', at);
        return BigInt.asIntN(64, big | (BigInt(b & 1) << 63n));
      }
      const shift = BigInt(7 * i);
      big |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return b & 0x40 ? big - (1n << (shift + 7n)) : big;
    }
    // unreachable: the last allowed byte always returns or fails
    return big;
  }

  // ---- Floats (spec 5.2.3): raw IEEE bits, little endian ----

  /** f32 bits as an int32. */
  f32Bits(): number {
    const p = this.pos;
    if (this.end - p < 4) this.truncated(this.end);
    this.pos = p + 4;
    return this.view.getInt32(p, true);
  }

  /** f64 bits as a signed 64-bit bigint. */
  f64Bits(): bigint {
    const p = this.pos;
    if (this.end - p < 8) this.truncated(this.end);
    this.pos = p + 8;
    return this.view.getBigInt64(p, true);
  }

  // ---- Vectors and names (spec 5.1.3, 5.2.4) ----

  /**
   * A vector length. Every element takes at least `minElemBytes` bytes, so a count that cannot fit in
   * what remains is rejected before anything is allocated for it.
   */
  count(minElemBytes = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minElemBytes > this.end - this.pos) {
      this.fail('unexpected-end', `length out of bounds: ${n} elements declared, ${this.end - this.pos} bytes remain`, at);
    }
    return n;
  }

  /** A name: vec(byte) that must be well-formed UTF-8. */
  name(): string {
    const n = this.u32();
    const p = this.pos;
    const bytes = this.take(n);
    return decodeUtf8(bytes, p);
  }
}

/**
 * Strict UTF-8 (spec 5.2.4 via Unicode 3.9): no overlong forms, no surrogates (U+D800..DFFF), nothing
 * above U+10FFFF, no stray or missing continuation bytes. `base` is the module offset of bytes[0].
 */
export function decodeUtf8(bytes: Uint8Array, base: number): string {
  const n = bytes.length;
  let ascii = true;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    ascii = false;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 === 0xe0) lo = 0xa0; // overlong
      else if (b0 === 0xed) hi = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 === 0xf0) lo = 0x90; // overlong
      else if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
    } else {
      throw new DecodeError('malformed-utf8', 'malformed UTF-8 encoding', base + i);
    }
    if (i + need >= n) {
      throw new DecodeError('malformed-utf8', 'malformed UTF-8 encoding (truncated sequence)', base + i);
    }
    const b1 = bytes[i + 1]!;
    if (b1 < lo || b1 > hi) throw new DecodeError('malformed-utf8', 'malformed UTF-8 encoding', base + i + 1);
    for (let k = 2; k <= need; k++) {
      const bk = bytes[i + k]!;
      if ((bk & 0xc0) !== 0x80) throw new DecodeError('malformed-utf8', 'malformed UTF-8 encoding', base + i + k);
    }
    i += need + 1;
  }
  if (ascii) {
    // Short ASCII names are the common case; avoid TextDecoder's call overhead for them.
    if (n <= 64) {
      let s = '';
      for (let k = 0; k < n; k++) s += String.fromCharCode(bytes[k]!);
      return s;
    }
  }
  return utf8.decode(bytes);
}
