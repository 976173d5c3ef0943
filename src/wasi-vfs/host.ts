// The WASI host: one dispatcher for every wasi_snapshot_preview1 import. Each call takes the same route:
// decode (the syscall reads its own arguments through GuestMemory and records them), check the fd and
// its rights (ctx.fd), ask the policy (ctx.decide), act on the MemFS, encode results, then one trace
// record is completed here. Errors inside a syscall are WasiErrno → errno; ProcExit leaves through the
// engine; a PolicyAsk becomes a Suspend on engines that can pause (issue #6).

import type { HostFunc, Imports, Instance, MemoryHandle, Value } from '../interp/api.ts';
import { hostFunc, Suspend } from '../interp/api.ts';
import { PolicyEngine } from '../policy/evaluate.ts';
import { permissivePolicy, type Policy } from '../policy/schema.ts';
import { FixedClocks, RealClocks, type Clocks } from './clocks.ts';
import { ALL_RIGHTS, DIR_RIGHTS, E, TTY_RIGHTS, WasiErrno, errnoName } from './constants.ts';
import { PolicyAsk, WasiCtx, dirPath, type Sink } from './context.ts';
import { ProcExit, WasiConfigError } from './errors.ts';
import type { DirNode, MemFS, Node } from './fs.ts';
import { GuestMemory, utf8Bytes } from './memory.ts';
import { RealRandom, SeededRandom, type RandomSource } from './random.ts';
import * as fdc from './syscalls-fd.ts';
import * as misc from './syscalls-misc.ts';
import * as pth from './syscalls-path.ts';
import { copyNodes, fdNodes, mapFds, type HostSnapshot } from './snapshot.ts';
import { Trace, type TraceOptions, type TraceRecord } from './trace.ts';

const I32 = 0x7f;
const I64 = 0x7e;
type P = typeof I32 | typeof I64;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- syscalls have heterogeneous typed params
type Impl = (ctx: WasiCtx, rec: TraceRecord, ...args: any[]) => number;

/** Every wasi_snapshot_preview1 function: parameter types (the result is one i32 errno, except proc_exit). */
const SYSCALLS: Record<string, [P[], Impl]> = {
  args_get: [[I32, I32], misc.args_get],
  args_sizes_get: [[I32, I32], misc.args_sizes_get],
  environ_get: [[I32, I32], misc.environ_get],
  environ_sizes_get: [[I32, I32], misc.environ_sizes_get],
  clock_res_get: [[I32, I32], misc.clock_res_get],
  clock_time_get: [[I32, I64, I32], misc.clock_time_get],
  fd_advise: [[I32, I64, I64, I32], fdc.fd_advise],
  fd_allocate: [[I32, I64, I64], fdc.fd_allocate],
  fd_close: [[I32], fdc.fd_close],
  fd_datasync: [[I32], fdc.fd_datasync],
  fd_fdstat_get: [[I32, I32], fdc.fd_fdstat_get],
  fd_fdstat_set_flags: [[I32, I32], fdc.fd_fdstat_set_flags],
  fd_fdstat_set_rights: [[I32, I64, I64], fdc.fd_fdstat_set_rights],
  fd_filestat_get: [[I32, I32], fdc.fd_filestat_get],
  fd_filestat_set_size: [[I32, I64], fdc.fd_filestat_set_size],
  fd_filestat_set_times: [[I32, I64, I64, I32], fdc.fd_filestat_set_times],
  fd_pread: [[I32, I32, I32, I64, I32], fdc.fd_pread],
  fd_prestat_get: [[I32, I32], fdc.fd_prestat_get],
  fd_prestat_dir_name: [[I32, I32, I32], fdc.fd_prestat_dir_name],
  fd_pwrite: [[I32, I32, I32, I64, I32], fdc.fd_pwrite],
  fd_read: [[I32, I32, I32, I32], fdc.fd_read],
  fd_readdir: [[I32, I32, I32, I64, I32], fdc.fd_readdir],
  fd_renumber: [[I32, I32], fdc.fd_renumber],
  fd_seek: [[I32, I64, I32, I32], fdc.fd_seek],
  fd_sync: [[I32], fdc.fd_sync],
  fd_tell: [[I32, I32], fdc.fd_tell],
  fd_write: [[I32, I32, I32, I32], fdc.fd_write],
  path_create_directory: [[I32, I32, I32], pth.path_create_directory],
  path_filestat_get: [[I32, I32, I32, I32, I32], pth.path_filestat_get],
  path_filestat_set_times: [[I32, I32, I32, I32, I64, I64, I32], pth.path_filestat_set_times],
  path_link: [[I32, I32, I32, I32, I32, I32, I32], pth.path_link],
  path_open: [[I32, I32, I32, I32, I32, I64, I64, I32, I32], pth.path_open],
  path_readlink: [[I32, I32, I32, I32, I32, I32], pth.path_readlink],
  path_remove_directory: [[I32, I32, I32], pth.path_remove_directory],
  path_rename: [[I32, I32, I32, I32, I32, I32], pth.path_rename],
  path_symlink: [[I32, I32, I32, I32, I32], pth.path_symlink],
  path_unlink_file: [[I32, I32, I32], pth.path_unlink_file],
  poll_oneoff: [[I32, I32, I32, I32], misc.poll_oneoff],
  proc_exit: [[I32], misc.proc_exit],
  proc_raise: [[I32], misc.proc_raise],
  sched_yield: [[], misc.sched_yield],
  random_get: [[I32, I32], misc.random_get],
  sock_accept: [[I32, I32, I32], misc.sock_accept],
  sock_recv: [[I32, I32, I32, I32, I32, I32], misc.sock_recv],
  sock_send: [[I32, I32, I32, I32, I32], misc.sock_send],
  sock_shutdown: [[I32, I32], misc.sock_shutdown],
};

export const WASI_FUNCTIONS = Object.keys(SYSCALLS);

export interface Preopen {
  /** Name the guest sees (fd_prestat_dir_name), e.g. '/' or '.'. */
  guest: string;
  /** Directory in the MemFS; default the root. */
  dir?: DirNode;
  /** Drop these rights from the preopen (e.g. a read-only mount: everything but reads). */
  dropRights?: bigint;
}

export interface WasiOptions {
  fs: MemFS;
  /** argv, including argv[0] (the program name). */
  args?: string[];
  /** Offered environment; the policy decides which variables are visible. */
  env?: Record<string, string>;
  preopens?: Preopen[];
  policy?: Policy;
  /** A Trace to fill, options for a new one, or false for none. Default: a new Trace. */
  trace?: Trace | TraceOptions | false;
  stdout?: Sink;
  stderr?: Sink;
  stdin?: Uint8Array;
}

/** What a Suspend from this host carries (interp engine, policy "ask"). */
export interface PolicyAskToken {
  kind: 'policy-ask';
  op: string;
  path: string;
  rule: string;
  /** Re-run the paused call with the user's answer; pass the returned errno to instance.resume([errno]). */
  answer(verdict: 'allow' | 'deny'): number;
}

export class WasiHost {
  readonly ctx: WasiCtx;
  readonly trace: Trace | undefined;
  readonly policyEngine: PolicyEngine;
  private memory: MemoryHandle | undefined;
  /** Bytes of stdin the guest has read. */
  private stdinPos = 0;

  constructor(opts: WasiOptions) {
    const policy = opts.policy ?? permissivePolicy();
    this.policyEngine = new PolicyEngine(policy);
    this.trace = opts.trace === false ? undefined : opts.trace instanceof Trace ? opts.trace : new Trace(opts.trace ?? {});
    const clocks: Clocks = policy.clock.mode === 'fixed' ? new FixedClocks(BigInt(policy.clock.epochNs), BigInt(policy.clock.stepNs)) : new RealClocks();
    // File timestamps follow the run's clock from here on (the FS may come from a loader with time 0).
    opts.fs.now = clocks instanceof FixedClocks ? () => clocks.peekRealtime() : () => BigInt(Date.now()) * 1_000_000n;
    const random: RandomSource = policy.random.mode === 'seeded' ? new SeededRandom(policy.random.seed) : new RealRandom();
    const args = (opts.args ?? ['main.wasm']).map((a) => {
      if (a.includes('\0')) throw new WasiConfigError('bad-arg', 'argument contains NUL');
      return utf8Bytes(a);
    });
    const env: Uint8Array[] = [];
    const envDecisions: { name: string; verdict: string; rule: string }[] = [];
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (k.includes('=') || k.includes('\0') || v.includes('\0')) throw new WasiConfigError('bad-env', `invalid environment entry ${JSON.stringify(k)}`);
      const d = this.policyEngine.env(k);
      envDecisions.push({ name: k, verdict: d.verdict, rule: d.rule });
      if (d.verdict === 'allow') env.push(utf8Bytes(`${k}=${v}`));
    }
    const stdin = opts.stdin ?? new Uint8Array(0);
    const discard: Sink = { write() {} };
    this.ctx = new WasiCtx(
      opts.fs,
      new GuestMemory(() => {
        if (!this.memory) throw new WasiErrno(E.fault);
        return this.memory;
      }),
      args, env, clocks, random, this.policyEngine, this.trace,
      opts.stdout ?? discard, opts.stderr ?? discard,
      {
        read: (max: number): Uint8Array => {
          const out = stdin.subarray(this.stdinPos, this.stdinPos + max);
          this.stdinPos += out.length;
          return out;
        },
      },
    );
    const stdio = ['<stdin>', '<stdout>', '<stderr>'];
    stdio.forEach((path, i) =>
      this.ctx.fds.set(i, { kind: 'stdio', path, policyPath: path, rightsBase: TTY_RIGHTS, rightsInheriting: 0n, fdflags: 0, offset: 0, stdio: i }),
    );
    for (const p of opts.preopens ?? [{ guest: '/' }]) {
      const dir = p.dir ?? opts.fs.root;
      const drop = p.dropRights ?? 0n;
      this.ctx.allocFd({
        kind: 'dir', node: dir, path: p.guest, policyPath: dirPath(dir),
        rightsBase: DIR_RIGHTS & ~drop, rightsInheriting: ALL_RIGHTS & ~drop, fdflags: 0, offset: 0, preopen: p.guest, root: dir,
      });
    }
    this.envDecisions = envDecisions;
    this.ctx.envDecisions = envDecisions.map((d) => ({ op: 'env', path: d.name, verdict: d.verdict as 'allow' | 'deny', rule: d.rule }));
  }

  /** Per-variable env decisions made at setup (hidden ones never reach the guest). */
  readonly envDecisions: { name: string; verdict: string; rule: string }[];

  /** Give the host the instance's exported memory. Call right after instantiate. */
  bind(instance: Instance): void {
    const m = instance.exports.memory;
    if (!m || m.kind !== 'memory') throw new WasiConfigError('no-memory', 'the module does not export "memory"');
    this.memory = m;
  }

  /**
   * The host's state between two syscalls (see snapshot.ts): restore() it into this host or a fresh one made
   * with the same options. Learn mode is refused (the policy engine's record of what it allowed is private).
   */
  snapshot(): HostSnapshot {
    if (this.policyEngine.policy.mode === 'learn') throw new WasiConfigError('snapshot-learn', 'a learn-mode host cannot be snapshotted');
    const ctx = this.ctx;
    const memo = new Map<Node, Node>();
    copyNodes([ctx.fs.root, ...fdNodes(ctx.fds)], memo);
    return {
      root: memo.get(ctx.fs.root) as DirNode,
      fsCounters: ctx.fs.counters(),
      fds: mapFds(ctx.fds, memo),
      fdHint: ctx.fdHint,
      askAnswers: [...ctx.askAnswers],
      clock: ctx.clocks.save?.(),
      random: ctx.random.save?.(),
      stdinPos: this.stdinPos,
      trace: this.trace?.snapshot(),
      nodes: memo.size,
    };
  }

  restore(s: HostSnapshot): void {
    const ctx = this.ctx;
    const memo = new Map<Node, Node>();
    copyNodes([s.root, ...fdNodes(s.fds)], memo);
    ctx.fs.replaceState(memo.get(s.root) as DirNode, s.fsCounters);
    ctx.fds.clear();
    for (const [fd, e] of mapFds(s.fds, memo)) ctx.fds.set(fd, e);
    ctx.fdHint = s.fdHint;
    ctx.askAnswers = new Map(s.askAnswers);
    if (s.clock !== undefined) ctx.clocks.load?.(s.clock);
    if (s.random !== undefined) ctx.random.load?.(s.random);
    this.stdinPos = s.stdinPos;
    if (s.trace) this.trace?.restore(s.trace);
  }

  /** Engines that can pause (interp) let a policy "ask" suspend the guest. */
  set canSuspend(v: boolean) {
    this.ctx.canSuspend = v;
  }

  imports(): Imports {
    const wasi: Record<string, HostFunc> = {};
    for (const [name, [params, impl]] of Object.entries(SYSCALLS)) {
      const results = name === 'proc_exit' ? [] : [I32];
      wasi[name] = hostFunc({ params, results }, (args) => this.dispatch(name, params, impl, args));
    }
    return { wasi_snapshot_preview1: wasi };
  }

  private dispatch(name: string, params: P[], impl: Impl, raw: Value[]): number | Suspend {
    const args = raw.map((v, i) => (params[i] === I64 ? (typeof v === 'bigint' ? v : BigInt(v as number)) : Number(v)));
    const rec: TraceRecord = this.trace ? this.trace.begin(name) : { seq: -1, fn: name, args: {}, errno: 'success' };
    let errno: number;
    try {
      errno = impl(this.ctx, rec, ...args);
    } catch (e) {
      if (e instanceof WasiErrno) errno = e.errno;
      else if (e instanceof ProcExit) {
        rec.errno = 'exit';
        this.trace?.end(rec);
        throw e;
      } else if (e instanceof PolicyAsk) {
        rec.errno = 'suspended';
        this.trace?.end(rec);
        const token: PolicyAskToken = {
          kind: 'policy-ask', op: e.op, path: e.path, rule: e.rule,
          answer: (verdict) => {
            this.ctx.askAnswers.set(`${e.op}:${e.path}`, verdict);
            const r = this.dispatch(name, params, impl, raw);
            return r instanceof Suspend ? E.acces : r;
          },
        };
        return new Suspend(token);
      } else throw e;
    }
    rec.errno = errnoName(errno);
    this.trace?.end(rec);
    return errno;
  }
}
