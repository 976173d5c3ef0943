// fd_* syscalls (wasi_snapshot_preview1, "Functions": fd_advise … fd_write). Each is a plain function
// (ctx, rec, ...args) → errno; ctx.fd() does the fd and rights check and records the fd in the trace.
// Values arrive as the engine gives them: i32 as signed numbers (`>>> 0` makes them unsigned), i64 as
// signed bigints.

import {
  ADVICE_MAX, E, FDFLAGS, FILETYPE, FSTFLAGS, PREOPENTYPE_DIR, R, WHENCE, WHENCE_NAMES, WasiErrno, flagNames, rightNames,
} from './constants.ts';
import { filetypeOf, guestPathOf, type FdEntry, type WasiCtx } from './context.ts';
import { FS_DEV, nlinkOf, sizeOf, type FileNode, type Node } from './fs.ts';
import { utf8Bytes } from './memory.ts';
import type { TraceRecord } from './trace.ts';

type Rec = TraceRecord;
const u = (x: number): number => x >>> 0;
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);

/** Largest file offset we accept: Number.MAX_SAFE_INTEGER keeps offsets exact in JS numbers. */
const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);

function fileOf(e: FdEntry): FileNode {
  if (e.kind === 'dir') throw new WasiErrno(E.isdir);
  if (e.node?.kind !== 'file') throw new WasiErrno(E.badf);
  return e.node;
}

export function writeFilestat(ctx: WasiCtx, ptr: number, node: Node | undefined, stdio = false): void {
  const m = ctx.mem;
  const p = u(ptr);
  m.bytes(p, 64).fill(0);
  if (!node) {
    m.setU8(p + 16, stdio ? FILETYPE.character_device : FILETYPE.unknown);
    m.setU64(p + 24, 1n);
    return;
  }
  m.setU64(p, FS_DEV);
  m.setU64(p + 8, BigInt(node.ino));
  m.setU8(p + 16, filetypeOf(node));
  m.setU64(p + 24, nlinkOf(node));
  m.setU64(p + 32, sizeOf(node));
  m.setU64(p + 40, node.atim);
  m.setU64(p + 48, node.mtim);
  m.setU64(p + 56, node.ctim);
}

/**
 * Apply fstflags to a node (fd_filestat_set_times / path_filestat_set_times). Setting both a time and its
 * `_now` variant is inval (preview1 docs, fstflags).
 */
export function setTimes(ctx: WasiCtx, rec: Rec, node: Node, atim: bigint, mtim: bigint, fst: number): void {
  rec.args.fst_flags = flagNames(FSTFLAGS, fst);
  if (fst & ~0xf) throw new WasiErrno(E.inval);
  if ((fst & FSTFLAGS.atim && fst & FSTFLAGS.atim_now) || (fst & FSTFLAGS.mtim && fst & FSTFLAGS.mtim_now)) throw new WasiErrno(E.inval);
  const now = ctx.fs.now();
  if (fst & FSTFLAGS.atim) node.atim = u64(atim);
  if (fst & FSTFLAGS.atim_now) node.atim = now;
  if (fst & FSTFLAGS.mtim) node.mtim = u64(mtim);
  if (fst & FSTFLAGS.mtim_now) node.mtim = now;
  node.ctim = now;
  node.version++;
}

export function fd_advise(ctx: WasiCtx, rec: Rec, fd: number, offset: bigint, len: bigint, advice: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_advise);
  rec.args.offset = String(u64(offset));
  rec.args.len = String(u64(len));
  rec.args.advice = advice;
  if (u(advice) > ADVICE_MAX) return E.inval;
  if (e.kind === 'dir') return E.badf;
  return E.success;
}

export function fd_allocate(ctx: WasiCtx, rec: Rec, fd: number, offset: bigint, len: bigint): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_allocate);
  rec.args.offset = String(u64(offset));
  rec.args.len = String(u64(len));
  const f = fileOf(e);
  const end = u64(offset) + u64(len);
  if (end > MAX_OFFSET) return E.fbig;
  if (end > BigInt(f.data.size)) ctx.fs.truncate(f, Number(end));
  return E.success;
}

export function fd_close(ctx: WasiCtx, rec: Rec, fd: number): number {
  ctx.fd(rec, 'fd', fd);
  ctx.closeFd(u(fd));
  return E.success;
}

export function fd_datasync(ctx: WasiCtx, rec: Rec, fd: number): number {
  ctx.fd(rec, 'fd', fd, R.fd_datasync);
  return E.success;
}

export function fd_sync(ctx: WasiCtx, rec: Rec, fd: number): number {
  ctx.fd(rec, 'fd', fd, R.fd_sync);
  return E.success;
}

export function fd_fdstat_get(ctx: WasiCtx, rec: Rec, fd: number, ptr: number): number {
  const e = ctx.fd(rec, 'fd', fd);
  const m = ctx.mem;
  const p = u(ptr);
  m.bytes(p, 24).fill(0);
  m.setU8(p, e.kind === 'stdio' ? FILETYPE.character_device : e.node ? filetypeOf(e.node) : FILETYPE.unknown);
  m.setU16(p + 2, e.fdflags);
  m.setU64(p + 8, e.rightsBase);
  m.setU64(p + 16, e.rightsInheriting);
  return E.success;
}

export function fd_fdstat_set_flags(ctx: WasiCtx, rec: Rec, fd: number, flags: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_fdstat_set_flags);
  rec.args.flags = flagNames(FDFLAGS, flags);
  if (flags & ~0x1f) return E.inval;
  if (flags & FDFLAGS.append && e.kind === 'file' && (e.rightsBase & R.fd_write) === 0n) return E.notcapable;
  e.fdflags = flags & 0x1f;
  return E.success;
}

/** Rights can only be dropped (preview1: fd_fdstat_set_rights "can only remove rights"). */
export function fd_fdstat_set_rights(ctx: WasiCtx, rec: Rec, fd: number, base: bigint, inh: bigint): number {
  const e = ctx.fd(rec, 'fd', fd);
  const b = u64(base);
  const i = u64(inh);
  rec.args.base = rightNames(b);
  rec.args.inheriting = rightNames(i);
  if ((b & ~e.rightsBase) !== 0n || (i & ~e.rightsInheriting) !== 0n) return E.notcapable;
  e.rightsBase = b;
  e.rightsInheriting = i;
  return E.success;
}

export function fd_filestat_get(ctx: WasiCtx, rec: Rec, fd: number, ptr: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_filestat_get);
  writeFilestat(ctx, ptr, e.node, e.kind === 'stdio');
  return E.success;
}

export function fd_filestat_set_size(ctx: WasiCtx, rec: Rec, fd: number, size: bigint): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_filestat_set_size);
  rec.args.size = String(u64(size));
  const f = fileOf(e);
  if (u64(size) > MAX_OFFSET) return E.fbig;
  ctx.fs.truncate(f, Number(u64(size)));
  return E.success;
}

export function fd_filestat_set_times(ctx: WasiCtx, rec: Rec, fd: number, atim: bigint, mtim: bigint, fst: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_filestat_set_times);
  if (!e.node) return E.badf;
  ctx.decide(rec, 'write', e.policyPath, guestPathOf(e.path, ''));
  setTimes(ctx, rec, e.node, atim, mtim, fst);
  return E.success;
}

function readIovs(ctx: WasiCtx, rec: Rec, e: FdEntry, iovs: number, n: number, at: number | undefined): number {
  const vecs = ctx.mem.iovecs(u(iovs), u(n));
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (e.kind === 'stdio') {
    for (const v of vecs) {
      const got = ctx.stdin.read(v.len);
      ctx.mem.write(v.ptr, got);
      chunks.push(got);
      total += got.length;
      if (got.length < v.len) break;
    }
  } else {
    const f = fileOf(e);
    let pos = at ?? e.offset;
    for (const v of vecs) {
      const dst = ctx.mem.bytes(v.ptr, v.len);
      const got = f.data.readInto(pos, dst);
      chunks.push(dst.subarray(0, got));
      pos += got;
      total += got;
      if (got < v.len) break;
    }
    if (at === undefined) e.offset = pos;
  }
  ctx.trace?.attachData(rec, chunks, total);
  return total;
}

function writeIovs(ctx: WasiCtx, rec: Rec, e: FdEntry, iovs: number, n: number, at: number | undefined): number {
  const vecs = ctx.mem.iovecs(u(iovs), u(n));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const v of vecs) {
    // Copy out of guest memory: sinks and the file buffer must not alias it.
    chunks.push(ctx.mem.bytes(v.ptr, v.len).slice());
    total += v.len;
  }
  if (e.kind === 'stdio') {
    const sink = e.stdio === 2 ? ctx.stderr : e.stdio === 1 ? ctx.stdout : undefined;
    if (!sink) throw new WasiErrno(E.badf);
    for (const c of chunks) if (c.length) sink.write(c);
  } else {
    const f = fileOf(e);
    let pos = at ?? (e.fdflags & FDFLAGS.append ? f.data.size : e.offset);
    for (const c of chunks) {
      ctx.fs.writeFile(f, pos, c);
      pos += c.length;
    }
    if (at === undefined) e.offset = pos;
  }
  ctx.trace?.attachData(rec, chunks, total);
  return total;
}

export function fd_read(ctx: WasiCtx, rec: Rec, fd: number, iovs: number, n: number, nread: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_read);
  const total = readIovs(ctx, rec, e, iovs, n, undefined);
  ctx.mem.setU32(u(nread), total);
  return E.success;
}

export function fd_pread(ctx: WasiCtx, rec: Rec, fd: number, iovs: number, n: number, offset: bigint, nread: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_read | R.fd_seek);
  rec.args.offset = String(u64(offset));
  if (e.kind === 'stdio') return E.spipe;
  if (u64(offset) > MAX_OFFSET) return E.inval;
  const total = readIovs(ctx, rec, e, iovs, n, Number(u64(offset)));
  ctx.mem.setU32(u(nread), total);
  return E.success;
}

export function fd_write(ctx: WasiCtx, rec: Rec, fd: number, iovs: number, n: number, nwritten: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_write);
  const total = writeIovs(ctx, rec, e, iovs, n, undefined);
  ctx.mem.setU32(u(nwritten), total);
  return E.success;
}

export function fd_pwrite(ctx: WasiCtx, rec: Rec, fd: number, iovs: number, n: number, offset: bigint, nwritten: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_write | R.fd_seek);
  rec.args.offset = String(u64(offset));
  if (e.kind === 'stdio') return E.spipe;
  if (u64(offset) > MAX_OFFSET) return E.inval;
  const total = writeIovs(ctx, rec, e, iovs, n, Number(u64(offset)));
  ctx.mem.setU32(u(nwritten), total);
  return E.success;
}

export function fd_prestat_get(ctx: WasiCtx, rec: Rec, fd: number, ptr: number): number {
  const e = ctx.fd(rec, 'fd', fd);
  if (e.preopen === undefined) return E.badf;
  ctx.mem.setU32(u(ptr), PREOPENTYPE_DIR);
  ctx.mem.setU32(u(ptr) + 4, utf8Bytes(e.preopen).length);
  return E.success;
}

export function fd_prestat_dir_name(ctx: WasiCtx, rec: Rec, fd: number, ptr: number, len: number): number {
  const e = ctx.fd(rec, 'fd', fd);
  if (e.preopen === undefined) return E.badf;
  const name = utf8Bytes(e.preopen);
  if (u(len) < name.length) return E.nametoolong;
  ctx.mem.write(u(ptr), name);
  return E.success;
}

/** Directory entries in a stable order: '.', '..', then names sorted by UTF-16 code unit. */
function dirListing(e: FdEntry): { name: string; node: Node }[] {
  const dir = e.node;
  if (dir?.kind !== 'dir') throw new WasiErrno(E.notdir);
  const names = [...dir.entries.keys()].sort();
  const out = [
    { name: '.', node: dir as Node },
    // At the preopen's root, '..' names the root itself, so not even an inode number leaks from outside.
    { name: '..', node: (dir === e.root || !dir.parent ? dir : dir.parent) as Node },
  ];
  for (const n of names) out.push({ name: n, node: dir.entries.get(n) as Node });
  return out;
}

export function fd_readdir(ctx: WasiCtx, rec: Rec, fd: number, buf: number, len: number, cookie: bigint, bufused: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_readdir);
  rec.args.cookie = String(u64(cookie));
  if (e.kind !== 'dir') return E.notdir;
  ctx.decide(rec, 'read', e.policyPath, guestPathOf(e.path, ''));
  const list = dirListing(e);
  const cap = u(len);
  const out = new Uint8Array(cap);
  let used = 0;
  for (let i = Number(u64(cookie) > BigInt(list.length) ? BigInt(list.length) : u64(cookie)); i < list.length && used < cap; i++) {
    const { name, node } = list[i];
    const nameBytes = utf8Bytes(name);
    const ent = new Uint8Array(24 + nameBytes.length);
    const ev = new DataView(ent.buffer);
    ev.setBigUint64(0, BigInt(i + 1), true);
    ev.setBigUint64(8, BigInt(node.ino), true);
    ev.setUint32(16, nameBytes.length, true);
    ev.setUint8(20, filetypeOf(node));
    ent.set(nameBytes, 24);
    // A partial entry fills the buffer; the guest sees bufused == len and retries with a larger buffer.
    const n = Math.min(ent.length, cap - used);
    out.set(ent.subarray(0, n), used);
    used += n;
  }
  ctx.mem.write(u(buf), out.subarray(0, used));
  ctx.mem.setU32(u(bufused), used);
  rec.out = { bufused: used };
  return E.success;
}

export function fd_renumber(ctx: WasiCtx, rec: Rec, from: number, to: number): number {
  const src = ctx.fd(rec, 'from', from);
  ctx.fd(rec, 'to', to);
  if (u(from) === u(to)) return E.success;
  ctx.fds.set(u(to), src);
  ctx.closeFd(u(from));
  return E.success;
}

export function fd_seek(ctx: WasiCtx, rec: Rec, fd: number, offset: bigint, whence: number, newoff: number): number {
  // Seeking by 0 from the current position is a tell, which needs only fd_tell (preview1 docs, fd_seek).
  const isTell = offset === 0n && whence === WHENCE.cur;
  const e = ctx.fd(rec, 'fd', fd, isTell ? 0n : R.fd_seek);
  if (isTell && (e.rightsBase & (R.fd_seek | R.fd_tell)) === 0n) return E.notcapable;
  rec.args.offset = String(offset);
  rec.args.whence = WHENCE_NAMES[whence] ?? whence;
  if (e.kind === 'stdio') return E.spipe;
  if (e.kind === 'dir') return E.badf;
  const f = fileOf(e);
  let base: bigint;
  if (whence === WHENCE.set) base = 0n;
  else if (whence === WHENCE.cur) base = BigInt(e.offset);
  else if (whence === WHENCE.end) base = BigInt(f.data.size);
  else return E.inval;
  const pos = base + offset;
  if (pos < 0n || pos > MAX_OFFSET) return E.inval;
  e.offset = Number(pos);
  ctx.mem.setU64(u(newoff), pos);
  rec.out = { offset: String(pos) };
  return E.success;
}

export function fd_tell(ctx: WasiCtx, rec: Rec, fd: number, ptr: number): number {
  const e = ctx.fd(rec, 'fd', fd, R.fd_tell);
  if (e.kind === 'stdio') return E.spipe;
  if (e.kind === 'dir') return E.badf;
  ctx.mem.setU64(u(ptr), BigInt(e.offset));
  rec.out = { offset: e.offset };
  return E.success;
}
