// Execution state that survives a pause: the value stack, the explicit frame stack, fuel, and the
// pending host call. Keeping frames in arrays (not JS recursion) is what lets a host call suspend the
// guest at any depth and makes deep recursion end in an ExhaustionError instead of a JS RangeError.

import type { Value } from '../api.ts';
import { ExhaustionError } from '../errors.ts';
import type { FuncInst, Ref } from '../runtime/store.ts';

export const INITIAL_STACK_SLOTS = 1 << 14;
export const UNMETERED = Number.MAX_SAFE_INTEGER;

export type ThreadState = 'idle' | 'running' | 'suspended' | 'out-of-fuel';

export class Thread {
  buf: ArrayBuffer;
  I32: Int32Array;
  F32: Float32Array;
  F64: Float64Array;
  B64: BigInt64Array;
  refs: Ref[] = [];
  /** Capacity in int32 units (2 per slot). */
  cap: number;
  readonly fFunc: FuncInst[] = [];
  readonly fPc: Int32Array;
  readonly fFp: Int32Array;
  depth = 0;
  cur: FuncInst | undefined = undefined;
  pc = 0;
  fp = 0;
  fuel = UNMETERED;
  fuelUsed = 0;
  state: ThreadState = 'idle';
  /** The host call a 'suspended' thread waits on: its function and where its results go. */
  pendingHost: FuncInst | undefined = undefined;
  pendingFp = 0;
  pendingArgs: Value[] = [];
  pendingToken: unknown = undefined;
  /** The entry function of the current run (its results are what `done` returns). */
  entry: FuncInst | undefined = undefined;
  exact = false;

  constructor(
    readonly maxSlots: number,
    readonly maxDepth: number,
  ) {
    const slots = Math.min(INITIAL_STACK_SLOTS, maxSlots);
    this.buf = new ArrayBuffer(slots * 8);
    this.I32 = new Int32Array(this.buf);
    this.F32 = new Float32Array(this.buf);
    this.F64 = new Float64Array(this.buf);
    this.B64 = new BigInt64Array(this.buf);
    this.cap = slots * 2;
    this.fPc = new Int32Array(maxDepth + 1);
    this.fFp = new Int32Array(maxDepth + 1);
  }

  /** Make room for `need` int32 units; throws ExhaustionError past the configured maximum. */
  ensure(need: number): void {
    if (need <= this.cap) return;
    if (need > this.maxSlots * 2) {
      throw new ExhaustionError('value-stack', `value stack exhausted (limit ${this.maxSlots} slots)`);
    }
    let cap = this.cap;
    while (cap < need) cap *= 2;
    cap = Math.min(cap, this.maxSlots * 2);
    const next = new ArrayBuffer(cap * 4);
    new Int32Array(next).set(this.I32);
    this.buf = next;
    this.I32 = new Int32Array(next);
    this.F32 = new Float32Array(next);
    this.F64 = new Float64Array(next);
    this.B64 = new BigInt64Array(next);
    this.cap = cap;
  }

  reset(): void {
    this.depth = 0;
    this.cur = undefined;
    this.pc = 0;
    this.fp = 0;
    this.state = 'idle';
    this.pendingHost = undefined;
    this.entry = undefined;
    this.fFunc.length = 0;
  }
}

