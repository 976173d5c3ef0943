// Snapshot and restore of an instance between two resumes (issue #6, time travel from checkpoints).
// A snapshot holds everything a paused run can observe or later read: linear memories, globals, tables,
// which data and element segments are dropped, and the paused thread (frames, the live part of the value
// and reference stacks, pc, fuel used, the pending host call). Restoring it into the same instance, or into
// another instance of the same Module, makes resume() behave exactly like the original would have.
//
// Function references are stored as indices in the instance's function space, so a snapshot can move to a
// fresh instance (whose FuncInsts, host wrappers included, are other objects). Memory is kept in 64 KiB
// pages; a snapshot taken with an earlier one as `prev` shares every page that has not changed since, so a
// series of checkpoints costs little more than the pages a guest writes. Snapshots are never mutated.
//
// Scope: the instance's own index spaces (imported memories, tables and globals included). Another
// module's private state is not covered, and a thread running inside another module's function, or a
// funcref to one, cannot be snapshotted (InternalError 'snapshot-foreign').

import type { Value } from '../api.ts';
import { InternalError } from '../errors.ts';
import type { ModuleInst } from '../runtime/module-inst.ts';
import type { MemoryInst, Ref } from '../runtime/store.ts';
import { FuncInst, PAGE_SIZE } from '../runtime/store.ts';
import type { Module } from '../syntax/types.ts';
import { ensureCompiled } from './calls.ts';
import type { Thread, ThreadState } from './thread.ts';

/** A funcref of the instance, by index (other refs are stored as the JS values they are). */
class FuncRef {
  constructor(readonly index: number) {}
}
type RefSnap = FuncRef | Exclude<Ref, FuncInst>;

interface ThreadSnap {
  state: Extract<ThreadState, 'suspended' | 'out-of-fuel'>;
  cur: number;
  pc: number;
  fp: number;
  depth: number;
  fFunc: Int32Array;
  fPc: Int32Array;
  fFp: Int32Array;
  fuelUsed: number;
  pendingHost: number;
  pendingFp: number;
  pendingArgs: Value[];
  pendingToken: unknown;
  entry: number;
  exact: boolean;
  /** The live value stack, in int32 units: every frame lies below the current frame's top. */
  slots: Int32Array;
  refs: RefSnap[];
}

export interface InstanceSnapshot {
  readonly module: Module;
  /** Per memory: its pages (each PAGE_SIZE bytes, possibly shared with an earlier snapshot). */
  readonly mems: Uint8Array[][];
  readonly globalCells: Int32Array;
  readonly globalRefs: RefSnap[];
  readonly tables: RefSnap[][];
  /** Per element segment: null once dropped, else its references. */
  readonly elems: (RefSnap[] | null)[];
  readonly datasDropped: boolean[];
  readonly thread: ThreadSnap | undefined;
  /** Bytes this snapshot holds besides its memory pages (thread stack, tables, globals; approximate). */
  readonly ownBytes: number;
}

/** Bytes a ref slot is counted as (a pointer-sized array element, roughly). */
const REF_BYTES = 8;

class FuncIndex {
  private readonly map = new Map<FuncInst, number>();
  constructor(private readonly home: ModuleInst) {
    home.funcs.forEach((f, i) => {
      if (!this.map.has(f)) this.map.set(f, i);
    });
  }
  of(f: FuncInst): number {
    const i = this.map.get(f);
    if (i === undefined) throw new InternalError('snapshot-foreign', 'cannot snapshot a reference to a function of another instance');
    return i;
  }
  ref(r: Ref): RefSnap {
    return r instanceof FuncInst ? new FuncRef(this.of(r)) : r;
  }
}

function unref(home: ModuleInst, r: RefSnap): Ref {
  return r instanceof FuncRef ? home.funcs[r.index] : r;
}

function samePage(a: Uint8Array, b: Uint8Array): boolean {
  // Whole memories are multiples of 64 KiB and pages are copies, so both are 4-byte aligned.
  const x = new Int32Array(a.buffer, a.byteOffset, a.length >> 2);
  const y = new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function snapMemory(mem: MemoryInst, prev: Uint8Array[] | undefined): Uint8Array[] {
  const u8 = mem.u8;
  const n = u8.length / PAGE_SIZE;
  const pages: Uint8Array[] = new Array(n);
  for (let p = 0; p < n; p++) {
    const cur = u8.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
    const old = prev?.[p];
    pages[p] = old !== undefined && samePage(cur, old) ? old : cur.slice();
  }
  return pages;
}

function snapThread(th: Thread, fi: FuncIndex): ThreadSnap | undefined {
  if (th.state === 'idle') return undefined;
  if (th.state === 'running') throw new InternalError('snapshot-running', 'cannot snapshot a running thread (only between resumes)');
  const cur = th.cur!;
  let top = th.fp + (cur.code ? cur.code.frameSlots * 2 : 0);
  if (th.pendingHost) {
    const t = th.pendingHost.type;
    top = Math.max(top, th.pendingFp + 2 * Math.max(t.params.length, t.results.length));
  }
  top = Math.min(top, th.cap);
  const refs: RefSnap[] = new Array(top >> 1);
  for (let i = 0; i < refs.length; i++) {
    const r = th.refs[i];
    refs[i] = r === undefined ? null : fi.ref(r);
  }
  const depth = th.depth;
  const fFunc = new Int32Array(depth);
  for (let i = 0; i < depth; i++) fFunc[i] = fi.of(th.fFunc[i]);
  return {
    state: th.state,
    cur: fi.of(cur),
    pc: th.pc,
    fp: th.fp,
    depth,
    fFunc,
    fPc: th.fPc.slice(0, depth),
    fFp: th.fFp.slice(0, depth),
    fuelUsed: th.fuelUsed,
    pendingHost: th.pendingHost ? fi.of(th.pendingHost) : -1,
    pendingFp: th.pendingFp,
    pendingArgs: th.pendingArgs.slice(),
    pendingToken: th.pendingToken,
    entry: th.entry ? fi.of(th.entry) : -1,
    exact: th.exact,
    slots: th.I32.slice(0, top),
    refs,
  };
}

/**
 * Capture `home` and its thread. With `prev` (an earlier snapshot of an instance of the same module),
 * unchanged memory pages are shared with it instead of copied.
 */
export function snapshotInstance(home: ModuleInst, th: Thread, prev?: InstanceSnapshot): InstanceSnapshot {
  if (prev && prev.module !== home.module) prev = undefined;
  const fi = new FuncIndex(home);
  const mems = home.mems.map((m, i) => snapMemory(m, prev?.mems[i]));
  const globalCells = new Int32Array(home.globals.length * 2);
  const globalRefs = home.globals.map((g, i) => {
    globalCells[2 * i] = g.cell[0];
    globalCells[2 * i + 1] = g.cell[1];
    return fi.ref(g.ref);
  });
  const tables = home.tables.map((t) => t.elems.map((r) => fi.ref(r)));
  const elems = home.elems.map((e) => (e === null ? null : e.map((r) => fi.ref(r))));
  const datasDropped = home.datas.map((d) => d === null);
  const thread = snapThread(th, fi);
  let ownBytes = globalCells.byteLength + globalRefs.length * REF_BYTES;
  for (const t of tables) ownBytes += t.length * REF_BYTES;
  if (thread) ownBytes += thread.slots.byteLength + thread.refs.length * REF_BYTES + thread.depth * 12;
  return { module: home.module, mems, globalCells, globalRefs, tables, elems, datasDropped, thread, ownBytes };
}

function restoreMemory(mem: MemoryInst, pages: Uint8Array[]): void {
  const size = pages.length * PAGE_SIZE;
  if (mem.buffer.byteLength !== size) {
    const next = new ArrayBuffer(size);
    mem.buffer = next;
    mem.u8 = new Uint8Array(next);
    mem.dv = new DataView(next);
    mem.generation++;
  }
  const u8 = mem.u8;
  for (let p = 0; p < pages.length; p++) u8.set(pages[p], p * PAGE_SIZE);
}

/** Put `home` and its thread back to `snap` (taken from this instance or another of the same module). */
export function restoreInstance(home: ModuleInst, th: Thread, snap: InstanceSnapshot): void {
  if (snap.module !== home.module) throw new InternalError('snapshot-module', 'the snapshot was taken from an instance of another module');
  if (th.state === 'running') throw new InternalError('snapshot-running', 'cannot restore into a running thread');
  home.mems.forEach((m, i) => restoreMemory(m, snap.mems[i]));
  home.globals.forEach((g, i) => {
    g.cell[0] = snap.globalCells[2 * i];
    g.cell[1] = snap.globalCells[2 * i + 1];
    g.ref = unref(home, snap.globalRefs[i]);
  });
  home.tables.forEach((t, i) => {
    t.elems = snap.tables[i].map((r) => unref(home, r));
  });
  home.elems = snap.elems.map((e) => (e === null ? null : e.map((r) => unref(home, r))));
  home.datas = snap.datasDropped.map((dropped, i) => (dropped ? null : home.module.datas[i].init));
  th.reset();
  const t = snap.thread;
  if (!t) return;
  th.ensure(t.slots.length);
  th.I32.set(t.slots);
  th.refs.length = 0;
  for (let i = 0; i < t.refs.length; i++) th.refs[i] = unref(home, t.refs[i]);
  // Code is compiled lazily per FuncInst; the executor expects every frame's function to have it.
  const fn = (i: number): FuncInst => {
    const f = home.funcs[i];
    if (!f.host && !f.code) ensureCompiled(f);
    return f;
  };
  for (let i = 0; i < t.depth; i++) th.fFunc[i] = fn(t.fFunc[i]);
  th.fPc.set(t.fPc);
  th.fFp.set(t.fFp);
  th.depth = t.depth;
  th.cur = fn(t.cur);
  th.pc = t.pc;
  th.fp = t.fp;
  th.fuel = 0;
  th.fuelUsed = t.fuelUsed;
  th.pendingHost = t.pendingHost >= 0 ? home.funcs[t.pendingHost] : undefined;
  th.pendingFp = t.pendingFp;
  th.pendingArgs = t.pendingArgs.slice();
  th.pendingToken = t.pendingToken;
  th.entry = t.entry >= 0 ? home.funcs[t.entry] : undefined;
  th.exact = t.exact;
  th.state = t.state;
}

/** Every memory page a snapshot holds (for accounting shared pages across snapshots). */
export function snapshotPages(snap: InstanceSnapshot): Uint8Array[] {
  return snap.mems.flat();
}
