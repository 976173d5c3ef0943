// The step-through session (src/session) behind the worker API: one session at a time, on the loaded
// package, interp engine only. Every call answers with a SessionView: the session's state made plain
// (structured-clone and JSON safe) plus a trace delta, so a step costs one record, not the whole trace.
//
// Delta bookkeeping: `sent` is the seq bound the client holds (all kept records with seq < sent). A step
// forwards sends seq ≥ sent; going back (a replay, which src/session checks reproduces the same records)
// or restarting sends `from` = the new end and nothing else. After an error the client's copy may be stale
// (a replay that diverged), so the next answer resends from 0.

import { loadPackageArchive } from '../audit/index.ts';
import { parsePolicy } from '../policy/index.ts';
import { createSession, type Session, type SessionState, type StepOptions } from '../session/index.ts';
import { packageAttributor, type RecordAttributor } from './attribute-records.ts';
import { fail, guard } from './errors.ts';
import { shownStdout, summarize } from './summary.ts';
import type { Result, SessionAnswer, SessionRequest, SessionView } from './types.ts';

const ANSWERS: readonly SessionAnswer[] = ['once', 'always', 'deny'];

interface Open {
  session: Session;
  sent: number;
  /** Gives the records sent to the app their `attribution` (as a normal run's batches have). */
  attr: RecordAttributor;
}

export class SessionHost {
  private open: Open | undefined;

  /** Start a session (closing any open one). `archive`/`wasm` are the loaded package. */
  async openSession(pkg: { archive: Uint8Array; wasm: Uint8Array | undefined } | undefined, req: SessionRequest, traceLimit: number): Promise<Result<SessionView>> {
    this.open = undefined;
    if (!pkg) return fail('state', 'not-loaded', 'no package is loaded');
    if (req.engine !== 'interp') return fail('state', 'bad-engine', `stepping needs the interp engine, got '${String(req.engine)}'`);
    if (req.fuel !== undefined && !(Number.isInteger(req.fuel) && req.fuel > 0)) return fail('state', 'bad-fuel', `fuel must be a positive integer, got ${String(req.fuel)}`);
    return guard(async () => {
      const policy = parsePolicy(req.policy);
      const fs = await loadPackageArchive(pkg.archive);
      // One attributor per loaded package (its DWARF parsed once), shared by the records sent and the session's stops.
      const attr = packageAttributor(pkg, fs);
      const session = createSession({ fs, wasm: pkg.wasm, options: req.options, policy, fuel: req.fuel, traceLimit, attributor: attr.attributor });
      const open: Open = { session, sent: 0, attr };
      this.open = open;
      return this.view(open, session.state());
    });
  }

  // Every move takes an optional `slice`: at most that many instructions, then status 'running' (a replay
  // or a long stretch without syscalls); resume() goes on towards the same target. The app drives moves in
  // slices so that it can pause and the worker answers between them.

  step(slice?: number): Promise<Result<SessionView>> {
    return this.sliced(slice, (s, o) => s.stepToNextSyscall(o));
  }

  nextDenied(slice?: number): Promise<Result<SessionView>> {
    return this.sliced(slice, (s, o) => s.continueToNextDenied(o));
  }

  /** Run to the end (still stopping at prompts). */
  toEnd(slice?: number): Promise<Result<SessionView>> {
    return this.sliced(slice, (s, o) => s.continueToEnd(o));
  }

  /** `k` is checked by the session (SessionError 'bad-argument' for a non-integer or k < -1). */
  runTo(k: number, slice?: number): Promise<Result<SessionView>> {
    return this.sliced(slice, (s, o) => s.runToSyscall(k, o));
  }

  back(slice?: number): Promise<Result<SessionView>> {
    return this.sliced(slice, (s, o) => s.stepBack(o));
  }

  /** After status 'running': go on towards the last move's target. */
  resume(slice?: number): Promise<Result<SessionView>> {
    return this.sliced(slice, (s, o) => s.resume(o));
  }

  restart(): Promise<Result<SessionView>> {
    return this.act((s) => s.restart());
  }

  answer(a: SessionAnswer): Promise<Result<SessionView>> {
    if (!ANSWERS.includes(a)) return Promise.resolve(this.open ? fail('session', 'bad-argument', `answer must be once, always or deny, got ${String(a)}`) : this.none());
    return this.act((s) => s.answer(a));
  }

  /** The current state; `traceFrom` asks for the trace again from that seq (e.g. 0 after losing it). */
  state(traceFrom?: number): Promise<Result<SessionView>> {
    const open = this.open;
    if (open && traceFrom !== undefined) {
      if (!Number.isInteger(traceFrom) || traceFrom < 0) return Promise.resolve(fail('session', 'bad-argument', `traceFrom must be an integer ≥ 0, got ${String(traceFrom)}`));
      open.sent = Math.min(open.sent, traceFrom);
    }
    return this.act((s) => s.state());
  }

  close(): boolean {
    const had = this.open !== undefined;
    this.open = undefined;
    return had;
  }

  private sliced(slice: number | undefined, f: (s: Session, o: StepOptions | undefined) => SessionState): Promise<Result<SessionView>> {
    if (slice !== undefined && !(typeof slice === 'number' && Number.isInteger(slice) && slice > 0)) {
      return Promise.resolve(this.open ? fail('session', 'bad-argument', `slice must be a positive integer, got ${String(slice)}`) : this.none());
    }
    return this.act((s) => f(s, slice === undefined ? undefined : { slice }));
  }

  private none<T>(): Result<T> {
    return fail('state', 'no-session', 'no session is open (call openSession first)');
  }

  private async act(f: (s: Session) => SessionState): Promise<Result<SessionView>> {
    const open = this.open;
    if (!open) return this.none();
    const r = await guard(() => this.view(open, f(open.session)));
    if (!r.ok) open.sent = 0;
    return r;
  }

  private view(open: Open, st: SessionState): SessionView {
    const from = Math.min(open.sent, st.traceTotal);
    const records = open.attr.attributeBatch(from === 0 ? st.trace : st.trace.filter((r) => r.seq >= from));
    open.sent = st.traceTotal;
    const v: SessionView = {
      status: st.status,
      seq: st.seq,
      stack: st.stack,
      frames: st.frames,
      memory: st.memory.map((m) => ({ ...m, bytes: Array.from(m.bytes) })),
      trace: { from, records },
      traceTotal: st.traceTotal,
      traceHash: st.traceHash,
      fuelUsed: st.fuelUsed,
      policy: open.session.policy,
    };
    if (st.call) {
      const c = st.call;
      v.call = { fn: c.fn, raw: c.raw.map((x) => (typeof x === 'bigint' ? x.toString() : x)), record: c.record };
      if (c.result !== undefined) v.call.result = c.result;
    }
    if (st.decision) v.decision = st.decision;
    if (st.attribution) v.attribution = st.attribution;
    if (st.question) v.question = st.question;
    if (st.error) v.error = st.error;
    if (st.result) {
      const a = st.result;
      v.result = { summary: summarize(a, 'interp', st.traceHash), stdout: shownStdout(a.stdout), stderr: a.stderr };
      if (a.graph) v.result.graph = a.graph;
    }
    return v;
  }
}
