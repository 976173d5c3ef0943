// Collects what a run produces (syscall records, stdout, stderr) and hands it to the app in batches: one
// message per `intervalMs` at most, however many syscalls the guest makes, so a guest making 10^6 calls
// costs the UI a few dozen messages, not a million.

import type { Graph } from '../graph/index.ts';
import type { TraceRecord } from '../wasi-vfs/index.ts';
import { isDeniedRecord } from './denied.ts';
import type { EventBatch, RunProgress } from './types.ts';

export const BATCH_INTERVAL_MS = 100;
/** Upper bound on records per message, so one batch stays cheap to clone. */
export const BATCH_MAX_RECORDS = 20_000;

export class EventBatcher {
  private trace: TraceRecord[] = [];
  private stdout = '';
  private stderr = '';
  private last: number;
  private syscalls = 0;
  private denied = 0;
  private readonly started: number;

  constructor(
    private readonly send: (batch: EventBatch) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = BATCH_INTERVAL_MS,
  ) {
    this.started = this.last = now();
  }

  records(batch: TraceRecord[]): void {
    for (const r of batch) {
      this.trace.push(r);
      if (isDeniedRecord(r)) this.denied++;
    }
    this.syscalls += batch.length;
    this.maybeFlush();
  }

  out(text: string): void {
    this.stdout += text;
  }

  err(text: string): void {
    this.stderr += text;
  }

  /** Where progress reads the fuel used so far (the running instance, once it exists). */
  fuel: () => number = () => 0;

  progress(): RunProgress {
    return { syscalls: this.syscalls, denied: this.denied, fuelUsed: this.fuel(), elapsedMs: this.now() - this.started };
  }

  private maybeFlush(): void {
    if (this.trace.length >= BATCH_MAX_RECORDS || this.now() - this.last >= this.intervalMs) this.flush('running');
  }

  /** Send what is pending. The final batch (state 'done') is sent even when empty and carries the graph. */
  flush(state: 'running' | 'done', graph?: Graph): void {
    if (state === 'running' && this.trace.length === 0 && this.stdout === '' && this.stderr === '') return;
    const batch: EventBatch = { trace: this.trace, stdout: this.stdout, stderr: this.stderr, status: { state, progress: this.progress() } };
    if (graph) batch.graph = graph;
    this.trace = [];
    this.stdout = this.stderr = '';
    this.last = this.now();
    this.send(batch);
  }
}
