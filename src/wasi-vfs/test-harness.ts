// Test support (not shipped behaviour): a WasiHost bound to a plain ArrayBuffer "memory", so syscalls can
// be called directly with pointers, without compiling a wasm module. Used by the *.test.ts files here.

import type { Instance, MemoryHandle } from '../interp/api.ts';
import { E, errnoName } from './constants.ts';
import { MemFS } from './fs.ts';
import { WasiHost, type WasiOptions } from './host.ts';

const PAGE = 65536;
const utf8 = new TextEncoder();

export class Harness {
  readonly fs: MemFS;
  readonly host: WasiHost;
  readonly buf = new ArrayBuffer(16 * PAGE);
  readonly out: Uint8Array[] = [];
  private heap = 4096;
  private readonly fns: Record<string, (...a: (number | bigint)[]) => number>;

  constructor(opts: Partial<WasiOptions> = {}) {
    this.fs = opts.fs ?? new MemFS({ now: () => 0n });
    this.host = new WasiHost({ stdout: { write: (b) => this.out.push(b.slice()) }, ...opts, fs: this.fs });
    const buf = this.buf;
    const mem: MemoryHandle = { kind: 'memory', type: { limits: { min: 16 } }, get buffer() { return buf; }, size: () => 16, grow: () => -1 };
    this.host.bind({ exports: { memory: mem } } as unknown as Instance);
    const imports = this.host.imports().wasi_snapshot_preview1 ?? {};
    this.fns = {};
    for (const [name, f] of Object.entries(imports)) {
      if (f?.kind !== 'host') continue;
      const fn = f.fn;
      this.fns[name] = (...a) => fn(a, { module: 'wasi_snapshot_preview1', name }) as number;
    }
  }

  /** Call a syscall with raw values; returns the errno. */
  call(name: string, ...args: (number | bigint)[]): number {
    const f = this.fns[name];
    if (!f) throw new Error(`no such syscall ${name}`);
    return f(...args);
  }

  alloc(n: number): number {
    const p = this.heap;
    this.heap += (n + 7) & ~7;
    if (this.heap > this.buf.byteLength) this.heap = 4096;
    return p;
  }

  /** Put a string (or raw bytes) in memory; returns [ptr, len]. */
  str(s: string | Uint8Array): [number, number] {
    const b = typeof s === 'string' ? utf8.encode(s) : s;
    const p = this.alloc(b.length + 1);
    new Uint8Array(this.buf, p, b.length).set(b);
    return [p, b.length];
  }

  u32(p: number): number {
    return new DataView(this.buf).getUint32(p, true);
  }
  u64(p: number): bigint {
    return new DataView(this.buf).getBigUint64(p, true);
  }
  bytes(p: number, n: number): Uint8Array {
    return new Uint8Array(this.buf, p, n).slice();
  }

  /** path_open; returns the new fd or throws with the errno name. */
  open(dirFd: number, path: string, opts: { oflags?: number; rights?: bigint; inherit?: bigint; fdflags?: number; follow?: boolean } = {}): number {
    const r = this.tryOpen(dirFd, path, opts);
    if (r.errno !== E.success) throw new Error(`path_open(${path}) = ${errnoName(r.errno)}`);
    return r.fd;
  }

  tryOpen(dirFd: number, path: string, opts: { oflags?: number; rights?: bigint; inherit?: bigint; fdflags?: number; follow?: boolean } = {}): { errno: number; fd: number } {
    const [p, l] = this.str(path);
    const out = this.alloc(4);
    const errno = this.call('path_open', dirFd, opts.follow === false ? 0 : 1, p, l, opts.oflags ?? 0, opts.rights ?? (1n << 30n) - 1n, opts.inherit ?? (1n << 30n) - 1n, opts.fdflags ?? 0, out);
    return { errno, fd: this.u32(out) };
  }

  /** Call a path syscall of the form (fd, path_ptr, path_len). */
  pathCall(name: string, fd: number, path: string): number {
    const [p, l] = this.str(path);
    return this.call(name, fd, p, l);
  }

  write(fd: number, data: string | Uint8Array): number {
    const [p, l] = this.str(data);
    const iov = this.alloc(8);
    const dv = new DataView(this.buf);
    dv.setUint32(iov, p, true);
    dv.setUint32(iov + 4, l, true);
    const n = this.alloc(4);
    const e = this.call('fd_write', fd, iov, 1, n);
    if (e !== E.success) throw new Error(`fd_write = ${errnoName(e)}`);
    return this.u32(n);
  }

  read(fd: number, max: number): Uint8Array {
    const p = this.alloc(max);
    const iov = this.alloc(8);
    const dv = new DataView(this.buf);
    dv.setUint32(iov, p, true);
    dv.setUint32(iov + 4, max, true);
    const n = this.alloc(4);
    const e = this.call('fd_read', fd, iov, 1, n);
    if (e !== E.success) throw new Error(`fd_read = ${errnoName(e)}`);
    return this.bytes(p, this.u32(n));
  }

  /** The text of a file in the FS, or undefined. */
  fileText(path: string): string | undefined {
    let node = this.fs.root as import('./fs.ts').Node | undefined;
    for (const c of path.split('/')) node = node?.kind === 'dir' ? node.entries.get(c) : undefined;
    return node?.kind === 'file' ? new TextDecoder().decode(node.data.view()) : undefined;
  }
}

export const PREOPEN_FD = 3;
