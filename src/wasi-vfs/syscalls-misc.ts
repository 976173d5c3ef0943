// args, environ, clocks, random, poll_oneoff, proc_*, sched_yield and sock_*. Sizes are UTF-8 byte counts
// including each string's NUL (preview1 docs: args_sizes_get "returns the number of arguments and the size
// of the argument string data").

import { CLOCK_NAMES, E, EVENTTYPE, R, SUBCLOCK_ABSTIME } from './constants.ts';
import type { WasiCtx } from './context.ts';
import { ProcExit } from './errors.ts';
import type { TraceRecord } from './trace.ts';

type Rec = TraceRecord;
const u = (x: number): number => x >>> 0;

function sizes(list: Uint8Array[]): number {
  let n = 0;
  for (const s of list) n += s.length + 1;
  return n;
}

function writeStrings(ctx: WasiCtx, list: Uint8Array[], ptrs: number, buf: number): void {
  let off = u(buf);
  list.forEach((s, i) => {
    ctx.mem.setU32(u(ptrs) + i * 4, off);
    ctx.mem.write(off, s);
    ctx.mem.setU8(off + s.length, 0);
    off += s.length + 1;
  });
}

export function args_get(ctx: WasiCtx, _rec: Rec, argv: number, buf: number): number {
  writeStrings(ctx, ctx.args, argv, buf);
  return E.success;
}

export function args_sizes_get(ctx: WasiCtx, rec: Rec, argc: number, size: number): number {
  ctx.mem.setU32(u(argc), ctx.args.length);
  ctx.mem.setU32(u(size), sizes(ctx.args));
  rec.out = { argc: ctx.args.length, size: sizes(ctx.args) };
  return E.success;
}

export function environ_get(ctx: WasiCtx, _rec: Rec, envp: number, buf: number): number {
  writeStrings(ctx, ctx.env, envp, buf);
  return E.success;
}

export function environ_sizes_get(ctx: WasiCtx, rec: Rec, count: number, size: number): number {
  // Which variables the policy showed or hid (names only; values stay out of the trace).
  if (ctx.envDecisions.length) rec.decisions = [...ctx.envDecisions];
  ctx.mem.setU32(u(count), ctx.env.length);
  ctx.mem.setU32(u(size), sizes(ctx.env));
  rec.out = { count: ctx.env.length, size: sizes(ctx.env) };
  return E.success;
}

export function clock_res_get(ctx: WasiCtx, rec: Rec, id: number, ptr: number): number {
  rec.args.id = CLOCK_NAMES[id] ?? id;
  const r = ctx.clocks.resolution(id);
  if (r === undefined) return E.inval;
  ctx.mem.setU64(u(ptr), r);
  rec.out = { resolution: String(r) };
  return E.success;
}

export function clock_time_get(ctx: WasiCtx, rec: Rec, id: number, precision: bigint, ptr: number): number {
  rec.args.id = CLOCK_NAMES[id] ?? id;
  rec.args.precision = String(BigInt.asUintN(64, precision));
  const t = ctx.clocks.now(id);
  if (t === undefined) return E.inval;
  ctx.mem.setU64(u(ptr), t);
  rec.out = { time: String(t) };
  return E.success;
}

export function random_get(ctx: WasiCtx, rec: Rec, buf: number, len: number): number {
  const dst = ctx.mem.bytes(u(buf), u(len));
  const tmp = new Uint8Array(u(len));
  ctx.random.fill(tmp);
  dst.set(tmp);
  rec.args.len = u(len);
  if (ctx.trace) ctx.trace.attachData(rec, [tmp], tmp.length);
  else rec.bytes = u(len);
  return E.success;
}

export function proc_exit(_ctx: WasiCtx, rec: Rec, code: number): number {
  rec.args.code = u(code);
  throw new ProcExit(u(code));
}

/** Signals are not part of this sandbox (and were removed from later WASI); answer nosys. */
export function proc_raise(_ctx: WasiCtx, rec: Rec, sig: number): number {
  rec.args.sig = sig;
  return E.nosys;
}

export function sched_yield(): number {
  return E.success;
}

const SUB_SIZE = 48;
const EVENT_SIZE = 32;

/**
 * poll_oneoff. Regular files, directories and stdio are always ready (POSIX poll on regular files), so fd
 * subscriptions complete at once; a clock completes when it has already expired, or, when no fd is ready,
 * after sleeping until the earliest one.
 * The host cannot block synchronously in a browser worker without SharedArrayBuffer, so waiting is virtual:
 * the fixed clock advances by the timeout; with the real clock, Atomics.wait is used when available.
 */
export function poll_oneoff(ctx: WasiCtx, rec: Rec, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
  const n = u(nsubs);
  rec.args.nsubscriptions = n;
  if (n === 0) return E.inval;
  const m = ctx.mem;
  m.bytes(u(inPtr), n * SUB_SIZE);
  m.bytes(u(outPtr), n * EVENT_SIZE);
  interface Ev { userdata: bigint; error: number; type: number; nbytes: bigint; flags: number }
  const ready: Ev[] = [];
  const clocks: { userdata: bigint; wait: bigint }[] = [];
  const summary: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = u(inPtr) + i * SUB_SIZE;
    const userdata = m.u64(p);
    const tag = m.u8(p + 8);
    if (tag === EVENTTYPE.clock) {
      const id = m.u32(p + 16);
      const timeout = m.u64(p + 24);
      const flags = m.u16(p + 40);
      summary.push(`clock:${CLOCK_NAMES[id] ?? id}:${timeout}${flags & SUBCLOCK_ABSTIME ? ':abs' : ''}`);
      const now = ctx.clocks.now(id);
      if (now === undefined) {
        ready.push({ userdata, error: E.inval, type: tag, nbytes: 0n, flags: 0 });
        continue;
      }
      const wait = flags & SUBCLOCK_ABSTIME ? (timeout > now ? timeout - now : 0n) : timeout;
      clocks.push({ userdata, wait });
    } else if (tag === EVENTTYPE.fd_read || tag === EVENTTYPE.fd_write) {
      const fd = m.u32(p + 16);
      summary.push(`${tag === EVENTTYPE.fd_read ? 'fd_read' : 'fd_write'}:${fd}`);
      const e = ctx.fds.get(fd);
      if (!e) {
        ready.push({ userdata, error: E.badf, type: tag, nbytes: 0n, flags: 0 });
        continue;
      }
      if ((e.rightsBase & R.poll_fd_readwrite) === 0n && e.kind !== 'stdio') {
        ready.push({ userdata, error: E.notcapable, type: tag, nbytes: 0n, flags: 0 });
        continue;
      }
      let nbytes = 0n;
      if (e.kind === 'file' && e.node?.kind === 'file' && tag === EVENTTYPE.fd_read) {
        nbytes = BigInt(Math.max(0, e.node.data.size - e.offset));
      }
      ready.push({ userdata, error: E.success, type: tag, nbytes, flags: 0 });
    } else {
      return E.inval;
    }
  }
  rec.args.subscriptions = summary;
  // Expired clocks are reported with ready fds; with nothing ready, sleep until the earliest clock and
  // report every clock due by then.
  let due = 0n;
  if (ready.length === 0 && clocks.length > 0) {
    due = clocks.reduce((m, c) => (c.wait < m ? c.wait : m), clocks[0].wait);
    sleep(ctx, due);
  }
  for (const c of clocks) if (c.wait <= due) ready.push({ userdata: c.userdata, error: E.success, type: EVENTTYPE.clock, nbytes: 0n, flags: 0 });
  ready.forEach((ev, i) => {
    const p = u(outPtr) + i * EVENT_SIZE;
    m.bytes(p, EVENT_SIZE).fill(0);
    m.setU64(p, ev.userdata);
    m.setU16(p + 8, ev.error);
    m.setU8(p + 10, ev.type);
    m.setU64(p + 16, ev.nbytes);
    m.setU16(p + 24, ev.flags);
  });
  m.setU32(u(neventsPtr), ready.length);
  rec.out = { nevents: ready.length };
  return E.success;
}

/** Block for `ns` (real clock, where the platform allows a synchronous wait) or advance virtual time. */
function sleep(ctx: WasiCtx, ns: bigint): void {
  if (ctx.clocks.deterministic) {
    ctx.clocks.advance(ns);
    return;
  }
  const ms = Number(ns / 1_000_000n);
  if (ms <= 0) return;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 60_000));
  } catch {
    // No synchronous wait here (browser main thread): return at once; the guest re-checks its clock.
  }
}

/** There are no sockets in this sandbox: a valid fd is notsock, an invalid one badf (as the testsuite expects). */
function sockFd(ctx: WasiCtx, rec: Rec, fd: number): number {
  ctx.fd(rec, 'fd', fd);
  return E.notsock;
}

export function sock_accept(ctx: WasiCtx, rec: Rec, fd: number, _flags: number, _out: number): number {
  return sockFd(ctx, rec, fd);
}
export function sock_recv(ctx: WasiCtx, rec: Rec, fd: number): number {
  return sockFd(ctx, rec, fd);
}
export function sock_send(ctx: WasiCtx, rec: Rec, fd: number): number {
  return sockFd(ctx, rec, fd);
}
export function sock_shutdown(ctx: WasiCtx, rec: Rec, fd: number): number {
  return sockFd(ctx, rec, fd);
}
