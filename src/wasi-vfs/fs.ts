// The in-memory filesystem: inodes (directories, regular files, symlinks) with timestamps and inode
// numbers. No paths live here; path resolution is in path.ts, so every lookup goes through one place.
//
// Conventions: `dir` a DirNode, `node` any Node, `name` one path component (never '', '.', '..', or
// containing '/'). Times are nanoseconds since the Unix epoch as bigint, from the clock the FS was given,
// so a fixed clock gives fixed timestamps. Inode numbers come from a counter, so the same sequence of
// operations gives the same numbers.

import { FileData } from './file-data.ts';
import { E, WasiErrno } from './constants.ts';
import { utf8Bytes } from './memory.ts';

interface NodeBase {
  readonly ino: number;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  /** Bumped on every content or metadata change; used to diff a tree before and after a run. */
  version: number;
}

export interface FileNode extends NodeBase {
  readonly kind: 'file';
  data: FileData;
  nlink: number;
}

export interface DirNode extends NodeBase {
  readonly kind: 'dir';
  entries: Map<string, Node>;
  /** The containing directory, or null for a root. Kept for `..` in readdir and the rename cycle check. */
  parent: DirNode | null;
  /** Its name in `parent` ('' for a root), so a directory's path costs O(depth), not a scan of each parent. */
  name: string;
  /** False once removed; creating inside a removed directory fails with noent (POSIX rmdir). */
  linked: boolean;
}

export interface SymlinkNode extends NodeBase {
  readonly kind: 'symlink';
  readonly target: string;
  nlink: number;
}

export type Node = FileNode | DirNode | SymlinkNode;

export interface FsOptions {
  /** Timestamp source in ns; defaults to the real clock. */
  now?: () => bigint;
  /** Largest size a regular file may reach (bytes); past it writes fail with fbig. Default 1 GiB. */
  maxFileSize?: number;
  /** Largest total of file bytes; past it writes fail with nospc. Default 4 GiB. */
  maxTotalBytes?: number;
  /** First inode number handed out (the root gets it). Default 1. */
  firstIno?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 1 << 30;
export const DEFAULT_MAX_TOTAL_BYTES = 4 * 2 ** 30;
/** WASI dev number for everything in this FS (there is one device). */
export const FS_DEV = 1n;

function realNow(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

export class MemFS {
  readonly root: DirNode;
  readonly maxFileSize: number;
  readonly maxTotalBytes: number;
  /** Bytes held by regular files that still have a name (a guest cannot fill the host's memory). */
  usedBytes = 0;
  /** Timestamp source; the WASI host swaps in its policy clock so a fixed clock gives fixed timestamps. */
  now: () => bigint;
  private nextIno: number;

  constructor(opts: FsOptions = {}) {
    this.now = opts.now ?? realNow;
    this.maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.maxTotalBytes = opts.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
    this.nextIno = opts.firstIno ?? 1;
    this.root = this.newDir(null, '');
  }

  /** What besides the tree a snapshot needs (host snapshots, snapshot.ts). */
  counters(): { nextIno: number; usedBytes: number; maxFileSize: number; maxTotalBytes: number } {
    return { nextIno: this.nextIno, usedBytes: this.usedBytes, maxFileSize: this.maxFileSize, maxTotalBytes: this.maxTotalBytes };
  }

  /** Replace the whole tree and counters (a host restoring a snapshot; `root` is a copy it owns). */
  replaceState(root: DirNode, c: ReturnType<MemFS['counters']>): void {
    const self = this as { -readonly [K in 'root' | 'maxFileSize' | 'maxTotalBytes']: MemFS[K] };
    self.root = root;
    self.maxFileSize = c.maxFileSize;
    self.maxTotalBytes = c.maxTotalBytes;
    this.nextIno = c.nextIno;
    this.usedBytes = c.usedBytes;
  }

  private stamp(): { ino: number; atim: bigint; mtim: bigint; ctim: bigint; version: number } {
    const t = this.now();
    return { ino: this.nextIno++, atim: t, mtim: t, ctim: t, version: 0 };
  }

  private newDir(parent: DirNode | null, name: string): DirNode {
    return { kind: 'dir', entries: new Map(), parent, name, linked: true, ...this.stamp() };
  }

  /** Mark a directory's contents as changed now. */
  touchDir(dir: DirNode): void {
    const t = this.now();
    dir.mtim = t;
    dir.ctim = t;
    dir.version++;
  }

  touchFile(node: FileNode): void {
    const t = this.now();
    node.mtim = t;
    node.ctim = t;
    node.version++;
  }

  private checkInsert(dir: DirNode, name: string): void {
    if (!dir.linked) throw new WasiErrno(E.noent);
    if (dir.entries.has(name)) throw new WasiErrno(E.exist);
  }

  mkdir(dir: DirNode, name: string): DirNode {
    this.checkInsert(dir, name);
    const d = this.newDir(dir, name);
    dir.entries.set(name, d);
    this.touchDir(dir);
    return d;
  }

  createFile(dir: DirNode, name: string, content?: Uint8Array): FileNode {
    this.checkInsert(dir, name);
    if (content && content.length > this.maxFileSize) throw new WasiErrno(E.fbig);
    this.account(content?.length ?? 0);
    const f: FileNode = { kind: 'file', data: new FileData(content), nlink: 1, ...this.stamp() };
    dir.entries.set(name, f);
    this.touchDir(dir);
    return f;
  }

  symlink(dir: DirNode, name: string, target: string): SymlinkNode {
    this.checkInsert(dir, name);
    const s: SymlinkNode = { kind: 'symlink', target, nlink: 1, ...this.stamp() };
    dir.entries.set(name, s);
    this.touchDir(dir);
    return s;
  }

  /** Hard link; directories cannot be linked (POSIX link: EPERM). */
  link(node: Node, dir: DirNode, name: string): void {
    if (node.kind === 'dir') throw new WasiErrno(E.perm);
    this.checkInsert(dir, name);
    dir.entries.set(name, node);
    node.nlink++;
    node.ctim = this.now();
    this.touchDir(dir);
  }

  /** Remove a non-directory entry. */
  unlink(dir: DirNode, name: string): void {
    const node = dir.entries.get(name);
    if (!node) throw new WasiErrno(E.noent);
    if (node.kind === 'dir') throw new WasiErrno(E.isdir);
    dir.entries.delete(name);
    node.nlink--;
    if (node.kind === 'file' && node.nlink === 0) this.usedBytes -= node.data.size;
    node.ctim = this.now();
    this.touchDir(dir);
  }

  rmdir(dir: DirNode, name: string): void {
    const node = dir.entries.get(name);
    if (!node) throw new WasiErrno(E.noent);
    if (node.kind !== 'dir') throw new WasiErrno(E.notdir);
    if (node.entries.size > 0) throw new WasiErrno(E.notempty);
    dir.entries.delete(name);
    node.linked = false;
    this.touchDir(dir);
  }

  /**
   * rename(2) semantics: replacing a file with a file, or a directory with an empty directory, is atomic;
   * a directory cannot move into itself or a descendant (inval); kinds must match (isdir / notdir).
   */
  rename(fromDir: DirNode, fromName: string, toDir: DirNode, toName: string): void {
    const node = fromDir.entries.get(fromName);
    if (!node) throw new WasiErrno(E.noent);
    if (!toDir.linked) throw new WasiErrno(E.noent);
    const existing = toDir.entries.get(toName);
    if (existing === node) return;
    if (node.kind === 'dir') {
      for (let d: DirNode | null = toDir; d; d = d.parent) if (d === node) throw new WasiErrno(E.inval);
      if (existing) {
        if (existing.kind !== 'dir') throw new WasiErrno(E.notdir);
        if (existing.entries.size > 0) throw new WasiErrno(E.notempty);
        existing.linked = false;
      }
      node.parent = toDir;
      node.name = toName;
    } else if (existing) {
      if (existing.kind === 'dir') throw new WasiErrno(E.isdir);
      existing.nlink--;
      if (existing.kind === 'file' && existing.nlink === 0) this.usedBytes -= existing.data.size;
    }
    fromDir.entries.delete(fromName);
    toDir.entries.set(toName, node);
    node.ctim = this.now();
    this.touchDir(fromDir);
    if (toDir !== fromDir) this.touchDir(toDir);
  }

  /** Charge a change in file bytes against the total cap (unlinked files no longer count). */
  private account(delta: number, node?: FileNode): void {
    if (node && node.nlink === 0) return;
    if (delta > 0 && this.usedBytes + delta > this.maxTotalBytes) throw new WasiErrno(E.nospc);
    this.usedBytes += delta;
  }

  /** Write into a file, enforcing the size caps. */
  writeFile(node: FileNode, offset: number, src: Uint8Array): void {
    if (offset + src.length > this.maxFileSize) throw new WasiErrno(E.fbig);
    this.account(Math.max(0, offset + src.length - node.data.size), node);
    node.data.write(offset, src);
    this.touchFile(node);
  }

  truncate(node: FileNode, size: number): void {
    if (size > this.maxFileSize) throw new WasiErrno(E.fbig);
    this.account(size - node.data.size, node);
    node.data.resize(size);
    this.touchFile(node);
  }
}


export function nlinkOf(node: Node): bigint {
  if (node.kind === 'dir') return 2n + BigInt([...node.entries.values()].filter((n) => n.kind === 'dir').length);
  return BigInt(node.nlink);
}

export function sizeOf(node: Node): bigint {
  if (node.kind === 'file') return BigInt(node.data.size);
  if (node.kind === 'symlink') return BigInt(utf8Bytes(node.target).length);
  return 4096n;
}
