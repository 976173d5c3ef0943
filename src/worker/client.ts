// The app's side of the worker bridge (Squoosh pattern). It imports only the API's type. Aborting a run
// terminates the worker (a synchronous guest cannot be interrupted by a message) and starts a fresh one,
// which is given the same package again so the next run needs nothing from the caller.

import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { WorkerApi } from './api.ts';
import type { EventBatch, LoadInfo, Result, RunRequest, RunSummary } from './types.ts';

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'sandbuild-audit' });

export class AuditClient {
  private worker!: Worker;
  private remote!: Remote<WorkerApi>;
  /** What was loaded, kept (as copies) so a fresh worker can be re-armed after an abort. */
  private pkg: { archive: Uint8Array; wasm?: Uint8Array } | undefined;
  private aborted = 0;

  constructor(private readonly factory: WorkerFactory = defaultFactory) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = this.factory();
    this.remote = wrap<WorkerApi>(this.worker);
  }

  async load(archive: Uint8Array, wasm?: Uint8Array): Promise<Result<LoadInfo>> {
    this.pkg = { archive: archive.slice(), wasm: wasm?.slice() };
    return this.sendLoad();
  }

  private sendLoad(): Promise<Result<LoadInfo>> {
    const pkg = this.pkg!;
    // Copies cross as transferables: the worker owns them, our kept copies stay usable.
    const a = pkg.archive.slice();
    const w = pkg.wasm?.slice();
    const list = w ? [a.buffer, w.buffer] : [a.buffer];
    return this.remote.load(transfer(a, list), w);
  }

  /**
   * Run once. Resolves with the summary, or an error with phase 'state' and kind 'aborted' when
   * abort() was called meanwhile.
   */
  async run(req: RunRequest, onEvents: (batch: EventBatch) => void): Promise<Result<RunSummary>> {
    const generation = this.aborted;
    const cb = proxy(onEvents);
    const remote = this.remote;
    const aborted = new Promise<Result<RunSummary>>((resolve) => {
      this.onAbort = () => resolve({ ok: false, error: { phase: 'state', kind: 'aborted', message: 'run cancelled' } });
    });
    try {
      const r = await Promise.race([remote.run(req, cb), aborted]);
      if (generation !== this.aborted) return { ok: false, error: { phase: 'state', kind: 'aborted', message: 'run cancelled' } };
      return r;
    } finally {
      this.onAbort = undefined;
    }
  }

  private onAbort: (() => void) | undefined;

  /** Stop whatever runs now: terminate the worker, start a fresh one, and load the package into it. */
  async abort(): Promise<void> {
    this.aborted++;
    this.worker.terminate();
    this.onAbort?.();
    this.spawn();
    if (this.pkg) await this.sendLoad();
  }

  dispose(): void {
    this.worker.terminate();
  }
}
