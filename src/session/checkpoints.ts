// Checkpoints for time travel (issue #6): a session keeps snapshots of its run at some exit stops, so going
// back to syscall k restores the latest checkpoint at or before k and replays only from there.
//
// When: at a syscall, once `everySyscalls` syscalls or `everyFuel` instructions have passed since the
// checkpoint before it (fuel measures replay work; syscall count bounds it for syscall-heavy guests).
// Memory: memory pages and file bytes are shared between checkpoints (snapshots share what did not
// change), so the store counts each shared buffer once, by reference count. Past `maxBytes` it evicts the
// checkpoint whose removal leaves the smallest gap (in instructions) between its neighbours, so what stays
// is spread over the run; the newest is kept, as the next snapshot shares pages with it.

import { snapshotPages, type InstanceSnapshot, type Value } from '../interp/index.ts';
import type { HostSnapshot } from '../wasi-vfs/snapshot.ts';
import { snapshotBuffers } from '../wasi-vfs/snapshot.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';

export interface CheckpointOptions {
  /** Take one after this many syscalls since the previous one (default 32). */
  everySyscalls?: number;
  /** ...or after this many instructions since the previous one (default 8e6: ~50 ms of replay at most). */
  everyFuel?: number;
  /** Bound on the bytes all checkpoints hold together (default 256 MiB). */
  maxBytes?: number;
}

export const DEFAULT_CHECKPOINTS: Required<CheckpointOptions> = { everySyscalls: 32, everyFuel: 8e6, maxBytes: 256 << 20 };

/** What a run's prepared audit was fed, in order (replayed into a fresh one on restore). */
export type RunEvent = TraceRecord | { sink: 'stdout' | 'stderr'; bytes: Uint8Array };

/** An exit stop the run is held at (session.ts): the call, its record and what leaving it does. */
export interface HeldStop {
  fn: string;
  raw: Value[];
  rec: TraceRecord;
  /** The errno to resume with; undefined with `exit`. */
  result?: number;
  /** proc_exit: the run ends when this stop is left. */
  exit?: number;
}

export interface Checkpoint {
  /** The seq of the exit stop it was taken at. */
  seq: number;
  fuel: number;
  engine: InstanceSnapshot;
  host: HostSnapshot;
  held: HeldStop;
  last: TraceRecord | undefined;
  traceHash: string;
  /** The run's event log and how much of it had happened (the array is only ever appended to). */
  log: RunEvent[];
  logN: number;
  /** Bytes counted for it besides shared buffers. */
  ownBytes: number;
}

/** Rough bytes per copied FS node (object, entry map slot, times as bigints). */
const NODE_BYTES = 160;

export class CheckpointStore {
  readonly opts: Required<CheckpointOptions>;
  /** Sorted by seq. */
  private list: Checkpoint[] = [];
  private readonly refs = new Map<object, number>();
  private shared = 0;
  private own = 0;
  /** Checkpoints evicted so far (for tests and reports). */
  evicted = 0;

  constructor(opts: CheckpointOptions = {}) {
    this.opts = { ...DEFAULT_CHECKPOINTS, ...opts };
  }

  get bytes(): number {
    return this.shared + this.own;
  }

  seqs(): number[] {
    return this.list.map((c) => c.seq);
  }

  /** The latest checkpoint with seq ≤ k. */
  atOrBefore(k: number): Checkpoint | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i].seq <= k) return this.list[i];
    return undefined;
  }

  /** Should a checkpoint be taken at the stop at `seq`, after `fuel` instructions? */
  due(seq: number, fuel: number): boolean {
    const prev = this.atOrBefore(seq);
    if (prev?.seq === seq) return false;
    const pSeq = prev?.seq ?? -1;
    const pFuel = prev?.fuel ?? 0;
    return seq - pSeq >= this.opts.everySyscalls || fuel - pFuel >= this.opts.everyFuel;
  }

  add(c: Omit<Checkpoint, 'ownBytes'>): void {
    const ownBytes = c.engine.ownBytes + c.host.nodes * NODE_BYTES + c.host.fds.length * NODE_BYTES;
    const ck: Checkpoint = { ...c, ownBytes };
    this.retain(ck, 1);
    this.own += ownBytes;
    let i = this.list.length;
    while (i > 0 && this.list[i - 1].seq > ck.seq) i--;
    this.list.splice(i, 0, ck);
    this.evict(ck);
  }

  /** Forget checkpoints after `seq` (a new timeline), or all of them. */
  dropAfter(seq: number): void {
    while (this.list.length > 0 && this.list[this.list.length - 1].seq > seq) this.remove(this.list.length - 1);
  }

  clear(): void {
    this.dropAfter(-Infinity);
  }

  private evict(newest: Checkpoint): void {
    while (this.bytes > this.opts.maxBytes && this.list.length > 0) {
      if (this.list.length === 1) {
        this.remove(0);
        this.evicted++;
        return;
      }
      let best = -1;
      let bestGap = Infinity;
      for (let i = 0; i < this.list.length; i++) {
        if (this.list[i] === newest) continue;
        const before = i > 0 ? this.list[i - 1].fuel : 0;
        const after = i + 1 < this.list.length ? this.list[i + 1].fuel : this.list[i].fuel;
        if (after - before < bestGap) {
          bestGap = after - before;
          best = i;
        }
      }
      this.remove(best);
      this.evicted++;
    }
  }

  private remove(i: number): void {
    const [ck] = this.list.splice(i, 1);
    this.retain(ck, -1);
    this.own -= ck.ownBytes;
  }

  private retain(ck: Checkpoint, d: 1 | -1): void {
    for (const b of [...snapshotPages(ck.engine), ...snapshotBuffers(ck.host)]) {
      const n = (this.refs.get(b) ?? 0) + d;
      if (n === 0) {
        this.refs.delete(b);
        this.shared -= b.byteLength;
      } else {
        if (n === 1 && d === 1) this.shared += b.byteLength;
        this.refs.set(b, n);
      }
    }
  }
}
