// path_* syscalls. Every path goes through path.ts `resolve` from the directory fd, so `..`, symlinks,
// absolute paths and trailing slashes are handled in one place. Policy paths are computed from where the
// object really is (parent links), not from the text the guest wrote.
//
// The policy is asked before existence matters (`locate`, then `ctx.decide`, then the existence and type
// checks): a denied path answers `acces` whether or not it exists, so the errno never tells a denied guest
// what is there, and every attempt is in the trace with its rule. A path that resolution could not finish
// (a missing or non-directory component, a symlink loop) is decided where it was going: the directory
// reached plus the rest. Escapes are refused with `perm` and their decision is recorded here by the host
// (rule `sandbox:outside-package`, context.ts ESCAPE_RULE); no policy is asked about them.

import type { FsOp } from '../policy/schema.ts';
import { DIR_RIGHTS, E, FDFLAGS, FILE_RIGHTS, LOOKUP_SYMLINK_FOLLOW, OFLAGS, R, flagNames, rightNames } from './constants.ts';
import { dirPath, entryPath, guestJoin, guestPathOf, type FdEntry, type WasiCtx } from './context.ts';
import type { DirNode } from './fs.ts';
import { isDotName, resolve, ResolveError, type Resolved } from './path.ts';
import { utf8Bytes } from './memory.ts';
import type { TraceRecord } from './trace.ts';
import { setTimes, writeFilestat } from './syscalls-fd.ts';

type Rec = TraceRecord;
type DirFd = FdEntry & { node: DirNode };
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

/** `dir` (a package path) followed by path components, lexically; `..` pops, and stays when above the root. */
function joinLexical(dir: string, rest: readonly string[]): string {
  const out = dir === '.' ? [] : dir.split('/');
  for (const c of rest) {
    if (c === '' || c === '.') continue;
    if (c === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(c);
  }
  return out.length ? out.join('/') : '.';
}

/** `dir` followed by components as written (the part resolution never reached: `..` stays literal). */
function joinRest(dir: string, rest: readonly string[]): string {
  const parts = [...(dir === '.' ? [] : [dir]), ...rest.filter((c) => c !== '' && c !== '.')];
  return parts.length ? parts.join('/') : '.';
}

/** Where an escape was going: relative to the package root (may start with `..`), or absolute. */
function escapePath(e: ResolveError): string {
  return e.absolute ? `/${e.rest.join('/')}` : joinLexical(dirPath(e.at), e.rest);
}

/** The one op named for an escape (the most consequential of those the call would have needed). */
function escapeOp(ops: readonly FsOp[]): FsOp {
  for (const op of ['create', 'delete', 'write'] as const) if (ops.includes(op)) return op;
  return 'read';
}

interface Located extends Resolved {
  /** Package-relative path of the object, or of the missing final entry (what the policy judges). */
  ppath: string;
  /** The path as the guest names it (context.ts, guestPathOf). */
  gpath: string;
}

const READ: readonly FsOp[] = ['read'];
const WRITE: readonly FsOp[] = ['write'];
const CREATE: readonly FsOp[] = ['create'];
const DELETE: readonly FsOp[] = ['delete'];
/**
 * Creating over an existing entry (mkdir, symlink, link target) creates nothing; the call would only report
 * that the entry is there (`exist`), which is what a stat reveals: a `read`. So Zig's `makePath` on a folder
 * the guest may read but not create still gets `exist`, as on POSIX, while a path the guest may neither
 * read nor create answers `acces` whether or not it exists.
 */
const REVEAL: readonly FsOp[] = ['read'];

/**
 * Resolve `path` from directory fd `d`. When resolution cannot finish, the policy is asked about `ops` on
 * where it was going (a denial answers `acces`), then the resolver's errno is returned; an escape gets the
 * host's deny decision and answers `perm`. On success the caller decides its ops on `ppath` itself, since
 * they may depend on what was found (a new file is `create`, an existing one `write`).
 */
function locate(ctx: WasiCtx, rec: Rec, d: DirFd, path: string, follow: boolean, ops: readonly FsOp[]): Located {
  const gpath = guestPathOf(d.path, path);
  let r: Resolved;
  try {
    r = resolve(d.node, path, follow);
  } catch (e) {
    if (!(e instanceof ResolveError)) throw e;
    if (e.escape) {
      ctx.recordEscape(rec, escapeOp(ops), escapePath(e), gpath);
      throw e;
    }
    const where = joinRest(dirPath(e.at), e.rest);
    for (const op of ops) ctx.decide(rec, op, where, gpath);
    throw e;
  }
  return { ...r, ppath: policyPathOf(r), gpath };
}

function decideAll(ctx: WasiCtx, rec: Rec, ops: readonly FsOp[], l: Located): void {
  for (const op of ops) ctx.decide(rec, op, l.ppath, l.gpath);
}

export function path_create_directory(ctx: WasiCtx, rec: Rec, fd: number, ptr: number, len: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_create_directory);
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = locate(ctx, rec, d, path, false, CREATE);
  decideAll(ctx, rec, r.node ? REVEAL : CREATE, r);
  if (r.node) return E.exist;
  ctx.fs.mkdir(r.parent, r.name);
  return E.success;
}

export function path_filestat_get(ctx: WasiCtx, rec: Rec, fd: number, flags: number, ptr: number, len: number, buf: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_filestat_get);
  rec.args.flags = flags & LOOKUP_SYMLINK_FOLLOW ? ['symlink_follow'] : [];
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = locate(ctx, rec, d, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0, READ);
  decideAll(ctx, rec, READ, r);
  if (!r.node) return E.noent;
  writeFilestat(ctx, buf, r.node);
  return E.success;
}

export function path_filestat_set_times(
  ctx: WasiCtx, rec: Rec, fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number,
): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_filestat_set_times);
  rec.args.flags = flags & LOOKUP_SYMLINK_FOLLOW ? ['symlink_follow'] : [];
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = locate(ctx, rec, d, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0, WRITE);
  decideAll(ctx, rec, WRITE, r);
  if (!r.node) return E.noent;
  setTimes(ctx, rec, r.node, atim, mtim, fst);
  return E.success;
}

/**
 * A second name for a file lets the guest write it through the new path, so linking needs the right to
 * write the source, not only to read it (otherwise a link into an allowed folder bypasses a write rule).
 */
const LINK_SOURCE: readonly FsOp[] = ['read', 'write'];

export function path_link(
  ctx: WasiCtx, rec: Rec, oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number,
): number {
  const od = ctx.dirFd(rec, 'old_fd', oldFd, R.path_link_source);
  const nd = ctx.dirFd(rec, 'new_fd', newFd, R.path_link_target);
  const oldPath = readPath(ctx, rec, 'old_path', oldPtr, oldLen);
  const newPath = readPath(ctx, rec, 'new_path', newPtr, newLen);
  const src = locate(ctx, rec, od, oldPath, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0, LINK_SOURCE);
  const dst = locate(ctx, rec, nd, newPath, false, CREATE);
  decideAll(ctx, rec, LINK_SOURCE, src);
  decideAll(ctx, rec, dst.node ? REVEAL : CREATE, dst);
  if (!src.node) return E.noent;
  if (src.node.kind === 'dir') return E.perm;
  if (src.trailingSlash) return E.notdir;
  if (dst.node) return E.exist;
  if (dst.trailingSlash) return E.noent;
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

  const writeIntent = (wantBase & WRITE_RIGHTS) !== 0n || (oflags & OFLAGS.trunc) !== 0 || (fdflags & FDFLAGS.append) !== 0;
  const readIntent = (wantBase & READ_RIGHTS) !== 0n;
  // Any open that is not write-only reveals the object (its fd can be stat'ed), so it counts as a read.
  const openOps: FsOp[] = [...(readIntent || !writeIntent ? (['read'] as const) : []), ...(writeIntent ? (['write'] as const) : [])];
  const createOps: FsOp[] = writeIntent ? ['create', 'write'] : ['create'];
  const r = locate(ctx, rec, d, path, follow, oflags & OFLAGS.creat ? createOps : openOps);
  let node = r.node;
  // Asking to write a file through a directory that may not hand down write rights (a read-only mount)
  // fails here, at open, rather than handing out an fd whose writes would all fail later.
  if (node?.kind !== 'dir' && (wantBase & WRITE_RIGHTS & ~d.rightsInheriting) !== 0n) return E.notcapable;
  if (!node) {
    decideAll(ctx, rec, oflags & OFLAGS.creat ? createOps : openOps, r);
    if (!(oflags & OFLAGS.creat)) return E.noent;
    if (r.trailingSlash || oflags & OFLAGS.directory) return r.trailingSlash ? E.isdir : E.noent;
    node = ctx.fs.createFile(r.parent, r.name);
  } else {
    // O_CREAT|O_EXCL over an existing entry opens nothing: it only reports `exist` (a read, like mkdir).
    if (oflags & OFLAGS.creat && oflags & OFLAGS.excl) {
      decideAll(ctx, rec, REVEAL, r);
      return E.exist;
    }
    // Writes are decided for files (and symlinks, refused below): a directory opened for writing is isdir.
    decideAll(ctx, rec, node.kind === 'dir' ? openOps.filter((op) => op !== 'write') : openOps, r);
    if (node.kind === 'symlink') return oflags & OFLAGS.directory ? E.notdir : E.loop;
    if (oflags & OFLAGS.directory && node.kind !== 'dir') return E.notdir;
    if (node.kind === 'dir') {
      if (oflags & OFLAGS.trunc || (wantBase & (R.fd_write | R.fd_allocate | R.fd_filestat_set_size)) !== 0n && (wantBase & R.fd_readdir) === 0n) {
        return E.isdir;
      }
    }
    if (oflags & OFLAGS.trunc && node.kind === 'file') ctx.fs.truncate(node, 0);
  }
  // The new fd gets what was asked, within what the directory may hand down and what fits the object.
  const fits = node.kind === 'dir' ? DIR_RIGHTS : FILE_RIGHTS;
  const entry: FdEntry = {
    kind: node.kind === 'dir' ? 'dir' : 'file',
    node,
    path: guestJoin(d.path, path),
    policyPath: r.ppath,
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
  const r = locate(ctx, rec, d, path, false, READ);
  decideAll(ctx, rec, READ, r);
  if (!r.node) return E.noent;
  if (r.node.kind !== 'symlink') return E.inval;
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
  const r = locate(ctx, rec, d, path, false, DELETE);
  decideAll(ctx, rec, DELETE, r);
  if (!r.node) return E.noent;
  if (isDotName(r.name)) return r.name === '.' ? E.inval : E.notempty;
  if (r.node.kind !== 'dir') return E.notdir;
  ctx.fs.rmdir(r.parent, r.name);
  return E.success;
}

/**
 * The content arrives under the new name, so the destination needs create and write, like a new file
 * opened for writing; replacing an existing entry also deletes it.
 */
const RENAME_TARGET: readonly FsOp[] = ['create', 'write'];

export function path_rename(ctx: WasiCtx, rec: Rec, fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
  const od = ctx.dirFd(rec, 'fd', fd, R.path_rename_source);
  const nd = ctx.dirFd(rec, 'new_fd', newFd, R.path_rename_target);
  const oldPath = readPath(ctx, rec, 'old_path', oldPtr, oldLen);
  const newPath = readPath(ctx, rec, 'new_path', newPtr, newLen);
  const src = locate(ctx, rec, od, oldPath, false, DELETE);
  const dst = locate(ctx, rec, nd, newPath, false, RENAME_TARGET);
  decideAll(ctx, rec, DELETE, src);
  decideAll(ctx, rec, RENAME_TARGET, dst);
  if (!src.node) return E.noent;
  if (isDotName(src.name) || isDotName(dst.name)) return E.busy;
  // A trailing slash on either side demands a directory (path-resolution.md, trailing slashes).
  if ((src.trailingSlash || dst.trailingSlash) && src.node.kind !== 'dir') return E.notdir;
  if (dst.node && dst.node.kind !== 'dir' && src.node.kind === 'dir') return E.notdir;
  if (dst.node) ctx.decide(rec, 'delete', dst.ppath, dst.gpath);
  if (src.node.kind === 'dir') {
    ctx.decideTree(rec, 'delete', src.node, src.ppath, src.gpath);
    ctx.decideTree(rec, 'create', src.node, dst.ppath, dst.gpath);
    ctx.decideTree(rec, 'write', src.node, dst.ppath, dst.gpath);
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
  // An absolute target could never resolve inside the sandbox; refuse it when it is made. The decision
  // names the link (lexically: the call is refused before anything is looked up); the target is in args.
  if (target.startsWith('/')) {
    ctx.recordEscape(rec, 'create', joinLexical(dirPath(d.node), newPath.split('/')), guestPathOf(d.path, newPath));
    return E.perm;
  }
  const r = locate(ctx, rec, d, newPath, false, CREATE);
  decideAll(ctx, rec, r.node ? REVEAL : CREATE, r);
  if (r.node) return r.trailingSlash && r.node.kind !== 'dir' ? E.notdir : E.exist;
  if (r.trailingSlash) return E.noent;
  ctx.fs.symlink(r.parent, r.name, target);
  return E.success;
}

export function path_unlink_file(ctx: WasiCtx, rec: Rec, fd: number, ptr: number, len: number): number {
  const d = ctx.dirFd(rec, 'fd', fd, R.path_unlink_file);
  const path = readPath(ctx, rec, 'path', ptr, len);
  const r = locate(ctx, rec, d, path, false, DELETE);
  decideAll(ctx, rec, DELETE, r);
  if (!r.node) return E.noent;
  if (r.node.kind === 'dir') return E.isdir;
  if (r.trailingSlash) return E.notdir;
  ctx.fs.unlink(r.parent, r.name);
  return E.success;
}
