// A growable byte buffer for regular files. Capacity doubles on growth so a run of appends costs
// amortised O(1) per byte; the O(n²) "copy the whole file on every fd_write" trap of other in-memory
// shims is avoided. Reads return views or copies of the live prefix only. fork() makes a copy-on-write
// twin (host snapshots, issue #6): both share the bytes until one of them is written.

const MIN_CAPACITY = 64;

export class FileData {
  private buf: Uint8Array;
  private len: number;
  /** The bytes may be shared with a fork: copy them before the next write. */
  private shared = false;

  constructor(initial?: Uint8Array) {
    this.len = initial?.length ?? 0;
    this.buf = new Uint8Array(Math.max(MIN_CAPACITY, this.len));
    if (initial) this.buf.set(initial);
  }

  get size(): number {
    return this.len;
  }

  /** Bytes currently reserved (for tests that check the growth strategy). */
  get capacity(): number {
    return this.buf.length;
  }

  /** A copy that shares the bytes with this one until either is written (O(1)). */
  fork(): FileData {
    const f = new FileData();
    f.buf = this.buf;
    f.len = this.len;
    f.shared = true;
    this.shared = true;
    return f;
  }

  /** The backing store (for counting bytes shared between forks). */
  get backing(): Uint8Array {
    return this.buf;
  }

  /** A read-only view of the live bytes; valid until the next mutation. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Copy up to `dst.length` bytes from `offset`; returns the count copied. */
  readInto(offset: number, dst: Uint8Array): number {
    if (offset >= this.len) return 0;
    const n = Math.min(dst.length, this.len - offset);
    dst.set(this.buf.subarray(offset, offset + n));
    return n;
  }

  /** Write `src` at `offset`, zero-filling any gap past the old end. */
  write(offset: number, src: Uint8Array): void {
    const end = offset + src.length;
    this.own();
    this.reserve(end);
    if (offset > this.len) this.buf.fill(0, this.len, offset);
    this.buf.set(src, offset);
    if (end > this.len) this.len = end;
  }

  /** Set the size: shrink drops bytes, grow zero-fills. */
  resize(size: number): void {
    if (size > this.len) {
      this.own();
      this.reserve(size);
      this.buf.fill(0, this.len, size);
    }
    this.len = size;
  }

  private own(): void {
    if (!this.shared) return;
    this.buf = this.buf.slice();
    this.shared = false;
  }

  private reserve(need: number): void {
    if (need <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < need) cap = cap < 1 << 30 ? cap * 2 : cap + (1 << 30);
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
