// The trace panel's model: all records in call order plus the indices that pass the filters, kept
// incrementally (a batch of new records is filtered on its own; only a filter change rescans), so a guest
// making 10^6 syscalls costs the UI O(batch) per message, not O(trace).

import type { TraceRecord, TraceValue } from '../../../wasi-vfs/index.ts';
import { isDeniedRecord } from '../../../worker/denied.ts';
import { PackageCounts, packageKey } from './packages.ts';

export interface TraceFilter {
  deniedOnly: boolean;
  /** Exact function name, or '' for all. */
  fn: string;
  /** Case-insensitive substring of any path the call names, or '' for all. */
  path: string;
  /** A packages.ts bucket key (the package whose build.zig made the call), or ''/absent for all. */
  package?: string;
}

export const NO_FILTER: TraceFilter = { deniedOnly: false, fn: '', path: '', package: '' };

/** Every path-like string in a record's arguments (path, old/new paths, the fd's path). */
export function recordPaths(r: TraceRecord): string[] {
  const out: string[] = [];
  const visit = (key: string, v: TraceValue) => {
    if (typeof v === 'string') {
      if (key.includes('path')) out.push(v);
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) visit(k, x);
    }
  };
  for (const [k, v] of Object.entries(r.args)) visit(k === 'fd' || k.endsWith('fd') ? 'path' : k, v);
  for (const d of r.decisions ?? []) out.push(d.path);
  return out;
}

export function matches(r: TraceRecord, f: TraceFilter): boolean {
  if (f.deniedOnly && !isDeniedRecord(r)) return false;
  if (f.fn !== '' && r.fn !== f.fn) return false;
  if (f.package && packageKey(r) !== f.package) return false;
  if (f.path !== '') {
    const q = f.path.toLowerCase();
    if (!recordPaths(r).some((p) => p.toLowerCase().includes(q))) return false;
  }
  return true;
}

const isEmpty = (f: TraceFilter) => !f.deniedOnly && f.fn === '' && f.path === '' && !f.package;

export class TraceIndex {
  readonly records: TraceRecord[] = [];
  /** Indices into `records` that pass the filter; null when no filter is set (every record passes). */
  private shown: number[] | null = null;
  readonly fnCounts = new Map<string, number>();
  /** Records per package bucket (packages.ts), for the package filter. */
  readonly packages = new PackageCounts();
  denied = 0;
  private filter: TraceFilter = NO_FILTER;

  append(batch: readonly TraceRecord[]): void {
    const base = this.records.length;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i];
      this.records.push(r);
      this.fnCounts.set(r.fn, (this.fnCounts.get(r.fn) ?? 0) + 1);
      this.packages.add(r);
      if (isDeniedRecord(r)) this.denied++;
      if (this.shown && matches(r, this.filter)) this.shown.push(base + i);
    }
  }

  setFilter(f: TraceFilter): void {
    this.filter = { ...f };
    if (isEmpty(f)) this.shown = null;
    else {
      const out: number[] = [];
      for (let i = 0; i < this.records.length; i++) if (matches(this.records[i], f)) out.push(i);
      this.shown = out;
    }
  }

  get size(): number {
    return this.shown ? this.shown.length : this.records.length;
  }

  /** The k-th shown record. */
  at(k: number): TraceRecord {
    return this.records[this.shown ? this.shown[k] : k];
  }

  /** The kept record with this seq (records are in seq order; past the trace cap some seqs are not kept). */
  bySeq(seq: number): TraceRecord | undefined {
    const r = this.records[this.firstAtOrAfter(seq)];
    return r !== undefined && r.seq === seq ? r : undefined;
  }

  /**
   * Drop the records with seq ≥ `fromSeq` (a step-through session's trace delta after going back or
   * restarting). Costs O(dropped + log n): counts are taken back record by record, the shown list is cut.
   */
  truncate(fromSeq: number): void {
    const lo = this.firstAtOrAfter(fromSeq);
    for (let i = lo; i < this.records.length; i++) {
      const r = this.records[i];
      const n = (this.fnCounts.get(r.fn) ?? 1) - 1;
      if (n > 0) this.fnCounts.set(r.fn, n);
      else this.fnCounts.delete(r.fn);
      this.packages.remove(r);
      if (isDeniedRecord(r)) this.denied--;
    }
    this.records.length = lo;
    if (this.shown) while (this.shown.length > 0 && this.shown[this.shown.length - 1] >= lo) this.shown.pop();
  }

  /** The index of the first record with seq ≥ `seq` (records.length when none): a binary search. */
  private firstAtOrAfter(seq: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[mid].seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.records.length = 0;
    this.fnCounts.clear();
    this.packages.clear();
    this.denied = 0;
    this.setFilter(this.filter);
  }
}
