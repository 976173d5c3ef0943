// Step-through inspector state (interp engine, issue #6): one session in the worker on the loaded package,
// the paused call it shows, live prompts, and the policy its "allow always" answers built.
//
// The trace panel shows the session's trace while a session is open (the normal run's records are kept
// aside and put back on close). Each answer carries a TraceDelta: drop seq ≥ from, append the records.
// A normal run or a package load closes the session (an effect watches the app's phase); answers that
// arrive after a close are recognised by a generation number and dropped.

import { untrack } from 'svelte';
import type { Policy } from '../../policy/index.ts';
import type { TraceRecord } from '../../wasi-vfs/index.ts';
import type { AuditClient } from '../../worker/client.ts';
import type { Result, SessionAnswer, SessionView, WorkerError } from '../../worker/types.ts';
import { addedRules, enabledControls, rootNameOf, type Enabled } from '../panels/inspector/view-format.ts';
import { DEFAULT_FUEL, type AppState } from './app.svelte.ts';

/**
 * Instructions per slice of a move: tens of milliseconds on the interpreter, so Pause is heard quickly and
 * a long replay or a long stretch without syscalls never holds the worker for long.
 */
export const RUN_SLICE = 2_000_000;

interface Kept {
  records: TraceRecord[];
  dropped: number;
  selected: number | null;
}

export class SessionUi {
  /** The last answer from the worker (null when no session is open). */
  view = $state.raw<SessionView | null>(null);
  /** A session is open in the worker. */
  open = $state(false);
  /** A call is in flight. */
  busy = $state(false);
  /** A move is going on in slices (the bar offers Pause). */
  running = $state(false);
  /** The last failure, shown in the session bar (a session error does not end the app's run). */
  error = $state.raw<WorkerError | null>(null);
  /** Step through was asked for on the native engine, which cannot pause at a syscall. */
  needsInterp = $state(false);
  /** After a close: the session's edited policy, while it has rules the app's policy lacks. */
  leftover = $state.raw<Policy | null>(null);
  /** The prompt just answered (the run stops at the answered call), until the next move: the bar says what next. */
  answered = $state.raw<{ answer: SessionAnswer; seq: number } | null>(null);

  #gen = 0;
  #pause = false;
  #kept: Kept | null = null;

  constructor(readonly app: AppState) {
    // A normal run or a load replaces the trace and may replace the package: the session is over.
    $effect.root(() => {
      $effect(() => {
        const p = app.phase;
        // busy too: a session being opened when the run starts must not land on top of the run's trace.
        if ((p === 'running' || p === 'loading') && untrack(() => this.open || this.busy)) void this.close(false);
        // Another package: "allow always" rules, a failed session and the native notice were about the old one.
        if (p === 'loading') {
          untrack(() => {
            this.leftover = null;
            this.error = null;
            this.needsInterp = false;
          });
        }
      });
    });
  }

  get controls(): Enabled {
    const v = this.view;
    return enabledControls({ open: this.open, busy: this.busy, running: this.running, status: v?.status, seq: v?.seq ?? -1 });
  }

  /** The root package's build.zig.zon name as the trace labels it (from the stopped-at record), when known. */
  get rootName(): string | undefined {
    const v = this.view;
    if (!v) return undefined;
    void this.app.trace.version;
    return rootNameOf(this.app.trace.index.bySeq(v.seq));
  }

  /** A session can be opened now (a package is loaded, no normal run is going, nothing in flight). */
  get canOpen(): boolean {
    return this.app.loaded && this.app.phase !== 'running' && this.app.phase !== 'loading' && this.app.phase !== 'compiling' && !this.busy;
  }

  /** The policy "allow always" answers built, with the rules they added (during or after a session). */
  get offer(): { policy: Policy; added: Policy['fs'] } | null {
    const p = this.open ? this.view?.policy : this.leftover;
    if (!p) return null;
    const added = addedRules(this.app.policy.policy, p);
    return added.length > 0 ? { policy: p, added } : null;
  }

  /** Open a session on the loaded package with the current options and policy, paused before the first call. */
  async start(): Promise<void> {
    const app = this.app;
    if (!this.canOpen) return;
    // The session bar and the inspector live in the work area, which the comparison view hides.
    if (app.diff.open) void app.diff.close();
    app.tab = 'inspect';
    if (app.engine !== 'interp') {
      this.needsInterp = true;
      return;
    }
    this.needsInterp = false;
    this.error = null;
    this.leftover = null;
    const gen = ++this.#gen;
    if (!this.open) this.#kept = { records: app.trace.index.records.slice(), dropped: app.trace.dropped, selected: app.trace.selected?.seq ?? null };
    this.busy = true;
    const policy = app.policy.policy;
    const r = await app.client.openSession({ options: { ...app.options }, policy, engine: 'interp', fuel: DEFAULT_FUEL });
    if (gen !== this.#gen) return;
    this.busy = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.open = true;
    app.trace.clear();
    this.#apply(r.value);
  }

  /** The engine select said native: switch to interp (a normal run on it), then open the session. */
  async switchToInterp(): Promise<void> {
    this.needsInterp = false;
    this.app.engine = 'interp';
    await this.app.run();
    if (this.app.phase === 'ready') await this.start();
  }

  next(): Promise<void> {
    return this.#move(this.controls.next, (c) => c.sessionStep(RUN_SLICE));
  }

  nextDenied(): Promise<void> {
    return this.#move(this.controls.denied, (c) => c.sessionNextDenied(RUN_SLICE));
  }

  /** One syscall back (a replay). Paused between two syscalls, "back" is the last one reached. */
  back(): Promise<void> {
    const v = this.view;
    if (v?.status === 'running' && v.seq >= 0) return this.runTo(v.seq);
    return this.#move(this.controls.back, (c) => c.sessionBack(RUN_SLICE));
  }

  runTo(k: number): Promise<void> {
    return this.#move(this.controls.runTo, (c) => c.sessionRunTo(k, RUN_SLICE));
  }

  /** Continue to the end (stopping at prompts). */
  run(): Promise<void> {
    return this.#move(this.controls.run, (c) => c.sessionToEnd(RUN_SLICE));
  }

  restart(): Promise<void> {
    return this.#move(this.controls.restart, (c) => c.sessionRestart());
  }

  async answer(a: SessionAnswer): Promise<void> {
    const allowed = this.controls.answer;
    const gen = this.#gen;
    await this.#move(allowed, (c) => c.sessionAnswer(a));
    const v = this.view;
    if (allowed && gen === this.#gen && v?.status === 'paused') this.answered = { answer: a, seq: v.seq };
  }

  /** Stop a move between slices: the session stays where the last slice ended ("paused between syscalls"). */
  pause(): void {
    if (this.running) this.#pause = true;
  }

  /**
   * Close the session. `restore`: put the normal run's trace back (not when a new run is replacing it).
   * The session's edited policy stays on offer until adopted or replaced.
   */
  async close(restore = true): Promise<void> {
    if (!this.open && !this.busy) return;
    const edited = this.view?.policy ?? null;
    this.#gen++;
    this.open = this.busy = this.running = false;
    this.view = null;
    this.answered = null;
    this.leftover = edited;
    const kept = this.#kept;
    this.#kept = null;
    if (restore && kept) {
      const t = this.app.trace;
      t.clear();
      t.append(kept.records);
      t.dropped = kept.dropped;
      t.select(kept.selected);
    }
    await this.app.client.closeSession();
  }

  /** Make the session's edited policy the app's policy, and re-run with it (closing the session). */
  async adopt(): Promise<void> {
    const o = this.offer;
    if (!o) return;
    // close() ends the session at once (its worker call goes first); the run then starts in the same task.
    const closing = this.open ? this.close(false) : undefined;
    this.app.policy.useCustom(o.policy);
    this.leftover = null;
    void this.app.run();
    await closing;
  }

  dismissOffer(): void {
    this.leftover = null;
  }

  /**
   * A move in slices: the first call, then resume() while a slice runs out, until the target, a prompt,
   * the end, or pause(). `running` (the Pause button) is on from the first slice that ran out.
   */
  async #move(allowed: boolean, first: (c: AuditClient) => Promise<Result<SessionView>>): Promise<void> {
    if (!allowed) return;
    const gen = this.#gen;
    this.#pause = false;
    this.answered = null;
    try {
      let v = await this.#call(first);
      while (v?.status === 'running' && !this.#pause && gen === this.#gen) {
        this.running = true;
        v = await this.#call((c) => c.sessionResume(RUN_SLICE));
      }
    } finally {
      if (gen === this.#gen) this.running = false;
    }
  }

  /** One session call: the answer is applied unless the session was closed meanwhile. */
  async #call(f: (c: AuditClient) => Promise<Result<SessionView>>): Promise<SessionView | null> {
    if (!this.open) return null;
    const gen = this.#gen;
    this.busy = true;
    let r: Result<SessionView>;
    try {
      r = await f(this.app.client);
    } finally {
      if (gen === this.#gen) this.busy = false;
    }
    if (gen !== this.#gen) return null;
    if (!r.ok) {
      await this.#failed(r.error, gen);
      return null;
    }
    this.error = null;
    this.#apply(r.value);
    return r.value;
  }

  async #failed(e: WorkerError, gen: number): Promise<void> {
    this.error = e;
    // The worker was stopped (cancel, abort) or forgot the session: nothing left to drive.
    if (e.phase === 'state') {
      await this.close(true);
      this.error = e;
      return;
    }
    // A session error (a diverging replay, an engine error) ends that run in the worker; show where it
    // stands now, with the whole trace again (the worker resends from 0 after an error).
    const s = await this.app.client.sessionState(0);
    if (gen === this.#gen && s.ok) this.#apply(s.value);
  }

  #apply(v: SessionView): void {
    const t = this.app.trace;
    t.truncate(v.trace.from);
    t.append(v.trace.records);
    this.view = v;
    if (v.status === 'paused' || v.status === 'ask') t.select(v.seq);
  }
}
