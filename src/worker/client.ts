// The app's side of the worker bridge (Squoosh pattern). It imports only the API's type. Aborting a run
// terminates the worker (a synchronous guest cannot be interrupted by a message) and starts a fresh one,
// which is given the same package again so the next run needs nothing from the caller.

import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { WorkerApi } from './api.ts';
import type { DiffInput, DiffProgress, DiffRequest, DiffResult, EventBatch, LoadInfo, Result, RunRequest, RunSummary, SessionAnswer, SessionRequest, SessionView } from './types.ts';

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
  run(req: RunRequest, onEvents: (batch: EventBatch) => void): Promise<Result<RunSummary>> {
    const cb = proxy(onEvents);
    return this.call((r) => r.run(req, cb), 'run cancelled');
  }

  // ---- step-through session (api.ts). A session lives in the worker: abort() ends it with the worker, and
  // the session calls then answer 'state'/'no-session' until openSession() again. ------------------------

  openSession(req: SessionRequest): Promise<Result<SessionView>> {
    return this.call((r) => r.openSession(req));
  }

  sessionStep(slice?: number): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionStep(slice));
  }

  sessionNextDenied(slice?: number): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionNextDenied(slice));
  }

  /** With `slice`: at most that many instructions, then status 'running' (call again to go on, or stop: a pause). */
  sessionToEnd(slice?: number): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionToEnd(slice));
  }

  sessionRunTo(k: number, slice?: number): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionRunTo(k, slice));
  }

  sessionBack(slice?: number): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionBack(slice));
  }

  /** After status 'running': go on towards the last move's target (every move takes a `slice`). */
  sessionResume(slice?: number): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionResume(slice));
  }

  sessionRestart(): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionRestart());
  }

  sessionAnswer(a: SessionAnswer): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionAnswer(a));
  }

  sessionState(traceFrom?: number): Promise<Result<SessionView>> {
    return this.call((r) => r.sessionState(traceFrom));
  }

  closeSession(): Promise<Result<boolean>> {
    return this.call((r) => r.closeSession());
  }

  /**
   * Version diff: run `a` then `b` with the same options, policy and engine (api.ts `diff`). The bytes cross
   * as copies, so the caller's stay usable. abort() answers 'state'/'aborted'.
   */
  diff(a: DiffInput, b: DiffInput, req: DiffRequest, onProgress: (p: DiffProgress) => void = () => {}): Promise<Result<DiffResult>> {
    const send = (x: DiffInput): DiffInput => {
      const c = { name: x.name, archive: x.archive.slice(), wasm: x.wasm?.slice() };
      return transfer(c, c.wasm ? [c.archive.buffer, c.wasm.buffer] : [c.archive.buffer]);
    };
    const cb = proxy(onProgress);
    return this.call((r) => r.diff(send(a), send(b), req, cb), 'diff cancelled');
  }

  /** One call to the worker, answered with 'state'/'aborted' when abort() comes first. */
  private async call<T>(f: (remote: Remote<WorkerApi>) => Promise<Result<T>>, what = 'call cancelled'): Promise<Result<T>> {
    const generation = this.aborted;
    const cancelled: Result<T> = { ok: false, error: { phase: 'state', kind: 'aborted', message: what } };
    let onAbort!: () => void;
    const aborted = new Promise<Result<T>>((resolve) => {
      onAbort = () => resolve(cancelled);
    });
    this.onAbort.add(onAbort);
    try {
      const r = await Promise.race([f(this.remote), aborted]);
      return generation !== this.aborted ? cancelled : r;
    } finally {
      this.onAbort.delete(onAbort);
    }
  }

  private readonly onAbort = new Set<() => void>();

  /** Stop whatever runs now: terminate the worker, start a fresh one, and load the package into it. */
  async abort(): Promise<void> {
    this.aborted++;
    this.worker.terminate();
    for (const f of [...this.onAbort]) f();
    this.spawn();
    if (this.pkg) await this.sendLoad();
  }

  dispose(): void {
    this.worker.terminate();
  }
}
