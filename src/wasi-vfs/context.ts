// The per-instance WASI state: fd table, args/env, clocks, random, policy, trace and stdio sinks, plus the
// guard helpers every syscall uses (fd + rights check, policy decision). Syscalls are plain functions of
// (ctx, record, ...args) in syscalls-*.ts; the dispatcher (host.ts) is the only caller.

import type { PolicyEngine, PathWhere } from '../policy/evaluate.ts';
import type { FsOp } from '../policy/schema.ts';
import { E, FILETYPE, WasiErrno } from './constants.ts';
import type { DirNode, MemFS, Node } from './fs.ts';
import type { GuestMemory } from './memory.ts';
import type { Trace, TraceDecision, TraceRecord } from './trace.ts';
import type { Clocks } from './clocks.ts';
import type { RandomSource } from './random.ts';

/**
 * The rule named in the decision the host records for a sandbox escape (an absolute path, `..` past the
 * base fd, a symlink leading out or an absolute symlink target). No policy is asked and none can allow it.
 */
export const ESCAPE_RULE = 'sandbox:outside-package';

/** Open fd limit per instance (like RLIMIT_NOFILE), so a guest cannot grow the table without bound. */
export const MAX_FDS = 16_384;

export interface FdEntry {
  kind: 'file' | 'dir' | 'stdio';
  node?: Node;
  /** Guest-visible path, for the trace ('<stdout>' for stdio). */
  path: string;
  /** Path relative to the package root at open time, for policy checks of fd-based writes. */
  policyPath: string;
  rightsBase: bigint;
  rightsInheriting: bigint;
  fdflags: number;
  /** File position (files only). */
  offset: number;
  /** Set on preopened directories: the name reported by fd_prestat_dir_name. */
  preopen?: string;
  /** The preopened directory this fd was opened under (itself for a preopen): readdir's '..' stops there. */
  root?: DirNode;
  /** 0, 1, 2 for stdio entries. */
  stdio?: number;
}

/** Thrown by ctx.decide when the policy says "ask"; the dispatcher turns it into a Suspend (interp) or the fallback. */
export class PolicyAsk extends Error {
  constructor(
    readonly op: FsOp,
    readonly path: string,
    readonly rule: string,
  ) {
    super(`policy asks about ${op} ${path}`);
    this.name = 'PolicyAsk';
  }
}

export interface Sink {
  write(bytes: Uint8Array): void;
}

export class WasiCtx {
  readonly fds = new Map<number, FdEntry>();
  /** Answers given to "ask" decisions during a retried call (issue #6): key `${op}:${path}`. */
  askAnswers = new Map<string, 'allow' | 'deny'>();
  /** When false (native engine), "ask" becomes policy.askFallback right away. */
  canSuspend = false;
  /** Environment visibility decided at setup; reported in the environ_sizes_get record. */
  envDecisions: TraceDecision[] = [];

  constructor(
    readonly fs: MemFS,
    readonly mem: GuestMemory,
    readonly args: Uint8Array[],
    readonly env: Uint8Array[],
    readonly clocks: Clocks,
    readonly random: RandomSource,
    readonly policy: PolicyEngine,
    readonly trace: Trace | undefined,
    readonly stdout: Sink,
    readonly stderr: Sink,
    readonly stdin: { read(max: number): Uint8Array },
  ) {}

  /** Look up `fd`, record it in the trace args, and require `rights` in its base rights. */
  fd(rec: TraceRecord, key: string, fd: number, rights: bigint = 0n): FdEntry {
    const e = this.fds.get(fd >>> 0);
    rec.args[key] = e ? { fd: fd >>> 0, path: e.path } : fd >>> 0;
    if (!e) throw new WasiErrno(E.badf);
    if ((e.rightsBase & rights) !== rights) {
      throw new WasiErrno(E.notcapable);
    }
    return e;
  }

  /** A directory fd with the given rights (notdir when it is a file). */
  dirFd(rec: TraceRecord, key: string, fd: number, rights: bigint): FdEntry & { node: DirNode } {
    const e = this.fd(rec, key, fd);
    if (e.kind !== 'dir' || e.node?.kind !== 'dir') throw new WasiErrno(E.notdir);
    if ((e.rightsBase & rights) !== rights) throw new WasiErrno(E.notcapable);
    return e as FdEntry & { node: DirNode };
  }

  /**
   * Ask the policy about `op` on `path` (relative to the package root) and record the decision, with the
   * path as the guest named it (`guestPath`). A denial is errno `acces` (see policy README: it is the errno
   * every libc and Zig's std already report as "permission denied"; `notcapable` would claim the fd lacked
   * a WASI right, which is not what happened).
   */
  decide(rec: TraceRecord, op: FsOp, path: string, guestPath?: string, recordAllow = true): void {
    const d = this.policy.fs(op, path, () => this.whereOf(path));
    let verdict = d.verdict;
    let rule = d.rule;
    const record = (v: TraceDecision['verdict'], r: string) =>
      (rec.decisions ??= []).push(guestPath === undefined ? { op, path, verdict: v, rule: r } : { op, path, guestPath, verdict: v, rule: r });
    if (verdict === 'ask') {
      const answer = this.askAnswers.get(`${op}:${path}`);
      if (answer) {
        verdict = answer;
        rule = `${d.rule}(asked)`;
      } else if (this.canSuspend) {
        record('ask', rule);
        throw new PolicyAsk(op, path, rule);
      } else {
        verdict = this.policy.policy.askFallback;
        rule = `${d.rule}(askFallback)`;
      }
    }
    if (recordAllow || verdict === 'deny') record(verdict, rule);
    if (verdict === 'deny') throw new WasiErrno(E.acces);
  }

  /** Record the host's own refusal of an escape (no policy can allow one); the caller answers `perm`. */
  recordEscape(rec: TraceRecord, op: FsOp, path: string, guestPath: string): void {
    (rec.decisions ??= []).push({ op, path, guestPath, verdict: 'deny', rule: ESCAPE_RULE });
  }

  /**
   * `inside` when the path's first component is an entry of the FS root (the package root) right now, else
   * `outside`: the guest named something the package does not have at its top, which under a root preopen
   * is an absolute host path (`/root/.ssh/id_rsa` arrives as `root/.ssh/id_rsa`). Rules with `where` use it.
   */
  whereOf(path: string): PathWhere {
    if (path === '.') return 'inside';
    const slash = path.indexOf('/');
    return this.fs.root.entries.has(slash < 0 ? path : path.slice(0, slash)) ? 'inside' : 'outside';
  }

  /**
   * Decide `op` for every path below directory `dir` (placed at `base`): moving a directory deletes and
   * creates everything in it, so a rule protecting `src/**` must not be sidestepped by renaming `src`.
   * Only denials are recorded, so a large tree does not flood the trace.
   */
  decideTree(rec: TraceRecord, op: FsOp, dir: DirNode, base: string, guestBase: string): void {
    for (const [name, child] of dir.entries) {
      const p = base === '.' ? name : `${base}/${name}`;
      const g = guestBase.endsWith('/') ? `${guestBase}${name}` : `${guestBase}/${name}`;
      this.decide(rec, op, p, g, false);
      if (child.kind === 'dir') this.decideTree(rec, op, child, p, g);
    }
  }

  /** Every fd below this one is in use (fds 0-2 are stdio), so allocation need not rescan from 3. */
  private lowestFree = 3;

  closeFd(fd: number): void {
    this.fds.delete(fd);
    if (fd >= 3 && fd < this.lowestFree) this.lowestFree = fd;
  }

  /** The fd allocation hint, for host snapshots (fds themselves are in `fds`). */
  get fdHint(): number {
    return this.lowestFree;
  }
  set fdHint(v: number) {
    this.lowestFree = v;
  }

  /** Lowest free fd number ≥ 3 (POSIX open semantics; deterministic). At MAX_FDS open fds: mfile. */
  allocFd(entry: FdEntry): number {
    if (this.fds.size >= MAX_FDS) throw new WasiErrno(E.mfile);
    let fd = this.lowestFree;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, entry);
    this.lowestFree = fd + 1;
    return fd;
  }
}

/** Path of a directory relative to the FS root ('.' for the root), via parent links. */
export function dirPath(dir: DirNode): string {
  const parts: string[] = [];
  for (let d: DirNode = dir; d.parent; d = d.parent) parts.push(d.linked ? d.name : `<removed:${d.name}>`);
  return parts.length ? parts.reverse().join('/') : '.';
}

/** Policy path of entry `name` in `dir`. */
export function entryPath(dir: DirNode, name: string): string {
  if (name === '.' || name === '..') return dirPath(dir);
  const d = dirPath(dir);
  return d === '.' ? name : `${d}/${name}`;
}

/**
 * The path as the guest names it, for decisions in the trace: absolute, from the guest's `/`. A guest's libc
 * (wasi-libc `preopens.c`, `strip_prefixes`) takes a preopen named `.`, `./x` or `/x` as the absolute
 * directory `/` or `/x`, and resolves relative paths from cwd `/`; so under a preopen "." or "/" the guest's
 * `/root/.ssh/id_rsa` arrives as `root/.ssh/id_rsa` and is shown here as `/root/.ssh/id_rsa`. Lexical:
 * empty and `.` components are dropped, `..` is kept as written (so `/../.env` shows a climb above `/`).
 */
export function guestPathOf(fdPath: string, rel: string): string {
  if (rel.startsWith('/')) return `/${rel.split('/').filter((c) => c !== '' && c !== '.').join('/')}`;
  let base = fdPath;
  for (;;) {
    if (base.startsWith('/')) base = base.slice(1);
    else if (base.startsWith('./')) base = base.slice(2);
    else if (base === '.') base = '';
    else break;
  }
  const parts = [...base.split('/'), ...rel.split('/')].filter((c) => c !== '' && c !== '.');
  return `/${parts.join('/')}`;
}

/** Join a guest-visible fd path and a relative path, for the trace (lexical, display only). */
export function guestJoin(base: string, rel: string): string {
  if (base === '/' || base === '') return `/${rel}`;
  return base.endsWith('/') ? `${base}${rel}` : `${base}/${rel}`;
}

export function filetypeOf(node: Node): number {
  return node.kind === 'dir' ? FILETYPE.directory : node.kind === 'file' ? FILETYPE.regular_file : FILETYPE.symbolic_link;
}
