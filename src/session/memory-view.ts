// Which guest memory a WASI preview1 call reads or writes, from its raw arguments, and a bounded hex/text
// view of those bytes. Signatures follow the witx of wasi_snapshot_preview1 (typenames.witx sizes:
// iovec 8, fdstat 24, filestat 64, prestat 8, timestamp 8, subscription 48, event 32). Pointer arguments
// are i32 and read unsigned. Regions outside memory are reported, never read.

import type { Value } from '../interp/api.ts';

export type RegionRole = 'read' | 'write';

export interface MemoryRegion {
  /** 'read': the call takes these bytes from the guest; 'write': it puts results there. */
  role: RegionRole;
  /** What the bytes are, in the witx parameter's words (`path`, `iovs[0]`, `nwritten`...). */
  label: string;
  addr: number;
  len: number;
  /** False when [addr, addr+len) is not inside memory (the call then fails with `fault`). */
  inBounds: boolean;
  /** Up to `maxBytes` of the region, copied at the pause. */
  bytes: Uint8Array;
  /** Set when `bytes` is shorter than `len`. */
  truncated: boolean;
  /** Hex dump lines: `00001234  68 65 6c 6c 6f ...  |hello...|` (16 bytes a line). */
  hex: string[];
  /** The bytes as UTF-8 text when valid, else undefined. */
  text?: string;
}

export interface RegionSpec {
  role: RegionRole;
  label: string;
  addr: number;
  len: number;
}

export interface ViewOptions {
  /** Bytes copied per region (default 256). */
  maxBytes?: number;
  /** Regions listed per call (iovec arrays can be long; default 16). */
  maxRegions?: number;
}

const u32 = (v: Value | undefined): number => (typeof v === 'number' ? v >>> 0 : typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : 0);

function readU32(mem: Uint8Array, at: number): number | undefined {
  if (at + 4 > mem.length) return undefined;
  return (mem[at] | (mem[at + 1] << 8) | (mem[at + 2] << 16) | (mem[at + 3] << 24)) >>> 0;
}

/** The iovec array itself plus each buffer it names (wasi `iovec`/`ciovec`: buf u32, buf_len u32). */
function iovecs(mem: Uint8Array, ptr: number, count: number, bufRole: RegionRole, max: number, name = 'iovs'): RegionSpec[] {
  const out: RegionSpec[] = [{ role: 'read', label: name, addr: ptr, len: count * 8 }];
  for (let i = 0; i < count && out.length < max; i++) {
    const buf = readU32(mem, ptr + i * 8);
    const len = readU32(mem, ptr + i * 8 + 4);
    if (buf === undefined || len === undefined) break;
    out.push({ role: bufRole, label: `${name}[${i}]`, addr: buf, len });
  }
  return out;
}

const r = (label: string, addr: number, len: number): RegionSpec => ({ role: 'read', label, addr, len });
const w = (label: string, addr: number, len: number): RegionSpec => ({ role: 'write', label, addr, len });

/**
 * The regions call `fn` touches, given its raw arguments (as the engine passed them) and the memory at
 * the pause. Unknown functions touch nothing we know of.
 */
export function regionsOf(fn: string, raw: readonly Value[], mem: Uint8Array, maxRegions = 16): RegionSpec[] {
  const a = (i: number) => u32(raw[i]);
  switch (fn) {
    case 'args_sizes_get':
    case 'environ_sizes_get':
      return [w(fn === 'args_sizes_get' ? 'argc' : 'count', a(0), 4), w('buf_size', a(1), 4)];
    case 'args_get':
    case 'environ_get':
      // The pointer array's length is only known from the *_sizes_get call; show the start of the buffer.
      return [w(fn === 'args_get' ? 'argv_buf' : 'environ_buf', a(1), 64)];
    case 'clock_res_get':
      return [w('resolution', a(1), 8)];
    case 'clock_time_get':
      return [w('time', a(2), 8)];
    case 'fd_fdstat_get':
      return [w('fdstat', a(1), 24)];
    case 'fd_filestat_get':
      return [w('filestat', a(1), 64)];
    case 'fd_prestat_get':
      return [w('prestat', a(1), 8)];
    case 'fd_prestat_dir_name':
      return [w('path', a(1), a(2))];
    case 'fd_read':
    case 'fd_pread':
      return [...iovecs(mem, a(1), a(2), 'write', maxRegions - 1), w('nread', a(fn === 'fd_read' ? 3 : 4), 4)];
    case 'fd_write':
    case 'fd_pwrite':
      return [...iovecs(mem, a(1), a(2), 'read', maxRegions - 1), w('nwritten', a(fn === 'fd_write' ? 3 : 4), 4)];
    case 'fd_readdir':
      return [w('buf', a(1), a(2)), w('bufused', a(4), 4)];
    case 'fd_seek':
      return [w('newoffset', a(3), 8)];
    case 'fd_tell':
      return [w('offset', a(1), 8)];
    case 'path_create_directory':
    case 'path_remove_directory':
    case 'path_unlink_file':
      return [r('path', a(1), a(2))];
    case 'path_filestat_get':
      return [r('path', a(2), a(3)), w('filestat', a(4), 64)];
    case 'path_filestat_set_times':
      return [r('path', a(2), a(3))];
    case 'path_link':
      return [r('old_path', a(2), a(3)), r('new_path', a(5), a(6))];
    case 'path_open':
      return [r('path', a(2), a(3)), w('fd', a(8), 4)];
    case 'path_readlink':
      return [r('path', a(1), a(2)), w('buf', a(3), a(4)), w('bufused', a(5), 4)];
    case 'path_rename':
      return [r('old_path', a(1), a(2)), r('new_path', a(4), a(5))];
    case 'path_symlink':
      return [r('old_path', a(0), a(1)), r('new_path', a(3), a(4))];
    case 'poll_oneoff':
      return [r('in', a(0), a(2) * 48), w('out', a(1), a(2) * 32), w('nevents', a(3), 4)];
    case 'random_get':
      return [w('buf', a(0), a(1))];
    case 'sock_accept':
      return [w('fd', a(2), 4)];
    case 'sock_recv':
      return [...iovecs(mem, a(1), a(2), 'write', maxRegions - 2, 'ri_data'), w('ro_datalen', a(4), 4), w('ro_flags', a(5), 2)];
    case 'sock_send':
      return [...iovecs(mem, a(1), a(2), 'read', maxRegions - 1, 'si_data'), w('so_datalen', a(4), 4)];
    default:
      return [];
  }
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** Classic 16-bytes-a-line hex dump with an ASCII column; addresses are guest addresses. */
export function hexDump(bytes: Uint8Array, base: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(base + i).toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  return lines;
}

/** Copy and format the regions a call touches. `mem` is the live memory at the pause. */
export function memoryView(fn: string, raw: readonly Value[], mem: Uint8Array | undefined, opts: ViewOptions = {}): MemoryRegion[] {
  if (!mem) return [];
  const maxBytes = opts.maxBytes ?? 256;
  const specs = regionsOf(fn, raw, mem, opts.maxRegions ?? 16).slice(0, opts.maxRegions ?? 16);
  return specs.map((s) => {
    const inBounds = s.addr + s.len <= mem.length;
    const bytes = inBounds ? mem.slice(s.addr, s.addr + Math.min(s.len, maxBytes)) : new Uint8Array(0);
    let text: string | undefined;
    try {
      text = utf8Fatal.decode(bytes);
    } catch {
      text = undefined;
    }
    return { ...s, inBounds, bytes, truncated: bytes.length < s.len, hex: hexDump(bytes, s.addr), text };
  });
}
