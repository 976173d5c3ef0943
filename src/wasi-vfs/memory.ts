// Guest memory access for the host functions. The buffer is re-read on every access because memory.grow
// (from the guest, or from another host call) detaches the old ArrayBuffer. Out-of-range pointers become
// errno `fault` (the guest passed a bad pointer), never a RangeError.

import type { MemoryHandle } from '../interp/api.ts';
import { E, WasiErrno } from './constants.ts';

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

export class GuestMemory {
  constructor(private readonly mem: () => MemoryHandle) {}

  private buf(): ArrayBuffer {
    return this.mem().buffer;
  }

  private check(ptr: number, len: number, size: number): void {
    if (ptr < 0 || len < 0 || ptr + len > size) throw new WasiErrno(E.fault);
  }

  view(): DataView {
    return new DataView(this.buf());
  }

  /** A live view of guest bytes (valid until the next grow). */
  bytes(ptr: number, len: number): Uint8Array {
    const b = this.buf();
    this.check(ptr >>> 0, len >>> 0, b.byteLength);
    return new Uint8Array(b, ptr >>> 0, len >>> 0);
  }

  u8(ptr: number): number {
    const v = this.view();
    this.check(ptr >>> 0, 1, v.byteLength);
    return v.getUint8(ptr >>> 0);
  }
  u16(ptr: number): number {
    const v = this.view();
    this.check(ptr >>> 0, 2, v.byteLength);
    return v.getUint16(ptr >>> 0, true);
  }
  u32(ptr: number): number {
    const v = this.view();
    this.check(ptr >>> 0, 4, v.byteLength);
    return v.getUint32(ptr >>> 0, true);
  }
  u64(ptr: number): bigint {
    const v = this.view();
    this.check(ptr >>> 0, 8, v.byteLength);
    return v.getBigUint64(ptr >>> 0, true);
  }
  setU8(ptr: number, x: number): void {
    const v = this.view();
    this.check(ptr >>> 0, 1, v.byteLength);
    v.setUint8(ptr >>> 0, x);
  }
  setU16(ptr: number, x: number): void {
    const v = this.view();
    this.check(ptr >>> 0, 2, v.byteLength);
    v.setUint16(ptr >>> 0, x, true);
  }
  setU32(ptr: number, x: number): void {
    const v = this.view();
    this.check(ptr >>> 0, 4, v.byteLength);
    v.setUint32(ptr >>> 0, x >>> 0, true);
  }
  setU64(ptr: number, x: bigint): void {
    const v = this.view();
    this.check(ptr >>> 0, 8, v.byteLength);
    v.setBigUint64(ptr >>> 0, BigInt.asUintN(64, x), true);
  }

  /** Decode a UTF-8 string; invalid UTF-8 is errno `ilseq` (WASI strings are UTF-8). */
  string(ptr: number, len: number): string {
    const b = this.bytes(ptr, len);
    try {
      return utf8Fatal.decode(b);
    } catch {
      throw new WasiErrno(E.ilseq);
    }
  }

  write(ptr: number, data: Uint8Array): void {
    this.bytes(ptr, data.length).set(data);
  }

  /** Read an iovec/ciovec array: pairs of (buf u32, len u32). */
  iovecs(ptr: number, count: number): { ptr: number; len: number }[] {
    const out: { ptr: number; len: number }[] = [];
    for (let i = 0; i < count >>> 0; i++) {
      const p = this.u32(ptr + i * 8);
      const l = this.u32(ptr + i * 8 + 4);
      this.bytes(p, l); // bounds check up front, before any side effect
      out.push({ ptr: p, len: l });
    }
    return out;
  }
}

export function utf8Bytes(s: string): Uint8Array {
  return utf8.encode(s);
}
