// path_* syscalls. Every path goes through path.ts `resolve` from the directory fd, so `..`, symlinks,
// absolute paths and trailing slashes are handled in one place. Policy paths are computed from where the
// object really is (parent links), not from the text the guest wrote.

import { DIR_RIGHTS, E, FDFLAGS, FILE_RIGHTS, LOOKUP_SYMLINK_FOLLOW, OFLAGS, R, flagNames, rightNames } from './constants.ts';
import { dirPath, entryPath, guestJoin, type FdEntry, type WasiCtx } from './context.ts';
import { isDotName, resolve, type Resolved } from './path.ts';
import { utf8Bytes } from './memory.ts';
import type { TraceRecord } from './trace.ts';
import { setTimes, writeFilestat } from './syscalls-fd.ts';

type Rec = TraceRecord;
const u = (x: number): number => x >>> 0;

/** Rights that let an fd change file contents: their presence means "open for writing". */
const WRITE_RIGHTS = R.fd_write | R.fd_allocate | R.fd_filestat_set_size | R.fd_datasync;
const READ_RIGHTS = R.fd_read | R.fd_readdir;

function readPath(ctx: WasiCtx, rec: Rec, key: string, ptr: number, len: number): string {
  const p = ctx.mem.string(u(ptr), u(len));
  rec.args[key] = p;
  return p;
}

function policyPathOf(r: Resolved): string {
  return r.node && isDotName(r.name) && r.node.kind === 'dir' ? dirPath(r.node) : entryPath(r.parent, r.name);
}

export function path_create_directory(ctx: WasiCtx, rec: Rec, fd: number, ptr: number, len: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_create_directory);
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = resolve(d.node, path, false);
  if (r.node) return E.exist;
  ctx.decide(rec, 'create', policyPathOf(r));
  ctx.fs.mkdir(r.parent, r.name);
  return E.success;
}

export function path_filestat_get(ctx: WasiCtx, rec: Rec, fd: number, flags: number, ptr: number, len: number, buf: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_filestat_get);
  rec.args.flags = flags & LOOKUP_SYMLINK_FOLLOW ? ['symlink_follow'] : [];
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = resolve(d.node, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
  if (!r.node) return E.noent;
  ctx.decide(rec, 'read', policyPathOf(r));
  writeFilestat(ctx, buf, r.node);
  return E.success;
}

export function path_filestat_set_times(
  ctx: WasiCtx, rec: Rec, fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number,
): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_filestat_set_times);
  rec.args.flags = flags & LOOKUP_SYMLINK_FOLLOW ? ['symlink_follow'] : [];
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = resolve(d.node, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
  if (!r.node) return E.noent;
  ctx.decide(rec, 'write', policyPathOf(r));
  setTimes(ctx, rec, r.node, atim, mtim, fst);
  return E.success;
}

export function path_link(
  ctx: WasiCtx, rec: Rec, oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number,
): number {
  const od = ctx.dirFd(rec, 'old_fd', oldFd, R.path_link_source);
  const nd = ctx.dirFd(rec, 'new_fd', newFd, R.path_link_target);
  const oldPath = readPath(ctx, rec, 'old_path', oldPtr, oldLen);
  const newPath = readPath(ctx, rec, 'new_path', newPtr, newLen);
  const src = resolve(od.node, oldPath, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0);
  if (!src.node) return E.noent;
  if (src.node.kind === 'dir') return E.perm;
  if (src.trailingSlash) return E.notdir;
  const dst = resolve(nd.node, newPath, false);
  if (dst.node) return E.exist;
  if (dst.trailingSlash) return E.noent;
  // A second name for a file lets the guest write it through the new path, so linking needs the right to
  // write the source, not only to read it (otherwise a link into an allowed folder bypasses a write rule).
  ctx.decide(rec, 'read', policyPathOf(src));
  ctx.decide(rec, 'write', policyPathOf(src));
  ctx.decide(rec, 'create', policyPathOf(dst));
  ctx.fs.link(src.node, dst.parent, dst.name);
  return E.success;
}

export function path_open(
  ctx: WasiCtx, rec: Rec, fd: number, dirflags: number, ptr: number, len: number, oflags: number,
  base: bigint, inheriting: bigint, fdflags: number, fdOut: number,
): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_open);
  const path = readPath(ctx, rec, 'path', ptr, len);
  const follow = (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0;
  const wantBase = BigInt.asUintN(64, base);
  const wantInh = BigInt.asUintN(64, inheriting);
  rec.args.dirflags = follow ? ['symlink_follow'] : [];
  rec.args.oflags = flagNames(OFLAGS, oflags);
  rec.args.fdflags = flagNames(FDFLAGS, fdflags);
  rec.args.rights = rightNames(wantBase);
  if (oflags & ~0xf || fdflags & ~0x1f) return E.inval;
  if (oflags & OFLAGS.creat && (d.rightsBase & R.path_create_file) === 0n) return E.notcapable;
  if (oflags & OFLAGS.trunc && (d.rightsBase & R.path_filestat_set_size) === 0n) return E.notcapable;
  ctx.mem.bytes(u(fdOut), 4); // a bad result pointer fails before anything is created

  const r = resolve(d.node, path, follow);
  let node = r.node;
  // Asking to write a file through a directory that may not hand down write rights (a read-only mount)
  // fails here, at open, rather than handing out an fd whose writes would all fail later.
  if (node?.kind !== 'dir' && (wantBase & WRITE_RIGHTS & ~d.rightsInheriting) !== 0n) return E.notcapable;
  const ppath = policyPathOf(r);
  const writeIntent = (wantBase & WRITE_RIGHTS) !== 0n || (oflags & OFLAGS.trunc) !== 0 || (fdflags & FDFLAGS.append) !== 0;
  const readIntent = (wantBase & READ_RIGHTS) !== 0n;
  if (!node) {
    if (!(oflags & OFLAGS.creat)) return E.noent;
    if (r.trailingSlash || oflags & OFLAGS.directory) return r.trailingSlash ? E.isdir : E.noent;
    ctx.decide(rec, 'create', ppath);
    if (writeIntent) ctx.decide(rec, 'write', ppath);
    node = ctx.fs.createFile(r.parent, r.name);
  } else {
    if (oflags & OFLAGS.creat && oflags & OFLAGS.excl) return E.exist;
    if (node.kind === 'symlink') return oflags & OFLAGS.directory ? E.notdir : E.loop;
    if (oflags & OFLAGS.directory && node.kind !== 'dir') return E.notdir;
    if (node.kind === 'dir') {
      if (oflags & OFLAGS.trunc || (wantBase & (R.fd_write | R.fd_allocate | R.fd_filestat_set_size)) !== 0n && (wantBase & R.fd_readdir) === 0n) {
        return E.isdir;
      }
    }
    // Any open that is not write-only reveals the object (its fd can be stat'ed), so it counts as a read.
    if (readIntent || !writeIntent) ctx.decide(rec, 'read', ppath);
    if (writeIntent && node.kind === 'file') ctx.decide(rec, 'write', ppath);
    if (oflags & OFLAGS.trunc && node.kind === 'file') ctx.fs.truncate(node, 0);
  }
  // The new fd gets what was asked, within what the directory may hand down and what fits the object.
  const fits = node.kind === 'dir' ? DIR_RIGHTS : FILE_RIGHTS;
  const entry: FdEntry = {
    kind: node.kind === 'dir' ? 'dir' : 'file',
    node,
    path: guestJoin(d.path, path),
    policyPath: ppath,
    rightsBase: wantBase & d.rightsInheriting & fits,
    rightsInheriting: wantInh & d.rightsInheriting,
    fdflags: fdflags & 0x1f,
    offset: 0,
    root: d.root,
  };
  const newFd = ctx.allocFd(entry);
  ctx.mem.setU32(u(fdOut), newFd);
  rec.out = { fd: newFd };
  return E.success;
}

export function path_readlink(ctx: WasiCtx, rec: Rec, fd: number, ptr: number, len: number, buf: number, bufLen: number, bufUsed: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_readlink);
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = resolve(d.node, path, false);
  if (!r.node) return E.noent;
  if (r.node.kind !== 'symlink') return E.inval;
  ctx.decide(rec, 'read', policyPathOf(r));
  const target = utf8Bytes(r.node.target);
  const n = Math.min(target.length, u(bufLen));
  ctx.mem.write(u(buf), target.subarray(0, n));
  ctx.mem.setU32(u(bufUsed), n);
  rec.out = { target: r.node.target };
  return E.success;
}

export function path_remove_directory(ctx: WasiCtx, rec: Rec, fd: number, ptr: number, len: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_remove_directory);
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = resolve(d.node, path, false);
  if (!r.node) return E.noent;
  if (isDotName(r.name)) return r.name === '.' ? E.inval : E.notempty;
  if (r.node.kind !== 'dir') return E.notdir;
  ctx.decide(rec, 'delete', policyPathOf(r));
  ctx.fs.rmdir(r.parent, r.name);
  return E.success;
}

export function path_rename(ctx: WasiCtx, rec: Rec, fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
  const od = ctx.dirFd(rec, 'fd', fd, R.path_rename_source);
  const nd = ctx.dirFd(rec, 'new_fd', newFd, R.path_rename_target);
  const oldPath = readPath(ctx, rec, 'old_path', oldPtr, oldLen);
  const newPath = readPath(ctx, rec, 'new_path', newPtr, newLen);
  const src = resolve(od.node, oldPath, false);
  if (!src.node) return E.noent;
  const dst = resolve(nd.node, newPath, false);
  if (isDotName(src.name) || isDotName(dst.name)) return E.busy;
  // A trailing slash on either side demands a directory (path-resolution.md, trailing slashes).
  if ((src.trailingSlash || dst.trailingSlash) && src.node.kind !== 'dir') return E.notdir;
  if (dst.node && dst.node.kind !== 'dir' && src.node.kind === 'dir') return E.notdir;
  const from = policyPathOf(src);
  const to = policyPathOf(dst);
  // The content arrives under the new name, so the destination needs create and write, like a new file
  // opened for writing; replacing an existing entry also deletes it.
  ctx.decide(rec, 'delete', from);
  ctx.decide(rec, 'create', to);
  ctx.decide(rec, 'write', to);
  if (dst.node) ctx.decide(rec, 'delete', to);
  if (src.node.kind === 'dir') {
    ctx.decideTree(rec, 'delete', src.node, from);
    ctx.decideTree(rec, 'create', src.node, to);
    ctx.decideTree(rec, 'write', src.node, to);
  }
  ctx.fs.rename(src.parent, src.name, dst.parent, dst.name);
  return E.success;
}

export function path_symlink(ctx: WasiCtx, rec: Rec, oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
  const target = readPath(ctx, rec, 'old_path', oldPtr, oldLen);
  const d = ctx.dirFd(rec, 'fd', fd, R.path_symlink);
  const newPath = readPath(ctx, rec, 'new_path', newPtr, newLen);
  if (target.includes('\0')) return E.inval;
  if (target.length === 0) return E.noent; // POSIX symlink(2): an empty target is ENOENT
  // An absolute target could never resolve inside the sandbox; refuse it when it is made.
  if (target.startsWith('/')) return E.perm;
  const r = resolve(d.node, newPath, false);
  if (r.node) return r.trailingSlash && r.node.kind !== 'dir' ? E.notdir : E.exist;
  if (r.trailingSlash) return E.noent;
  ctx.decide(rec, 'create', policyPathOf(r));
  ctx.fs.symlink(r.parent, r.name, target);
  return E.success;
}

export function path_unlink_file(ctx: WasiCtx, rec: Rec, fd: number, ptr: number, len: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_unlink_file);
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = resolve(d.node, path, false);
  if (!r.node) return E.noent;
  if (r.node.kind === 'dir') return E.isdir;
  if (r.trailingSlash) return E.notdir;
  ctx.decide(rec, 'delete', policyPathOf(r));
  ctx.fs.unlink(r.parent, r.name);
  return E.success;
}
