import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors.ts';
import { Reader, decodeUtf8 } from './reader.ts';
import { decodeError, sleb, uleb } from './test-helpers.ts';

const rd = (bytes: number[]) => new Reader(new Uint8Array(bytes));

/** Pads an LEB encoding with redundant continuation bytes up to `len` bytes (still a valid encoding). */
function pad(enc: number[], len: number, negative: boolean): number[] {
  const out = enc.slice();
  if (out.length >= len) return out;
  out[out.length - 1]! |= 0x80;
  while (out.length < len - 1) out.push(negative ? 0xff : 0x80);
  out.push(negative ? 0x7f : 0x00);
  return out;
}

describe('u32', () => {
  it('reads one- and multi-byte values and the maximum', () => {
    expect(rd([0x00]).u32()).toBe(0);
    expect(rd([0x7f]).u32()).toBe(127);
    expect(rd([0x80, 0x01]).u32()).toBe(128);
    expect(rd([0xe5, 0x8e, 0x26]).u32()).toBe(624485);
    expect(rd([0xff, 0xff, 0xff, 0xff, 0x0f]).u32()).toBe(0xffffffff);
  });
  it('accepts redundant zero bytes up to five bytes', () => {
    const r = rd([0x80, 0x80, 0x80, 0x80, 0x00, 0x2a]);
    expect(r.u32()).toBe(0);
    expect(r.pos).toBe(5);
  });
  it('rejects a sixth byte as too long, with the offset of the fifth', () => {
    const e = decodeError(() => rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).u32());
    expect(e.kind).toBe('integer-too-long');
    expect(e.offset).toBe(4);
  });
  it('rejects set unused bits in the fifth byte as too large', () => {
    for (const last of [0x10, 0x1f, 0x40, 0x70]) {
      const e = decodeError(() => rd([0xff, 0xff, 0xff, 0xff, last]).u32());
      expect(e.kind).toBe('integer-too-large');
      expect(e.offset).toBe(4);
    }
  });
  it('reports truncation as unexpected-end at the missing byte', () => {
    const e = decodeError(() => rd([0x80, 0x80]).u32());
    expect(e.kind).toBe('unexpected-end');
    expect(e.offset).toBe(2);
  });
  it('round-trips every u32 at every legal length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 5 }), (v, len) => {
        const enc = pad(uleb(v), len, false);
        const r = rd(enc);
        expect(r.u32()).toBe(v);
        expect(r.pos).toBe(enc.length);
      }),
    );
  });
});

describe('s32', () => {
  it('reads sign-extended small values', () => {
    expect(rd([0x7f]).s32()).toBe(-1);
    expect(rd([0x40]).s32()).toBe(-64);
    expect(rd([0x3f]).s32()).toBe(63);
    expect(rd([0xc0, 0x00]).s32()).toBe(64);
    expect(rd([0xbf, 0x7f]).s32()).toBe(-65);
  });
  it('reads the extremes', () => {
    expect(rd([0x80, 0x80, 0x80, 0x80, 0x78]).s32()).toBe(-0x80000000);
    expect(rd([0xff, 0xff, 0xff, 0xff, 0x07]).s32()).toBe(0x7fffffff);
    expect(rd([0xff, 0xff, 0xff, 0xff, 0x7f]).s32()).toBe(-1);
  });
  it('rejects unused bits that are not a sign extension', () => {
    // Sign bit (bit 3) clear but bits 4..6 set, and the reverse.
    for (const last of [0x70, 0x0f, 0x17, 0x4f]) {
      const e = decodeError(() => rd([0x80, 0x80, 0x80, 0x80, last]).s32());
      expect(e.kind).toBe('integer-too-large');
    }
  });
  it('rejects six bytes', () => {
    expect(decodeError(() => rd([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).s32()).kind).toBe('integer-too-long');
  });
  it('round-trips every i32 at every legal length', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.integer({ min: 1, max: 5 }), (v, len) => {
        const enc = pad(sleb(v), len, v < 0);
        const r = rd(enc);
        expect(r.s32()).toBe(v);
        expect(r.pos).toBe(enc.length);
      }),
    );
  });
});

describe('s33 (block types)', () => {
  it('reads the single-byte negative forms used by value-type block types', () => {
    expect(rd([0x40]).s33()).toBe(-64);
    expect(rd([0x7f]).s33()).toBe(-1);
    expect(rd([0x6f]).s33()).toBe(-17);
  });
  it('reads the full 33-bit range', () => {
    expect(rd([0xff, 0xff, 0xff, 0xff, 0x0f]).s33()).toBe(0xffffffff);
    expect(rd([0x80, 0x80, 0x80, 0x80, 0x70]).s33()).toBe(-0x100000000);
    expect(rd([0x80, 0x80, 0x80, 0x80, 0x08]).s33()).toBe(0x80000000);
  });
  it('rejects unused bits that are not a sign extension', () => {
    for (const last of [0x10, 0x20, 0x4f, 0x6f]) {
      expect(decodeError(() => rd([0x80, 0x80, 0x80, 0x80, last]).s33()).kind).toBe('integer-too-large');
    }
    expect(decodeError(() => rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).s33()).kind).toBe('integer-too-long');
  });
  it('round-trips every s33 at every legal length', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x100000000, max: 0xffffffff }), fc.integer({ min: 1, max: 5 }), (v, len) => {
        const enc = pad(sleb(v), len, v < 0);
        expect(rd(enc).s33()).toBe(v);
      }),
    );
  });
});

describe('s64', () => {
  it('reads the extremes', () => {
    expect(rd([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]).s64()).toBe(-(2n ** 63n));
    expect(rd([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]).s64()).toBe(2n ** 63n - 1n);
    expect(rd([0x7f]).s64()).toBe(-1n);
  });
  it('handles values around the 49-bit switch to bigint arithmetic', () => {
    for (const v of [2n ** 48n, 2n ** 49n - 1n, 2n ** 49n, -(2n ** 48n), -(2n ** 49n), 2n ** 56n + 3n, -(2n ** 56n) - 3n]) {
      expect(rd(sleb(v)).s64()).toBe(v);
    }
  });
  it('rejects a tenth byte whose unused bits are not a sign extension', () => {
    const nine = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80];
    for (const last of [0x01, 0x7e, 0x02, 0x41]) {
      const e = decodeError(() => rd([...nine, last]).s64());
      expect(e.kind).toBe('integer-too-large');
      expect(e.offset).toBe(9);
    }
    expect(decodeError(() => rd([...nine, 0x80, 0x00]).s64()).kind).toBe('integer-too-long');
  });
  it('round-trips every i64 at every legal length', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: 1, max: 10 }), (v, len) => {
        const enc = pad(sleb(v), len, v < 0n);
        const r = rd(enc);
        expect(r.s64()).toBe(v);
        expect(r.pos).toBe(enc.length);
      }),
    );
  });
});

describe('floats', () => {
  it('keeps raw bits, including NaN payloads and negative zero', () => {
    expect(rd([0x00, 0x00, 0xa0, 0x7f]).f32Bits()).toBe(0x7fa00000);
    expect(rd([0x00, 0x00, 0x00, 0x80]).f32Bits()).toBe(-0x80000000);
    expect(rd([0, 0, 0, 0, 0, 0, 0, 0x80]).f64Bits()).toBe(-(2n ** 63n));
    expect(rd([1, 0, 0, 0, 0, 0, 0xf4, 0x7f]).f64Bits()).toBe(0x7ff4000000000001n);
  });
  it('rejects truncated constants', () => {
    expect(decodeError(() => rd([0, 0, 0]).f32Bits()).kind).toBe('unexpected-end');
    expect(decodeError(() => rd([0, 0, 0, 0, 0, 0, 0]).f64Bits()).kind).toBe('unexpected-end');
  });
});

describe('vectors and limits', () => {
  it('rejects a count that cannot fit in the remaining bytes before allocating', () => {
    const e = decodeError(() => rd([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]).count());
    expect(e.kind).toBe('unexpected-end');
    expect(e.offset).toBe(0);
  });
  it('respects the current read limit, not just the buffer end', () => {
    const r = new Reader(new Uint8Array([0x01, 0x02, 0x03]), 0, 1);
    expect(r.u8()).toBe(1);
    expect(decodeError(() => r.u8()).kind).toBe('unexpected-end');
  });
  it('errors carry absolute offsets when the reader starts mid-buffer', () => {
    const r = new Reader(new Uint8Array([0, 0, 0, 0x80]), 3);
    expect(decodeError(() => r.u32()).offset).toBe(4);
  });
});

describe('names (UTF-8)', () => {
  const name = (bytes: number[]) => rd([bytes.length, ...bytes]).name();
  it('decodes ASCII, multi-byte and 4-byte sequences, keeping a leading BOM', () => {
    expect(name([0x61, 0x62])).toBe('ab');
    expect(name([0xc3, 0xa9])).toBe('é');
    expect(name([0xe2, 0x82, 0xac])).toBe('€');
    expect(name([0xf0, 0x9f, 0x98, 0x80])).toBe('😀');
    expect(name([0xef, 0xbb, 0xbf, 0x41])).toBe('\ufeffA');
    expect(name([0xf4, 0x8f, 0xbf, 0xbf])).toBe('\u{10ffff}');
  });
  it('decodes long ASCII names', () => {
    expect(name(new Array(100).fill(0x7a))).toBe('z'.repeat(100));
  });
  it('rejects overlong forms, surrogates, values above U+10FFFF and broken sequences', () => {
    const bad = [
      [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf],
      [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff],
      [0x80], [0xe2, 0x82], [0xc3], [0xc3, 0x41], [0xe2, 0x28, 0xa1], [0xf0, 0x9f, 0x98],
    ];
    for (const b of bad) {
      const e = decodeError(() => name(b));
      expect(e.kind, JSON.stringify(b)).toBe('malformed-utf8');
      expect(e.offset).toBeGreaterThanOrEqual(1);
    }
  });
  it('agrees with a fatal TextDecoder on arbitrary bytes', () => {
    const ref = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        let expected: string | undefined;
        try {
          expected = ref.decode(bytes);
        } catch {
          expected = undefined;
        }
        let got: string | undefined;
        try {
          got = decodeUtf8(bytes, 0);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          got = undefined;
        }
        expect(got).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
  it('decodes every well-formed string back to itself', () => {
    const enc = new TextEncoder();
    // Any scalar value, weighted towards each UTF-8 length class.
    const codePoint = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0x7ff }),
      fc.integer({ min: 0x800, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
      fc.integer({ min: 0x10000, max: 0x10ffff }),
    );
    fc.assert(
      fc.property(fc.array(codePoint, { maxLength: 20 }), (cps) => {
        const s = String.fromCodePoint(...cps);
        expect(decodeUtf8(enc.encode(s), 0)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
  it('rejects a name length beyond the limit', () => {
    expect(decodeError(() => rd([0x05, 0x61]).name()).kind).toBe('unexpected-end');
  });
});
