// Local variable types (spec 3.4.1: C.locals = parameters ++ declared locals) without expanding the
// run-length declarations: a body may declare billions of locals in one run, so large counts are
// looked up by binary search over cumulative run ends. Functions with few locals (the common case)
// get a flat array, reused across functions; the limit is small so that the setup cost per function
// stays proportional to its size in bytes (one run of a few bytes can declare thousands of locals).

import type { LocalRun, ValType } from '../syntax/types.ts';

/** Up to this many locals are expanded into a flat array for O(1) lookup. */
const FLAT_LIMIT = 64;

export class Locals {
  /** Cumulative end index of each run (exclusive), strictly increasing. */
  private readonly ends: number[] = [];
  private readonly types: ValType[] = [];
  private readonly flat: ValType[] = [];
  private nRuns = 0;
  private total = 0;
  private isFlat = true;

  reset(params: readonly ValType[], runs: readonly LocalRun[]): void {
    let total = params.length;
    for (const r of runs) total += r.count;
    this.total = total;
    this.isFlat = total <= FLAT_LIMIT;
    if (this.isFlat) {
      const flat = this.flat;
      flat.length = 0;
      for (const p of params) flat.push(p);
      for (const r of runs) for (let i = 0; i < r.count; i++) flat.push(r.type);
      return;
    }
    this.nRuns = 0;
    for (const p of params) this.addRun(1, p);
    for (const r of runs) this.addRun(r.count, r.type);
  }

  private addRun(count: number, t: ValType): void {
    if (count <= 0) return;
    const n = this.nRuns;
    const end = (n > 0 ? this.ends[n - 1]! : 0) + count;
    // Merge neighbours of the same type, so the search space stays small.
    if (n > 0 && this.types[n - 1] === t) {
      this.ends[n - 1] = end;
      return;
    }
    this.ends[n] = end;
    this.types[n] = t;
    this.nRuns = n + 1;
  }

  /** The type of local `idx`, or undefined when it does not exist. */
  typeOf(idx: number): ValType | undefined {
    if (!(idx >= 0 && idx < this.total)) return undefined;
    if (this.isFlat) return this.flat[idx];
    // First run whose end is > idx.
    let lo = 0, hi = this.nRuns - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! > idx) hi = mid;
      else lo = mid + 1;
    }
    return this.types[lo];
  }
}
