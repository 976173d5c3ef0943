// A little-endian byte reader for DWARF sections (.debug_line, .debug_info, .debug_abbrev), shared by the
// line-table and inline-site parsers. Every read is bounds-checked and fails with a typed DwarfError.

export class DwarfError extends Error {
  /** The message without the position. */
  readonly detail: string;
  override name = 'DwarfError';
  readonly phase = 'attribution';
  constructor(
    readonly kind: 'truncated' | 'bad-version' | 'unsupported-form' | 'bad-header',
    message: string,
    readonly offset: number,
    /** The DWARF section the offset is in. */
    readonly section = '.debug_line',
  ) {
    super(`${message} at byte ${offset} of ${section}`);
    this.detail = message;
  }
}

const utf8 = new TextDecoder('utf-8');

export class DwarfReader {
  constructor(
    readonly b: Uint8Array,
    public at = 0,
  ) {}
  need(n: number): void {
    if (this.at + n > this.b.length) throw new DwarfError('truncated', 'unexpected end of data', this.at);
  }
  u8(): number {
    this.need(1);
    return this.b[this.at++];
  }
  u16(): number {
    this.need(2);
    const v = this.b[this.at] | (this.b[this.at + 1] << 8);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const b = this.b;
    const v = (b[this.at] | (b[this.at + 1] << 8) | (b[this.at + 2] << 16) | (b[this.at + 3] << 24)) >>> 0;
    this.at += 4;
    return v;
  }
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    // Offsets past 2^53 cannot be in a wasm file; keep them exact enough to fail bounds checks.
    return hi * 2 ** 32 + lo;
  }
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if ((byte & 0x80) === 0) return result;
    }
  }
  sleb(): number {
    let result = 0;
    let mul = 1;
    let byte: number;
    do {
      byte = this.u8();
      result += (byte & 0x7f) * mul;
      mul *= 128;
    } while (byte & 0x80);
    if (byte & 0x40) result -= mul;
    return result;
  }
  cstr(): string {
    const start = this.at;
    while (this.at < this.b.length && this.b[this.at] !== 0) this.at++;
    if (this.at >= this.b.length) throw new DwarfError('truncated', 'unterminated string', start);
    return utf8.decode(this.b.subarray(start, this.at++));
  }
  /** A little-endian unsigned integer of n bytes (n <= 8; exact below 2^53). */
  fixed(n: number): number {
    this.need(n);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.b[this.at + i];
    this.at += n;
    return v;
  }
  skip(n: number): void {
    this.need(n);
    this.at += n;
  }
  /** A NUL-terminated string as raw bytes (for rewriting without a decode/encode round trip). */
  cbytes(): Uint8Array {
    const start = this.at;
    const end = this.b.indexOf(0, start);
    if (end < 0) throw new DwarfError('truncated', 'unterminated string', start);
    this.at = end + 1;
    return this.b.subarray(start, end);
  }
  addr(size: number): number {
    if (size === 4) return this.u32();
    if (size === 8) return this.u64();
    if (size === 2) return this.u16();
    if (size === 1) return this.u8();
    throw new DwarfError('bad-header', `unsupported address size ${size}`, this.at);
  }
}
