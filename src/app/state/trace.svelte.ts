// Trace state: the records live in a plain TraceIndex (not deeply reactive: a million proxied records
// would cost more than the guest), and `version` tells Svelte when it changed.

import type { TraceRecord } from '../../wasi-vfs/index.ts';
import { NO_FILTER, TraceIndex, type TraceFilter } from '../panels/trace/trace-index.ts';

export class TraceState {
  readonly index = new TraceIndex();
  /** Bumped on every append, clear or filter change. */
  version = $state(0);
  filter = $state<TraceFilter>({ ...NO_FILTER });
  /** Syscalls the worker counted but did not keep (trace memory cap). */
  dropped = $state(0);
  /** The selected record (trace row click, a permalink's `sel=syscall:N`, the inspector's paused call). */
  selected = $state.raw<TraceRecord | null>(null);

  /** Select the kept record with this seq (null clears); false when no such record is kept. */
  select(seq: number | null): boolean {
    if (seq === null) {
      this.selected = null;
      return true;
    }
    const r = this.index.bySeq(seq);
    this.selected = r ?? null;
    return r !== undefined;
  }

  append(batch: readonly TraceRecord[]): void {
    if (batch.length === 0) return;
    this.index.append(batch);
    this.version++;
  }

  /** Drop records with seq ≥ `fromSeq` (a session's trace delta); a dropped selection is cleared. */
  truncate(fromSeq: number): void {
    if (this.index.records.length === 0 || this.index.records[this.index.records.length - 1].seq < fromSeq) return;
    this.index.truncate(fromSeq);
    if (this.selected && this.selected.seq >= fromSeq) this.selected = null;
    this.version++;
  }

  setFilter(patch: Partial<TraceFilter>): void {
    this.filter = { ...this.filter, ...patch };
    this.index.setFilter(this.filter);
    this.version++;
  }

  clear(): void {
    this.index.clear();
    this.dropped = 0;
    this.selected = null;
    this.version++;
  }

  get size(): number {
    void this.version;
    return this.index.size;
  }

  get total(): number {
    void this.version;
    return this.index.records.length;
  }

  get denied(): number {
    void this.version;
    return this.index.denied;
  }

  get functions(): [string, number][] {
    void this.version;
    return [...this.index.fnCounts].sort((a, b) => a[0].localeCompare(b[0]));
  }
}
