// A step-through controller for one package run on the interp engine (issue #6): stop at each syscall,
// continue to the next denied one, run to syscall k, step back, restart, and answer live policy prompts.
//
// How it stops: every WASI import is wrapped. The wrapper lets the WASI host do the call (decode, policy,
// VFS, trace record), then, if the session wants to stop there, returns a Suspend instead of the errno;
// the engine pauses at the call and the session resumes it later with the held errno. So a stop is an
// "exit stop" (as strace's): the record is complete (args, decision and rule, errno, data) and the host's
// effects are done, but the guest has not seen the result yet. A policy "ask" is an "entry stop": the host
// suspends before acting (WasiHost's PolicyAskToken), the session shows the question, and answer() re-runs
// the call with the user's verdict.
//
// Time travel: runs with a fixed clock and seeded random are deterministic, so going back to syscall k is
// a replay driven to k, with the same policy and prompt answers. It starts from the latest checkpoint at or
// before k (checkpoints.ts: instance + host snapshots taken at some syscalls on the way), else from a fresh
// run. Every record's fingerprint is kept, and a replay that differs fails with
// SessionError('nondeterministic') instead of showing a different past.

import { asDenial } from '../audit/denials.ts';
import { readPackageWasm } from '../audit/package.ts';
import { prepareAudit, type AuditResult, type PreparedAudit } from '../audit/run-audit.ts';
import { createAttributor, type Attribution, type Attributor, type FrameSource } from '../attribution/index.ts';
import { hostFunc, interpEngine, Suspend, type CompiledModule, type EngineLimits, type HostFunc, type Imports, type InterpInstance, type RunResult, type Value } from '../interp/index.ts';
import type { Policy } from '../policy/schema.ts';
import { ProcExit } from '../wasi-vfs/errors.ts';
import { MemFS } from '../wasi-vfs/fs.ts';
import { WasiHost, type PolicyAskToken } from '../wasi-vfs/host.ts';
import type { RunOutcome } from '../wasi-vfs/runner.ts';
import { Trace, traceFrames, type TraceDecision, type TraceFrame, type TraceRecord } from '../wasi-vfs/trace.ts';
import { CheckpointStore, type Checkpoint, type CheckpointOptions, type HeldStop as Held, type RunEvent } from './checkpoints.ts';
import { SessionError } from './errors.ts';
import { EMPTY_TRACE_HASH, extendTraceHash, fingerprint } from './fingerprint.ts';
import { cloneFs } from './fs-clone.ts';
import { memoryView, type MemoryRegion, type ViewOptions } from './memory-view.ts';
import { displayPath, questionText, withAllowRule, type Answer, type AskQuestion } from './prompt.ts';

export interface SessionOptions {
  /** The package at the FS root. A MemFS is copied once and each run gets a fresh copy; or a factory. */
  fs: MemFS | (() => MemFS);
  /** The graph runner; default the package's .sandbuild/build.wasm. */
  wasm?: Uint8Array;
  /** Build options (-Dname=value). */
  options?: Record<string, string>;
  /** The run's policy. Use a fixed clock and seeded random for time travel (else replays may diverge). */
  policy: Policy;
  env?: Record<string, string>;
  /** Host triple for the runner (default the audit's). */
  host?: string;
  /** Instruction budget per run (default unmetered). Running out ends the run with 'out-of-fuel'. */
  fuel?: number;
  /** Trace storage cap in bytes (Trace maxBytes). */
  traceLimit?: number;
  limits?: EngineLimits;
  memoryView?: ViewOptions;
  /** Source attribution; default built from the wasm (DWARF .debug_line when present, else names). false: none. */
  attributor?: Attributor | false;
  /** Checkpoints for stepping back (checkpoints.ts); false: every step back replays from the start. */
  checkpoints?: CheckpointOptions | false;
}

export type SessionStatus =
  /** Not started (seq -1). */
  | 'ready'
  /** Stopped at a completed syscall whose result the guest has not seen yet. */
  | 'paused'
  /** Stopped at a policy "ask": answer() it. */
  | 'ask'
  /** A fuel slice ran out before the target was reached: call the same method again to go on. */
  | 'running'
  | 'done';

export interface PendingCall {
  fn: string;
  /** The raw wasm arguments, as the guest passed them (i64 as bigint). */
  raw: (number | bigint)[];
  /** The trace record: decoded args, errno, out values, data, decisions, stack. */
  record: TraceRecord;
  /** The errno number the guest will receive (paused), or undefined at an ask. */
  result?: number;
}

export interface SessionState {
  status: SessionStatus;
  /** seq of the record stopped at; -1 before the first call; the total record count when done. */
  seq: number;
  call?: PendingCall;
  /** The deciding policy decision of the call (a denial first, else the last one), with its rule. */
  decision?: TraceDecision;
  /** Guest call stack at the call, innermost last, with name-section names. */
  stack: TraceFrame[];
  /** The stack with each frame's source line and inlined callers (when the wasm has DWARF). */
  frames: FrameSource[];
  /** Which package's build.zig (and line, with DWARF) made the call. */
  attribution?: Attribution;
  /** The memory the call reads and writes, bounded. */
  memory: MemoryRegion[];
  question?: AskQuestion;
  /** Kept trace records so far (a copy; from `traceFrom` when state() was given one). */
  trace: TraceRecord[];
  traceTotal: number;
  /** Rolling fingerprint of all kept records so far (equal traces have equal hashes). */
  traceHash: string;
  fuelUsed: number;
  /** When done: the audit result (outcome, graph, denials...). */
  result?: AuditResult;
  /** While 'running': where resume() is headed. */
  target?: Target;
  /** When the run was stopped by an error (engine exhaustion, a diverging replay...): what it was. */
  error?: { phase: string; kind: string; message: string };
}

export type Target = { kind: 'next' } | { kind: 'denied' } | { kind: 'seq'; seq: number } | { kind: 'end' };

export interface StepOptions {
  /** Instructions to run before returning with status 'running' (lets a worker stay responsive). */
  slice?: number;
}

const STOP = Symbol('session-stop');
/** A suspension only to take a checkpoint; the run goes on right after. */
const CHECKPOINT = Symbol('session-checkpoint');
/** Stdout/stderr bytes logged per run for checkpoints, at most (past it the run takes no more checkpoints). */
const MAX_LOGGED_OUTPUT = 64 << 20;

interface Asking {
  fn: string;
  raw: Value[];
  rec: TraceRecord;
  token: PolicyAskToken;
  orig: HostFunc;
}

/** One run of the guest: host, instance and where it stands. */
class LiveRun {
  phase: 'ready' | 'held' | 'ask' | 'sliced' | 'done' = 'ready';
  last?: TraceRecord;
  held?: Held;
  asking?: Asking;
  /** ask keys (`op:path`) answered for one call only; cleared when the call completes. */
  readonly onceKeys = new Set<string>();
  result?: AuditResult;
  error?: SessionState['error'];
  /** Rolling fingerprint of the kept records (so state() does not rehash the whole trace per step). */
  traceHash = EMPTY_TRACE_HASH;
  wantStop: (rec: TraceRecord) => boolean = () => false;
  /** What the prepared audit was fed (for checkpoints); undefined once this run takes no checkpoints. */
  log: RunEvent[] | undefined = [];
  loggedBytes = 0;

  constructor(
    readonly host: WasiHost,
    readonly instance: InterpInstance,
    readonly trace: Trace,
    readonly prepared: PreparedAudit,
    /** This run's WASI functions, which the instance's import wrappers call. */
    readonly hostFns: Record<string, HostFunc>,
  ) {}
}

export class Session {
  /** The policy being edited: "allow always" answers add rules here. restart() runs with it. */
  policy: Policy;
  private runPolicy: Policy;
  private readonly pristine: () => MemFS;
  private readonly wasm: Uint8Array;
  private readonly compiled: CompiledModule;
  private readonly attributor: Attributor | undefined;
  /** Prompt answers by the seq of the asking record, replayed when travelling back. */
  private answers = new Map<number, Answer>();
  /** Fingerprint of every record seen, by seq: a replay must reproduce them. */
  private history = new Map<number, string>();
  private run: LiveRun;
  /** The target of the last advance, for resume(). */
  private target: Target = { kind: 'next' };
  /** Snapshots of this timeline for stepping back; undefined when off. */
  private readonly checkpoints: CheckpointStore | undefined;
  /** The instance's imports: wrappers that call the current run's host (one set for every run). */
  private wrappers: Imports | undefined;

  constructor(private readonly opts: SessionOptions) {
    if (typeof opts.fs === 'function') this.pristine = opts.fs;
    else {
      const frozen = cloneFs(opts.fs);
      this.pristine = () => cloneFs(frozen);
    }
    this.wasm = opts.wasm ?? readPackageWasm(this.pristine());
    this.compiled = interpEngine.compile(this.wasm);
    // A WASI command exports `_start` (WASI application ABI).
    if (!this.compiled.exports.some((e) => e.name === '_start' && e.kind === 'func')) {
      throw new SessionError('bad-module', 'the module is not a WASI command: it exports no _start function');
    }
    this.attributor = opts.attributor === false ? undefined : (opts.attributor ?? createAttributor(this.wasm));
    this.policy = opts.policy;
    this.runPolicy = opts.policy;
    this.checkpoints = opts.checkpoints === false ? undefined : new CheckpointStore(opts.checkpoints);
    this.run = this.newRun();
  }

  /** Checkpoints held now: their seqs and the bytes they hold (shared pages counted once). */
  checkpointInfo(): { seqs: number[]; bytes: number; evicted: number } {
    const c = this.checkpoints;
    return { seqs: c?.seqs() ?? [], bytes: c?.bytes ?? 0, evicted: c?.evicted ?? 0 };
  }

  // ---- controls --------------------------------------------------------------------------------------

  stepToNextSyscall(o?: StepOptions): SessionState {
    return this.advance({ kind: 'next' }, o);
  }

  continueToNextDenied(o?: StepOptions): SessionState {
    return this.advance({ kind: 'denied' }, o);
  }

  /** Run to the end (still stopping at prompts). */
  continueToEnd(o?: StepOptions): SessionState {
    return this.advance({ kind: 'end' }, o);
  }

  /** Stop at syscall k (forwards, or by replaying when k is at or behind the current position). */
  runToSyscall(k: number, o?: StepOptions): SessionState {
    if (!Number.isInteger(k) || k < -1) throw new SessionError('bad-argument', `syscall number must be an integer ≥ -1, got ${k}`);
    if (k === -1 || k <= this.position()) {
      const ck = k === -1 ? undefined : this.checkpoints?.atOrBefore(k);
      this.run = this.newRun(ck);
      if (k === -1) return this.state();
      if (ck?.seq === k) {
        this.target = { kind: 'seq', seq: k };
        return this.state();
      }
    }
    return this.advance({ kind: 'seq', seq: k }, o);
  }

  /** Go back one syscall (a replay to position − 1). */
  stepBack(o?: StepOptions): SessionState {
    return this.runToSyscall(Math.max(-1, this.position() - 1), o);
  }

  /**
   * Start over with the edited policy (or `policy`). Prompt answers are forgotten ("always" ones live on as
   * rules in the policy), and so is the recorded history, since a new policy makes a different run.
   */
  restart(o: { policy?: Policy } = {}): SessionState {
    if (o.policy) this.policy = o.policy;
    this.runPolicy = this.policy;
    this.answers = new Map();
    this.history = new Map();
    this.checkpoints?.clear();
    this.run = this.newRun();
    return this.state();
  }

  /** Answer the pending prompt. The session then stops at the completed call (or at a further question). */
  answer(a: Answer): SessionState {
    const run = this.run;
    if (run.phase !== 'ask' || !run.asking) throw new SessionError('no-question', 'there is no pending question to answer');
    if (a === 'always') this.policy = withAllowRule(this.policy, run.asking.token.op as never, run.asking.token.path);
    // A new answer starts a new timeline: what was recorded after this question may now differ.
    const seq = run.asking.rec.seq;
    for (const k of [...this.history.keys()]) if (k > seq) this.history.delete(k);
    for (const k of [...this.answers.keys()]) if (k > seq) this.answers.delete(k);
    this.checkpoints?.dropAfter(seq);
    this.guard(run, () => this.applyAnswer(run, a));
    return this.state();
  }

  /** Generic driver: go towards `target`, stopping there, at a prompt, at the end, or when a slice runs out. */
  advance(target: Target, o: StepOptions = {}): SessionState {
    this.target = target;
    this.guard(this.run, () => this.drive(this.run, target, o.slice));
    return this.state();
  }

  /**
   * After status 'running' (a fuel slice ran out): go on towards the same target. Calling stepBack() again
   * instead would step back from wherever the slice stopped.
   */
  resume(o: StepOptions = {}): SessionState {
    return this.advance(this.target, o);
  }

  /** The instance is unusable after an error in it: the run ends there and says why (restart or travel back for a fresh one). */
  private guard(run: LiveRun, f: () => void): void {
    try {
      f();
    } catch (e) {
      run.phase = 'done';
      run.held = undefined;
      run.asking = undefined;
      run.error = describeError(e);
      throw e;
    }
  }

  // ---- state -----------------------------------------------------------------------------------------

  /** The seq stopped at (-1 before the start; the record count when done). */
  position(): number {
    const run = this.run;
    switch (run.phase) {
      case 'ready':
        return -1;
      case 'held':
        return run.held!.rec.seq;
      case 'ask':
        return run.asking!.rec.seq;
      case 'sliced':
        return run.last?.seq ?? -1;
      case 'done':
        return run.trace.total;
    }
  }

  /**
   * Where the session stands. `traceFrom` limits `trace` to records with seq ≥ it (a worker posts only
   * what is new); `traceHash` always covers every kept record.
   */
  state(opts: { traceFrom?: number } = {}): SessionState {
    const run = this.run;
    const all = run.trace.records;
    const from = opts.traceFrom ?? 0;
    const trace = from <= 0 ? all.slice() : all.filter((r) => r.seq >= from);
    const base = {
      seq: this.position(),
      trace,
      traceTotal: run.trace.total,
      traceHash: run.traceHash,
      fuelUsed: run.instance.fuelUsed,
    };
    const stop = run.phase === 'held' ? run.held : run.phase === 'ask' ? run.asking : undefined;
    if (!stop) {
      if (run.phase === 'sliced') return { ...base, status: 'running', target: this.target, stack: [], frames: [], memory: [] };
      return { ...base, status: run.phase === 'ready' ? 'ready' : 'done', stack: [], frames: [], memory: [], result: run.result, error: run.error };
    }
    const rec = stop.rec;
    const stack = rec.stack ?? [];
    const attribution = this.attributor?.attribute(stack);
    const state: SessionState = {
      ...base,
      status: run.phase === 'ask' ? 'ask' : 'paused',
      call: { fn: stop.fn, raw: stop.raw.map((v) => (typeof v === 'bigint' ? v : Number(v))), record: rec, result: run.phase === 'held' ? run.held!.result : undefined },
      decision: asDenial(rec)?.decisions?.find((d) => d.verdict === 'deny') ?? rec.decisions?.at(-1),
      stack,
      frames: this.attributor?.frames(stack) ?? stack.map((f) => ({ ...f })),
      attribution,
      memory: memoryView(stop.fn, stop.raw, run.instance.memory?.(), this.opts.memoryView),
    };
    if (run.phase === 'ask') {
      const t = run.asking!.token;
      const where = attribution?.file !== undefined ? `${attribution.file}:${attribution.line}` : undefined;
      const q = { seq: rec.seq, fn: stop.fn, op: t.op as AskQuestion['op'], path: t.path, display: displayPath(t.path, this.opts.env), rule: t.rule, package: attribution?.package, where };
      state.question = { ...q, text: questionText(q) };
    }
    return state;
  }

  // ---- internals -------------------------------------------------------------------------------------

  /** A fresh run from the start, or (with `ck`) the run as it stood at that checkpoint, on the current instance. */
  private newRun(ck?: Checkpoint): LiveRun {
    const p = prepareAudit({
      // From a checkpoint the FS is replaced by the snapshot's: an empty one saves copying the package.
      fs: ck ? new MemFS() : this.pristine(),
      wasm: this.wasm,
      options: this.opts.options,
      policy: structuredClone(this.runPolicy),
      engine: interpEngine,
      env: this.opts.env,
      host: this.opts.host,
      traceLimit: this.opts.traceLimit,
      captureStack: true,
    });
    const wanted = p.wasi.trace && typeof p.wasi.trace === 'object' && !(p.wasi.trace instanceof Trace) ? p.wasi.trace : {};
    // eslint-disable-next-line prefer-const -- assigned after the host exists, read when records arrive
    let run: LiveRun;
    const trace = new Trace({
      ...wanted,
      onRecord: (r) => {
        wanted.onRecord?.(r);
        run.log?.push(r);
        this.onRecord(run, r);
      },
    });
    const sink = (name: 'stdout' | 'stderr') => {
      const to = p.wasi[name];
      return {
        write: (b: Uint8Array) => {
          if (run.log) {
            run.loggedBytes += b.length;
            if (run.loggedBytes > MAX_LOGGED_OUTPUT) run.log = undefined;
            else run.log.push({ sink: name, bytes: b.slice() });
          }
          to?.write(b);
        },
      };
    };
    const host = new WasiHost({ ...p.wasi, trace, stdout: sink('stdout'), stderr: sink('stderr') });
    host.canSuspend = true;
    const hostFns = (host.imports().wasi_snapshot_preview1 ?? {}) as Record<string, HostFunc>;
    this.wrappers ??= this.wrapImports(hostFns);
    const instance = ck ? this.run.instance : (interpEngine.instantiate(this.compiled, this.wrappers, this.opts.limits) as InterpInstance);
    host.bind(instance);
    trace.stackProvider = () => traceFrames(instance);
    run = new LiveRun(host, instance, trace, p, hostFns);
    if (!this.checkpoints || this.runPolicy.mode === 'learn') run.log = undefined;
    if (ck) {
      instance.restore(ck.engine);
      host.restore(ck.host);
      // The prepared audit (denials, missing lookups, stdout for the graph) is rebuilt by feeding it again.
      const log = ck.log.slice(0, ck.logN);
      for (const ev of log) {
        if ('seq' in ev) wanted.onRecord?.(ev);
        else {
          p.wasi[ev.sink]?.write(ev.bytes);
          run.loggedBytes += ev.bytes.length;
        }
      }
      run.log = log;
      run.phase = 'held';
      run.held = { ...ck.held, raw: ck.held.raw.slice() };
      run.last = ck.last;
      run.traceHash = ck.traceHash;
    }
    return run;
  }

  /** At an exit stop: keep a checkpoint here if one is due (and this run can take them). */
  private checkpoint(run: LiveRun): void {
    const store = this.checkpoints;
    const held = run.held;
    if (!store || !run.log || !held || run.phase !== 'held') return;
    if (run.trace.dropped > 0) {
      run.log = undefined; // the log would keep every dropped record alive
      return;
    }
    const seq = held.rec.seq;
    const fuel = run.instance.fuelUsed;
    if (!store.due(seq, fuel)) return;
    let engine, host;
    try {
      // Shares the memory pages that did not change since the checkpoint before it.
      engine = run.instance.snapshot(store.atOrBefore(seq)?.engine);
      host = run.host.snapshot();
    } catch {
      run.log = undefined; // a state no snapshot covers (snapshot.ts, scope): replays start from the start
      return;
    }
    store.add({ seq, fuel, engine, host, held: { ...held, raw: held.raw.slice() }, last: run.last, traceHash: run.traceHash, log: run.log, logN: run.log.length });
  }

  private onRecord(run: LiveRun, r: TraceRecord): void {
    run.last = r;
    const fp = fingerprint(JSON.stringify(r));
    if (run.trace.records.at(-1) === r) run.traceHash = extendTraceHash(run.traceHash, fp);
    const seen = this.history.get(r.seq);
    if (seen === undefined) this.history.set(r.seq, fp);
    else if (seen !== fp) {
      throw new SessionError('nondeterministic', `replay diverged at syscall ${r.seq} (${r.fn}): use a fixed clock and seeded random in the policy`);
    }
  }

  /**
   * Wrap each WASI import so the session can hold its result (see the file comment). The wrappers call the
   * current run's host, so a run restored from a checkpoint goes on with the same instance.
   */
  private wrapImports(fns: Record<string, HostFunc>): Imports {
    const mod = 'wasi_snapshot_preview1';
    const wrapped: Record<string, HostFunc> = {};
    for (const [name, ext] of Object.entries(fns)) {
      wrapped[name] = hostFunc(ext.type, (args, info) => {
        const run = this.run;
        const orig = run.hostFns[name];
        let res: ReturnType<HostFunc['fn']>;
        try {
          res = orig.fn(args, info);
        } catch (e) {
          if (e instanceof ProcExit && run.last && run.wantStop(run.last)) {
            run.held = { fn: name, raw: args.slice(), rec: run.last, exit: e.code };
            return new Suspend(STOP);
          }
          throw e;
        }
        if (res instanceof Suspend) {
          const token = res.token as PolicyAskToken | undefined;
          if (token?.kind !== 'policy-ask') throw new SessionError('bad-module', `unexpected suspension at ${mod}.${name}`);
          run.asking = { fn: name, raw: args.slice(), rec: run.last!, token, orig };
          return res;
        }
        const rec = run.last!;
        const stop = run.wantStop(rec);
        if (stop || (run.log && this.checkpoints?.due(rec.seq, run.instance.fuelUsed))) {
          run.held = { fn: name, raw: args.slice(), rec, result: res as number };
          return new Suspend(stop ? STOP : CHECKPOINT);
        }
        return res;
      });
    }
    return { [mod]: wrapped };
  }

  private stopPredicate(target: Target, from: number): (rec: TraceRecord) => boolean {
    switch (target.kind) {
      case 'next':
        return (r) => r.seq > from && r.errno !== 'suspended';
      case 'denied':
        return (r) => r.seq > from && asDenial(r) !== undefined;
      case 'seq':
        return (r) => r.seq >= target.seq;
      case 'end':
        return () => false;
    }
  }

  private fuelFor(run: LiveRun, slice: number | undefined): number | undefined {
    const total = this.opts.fuel;
    const left = total === undefined ? Infinity : Math.max(0, total - run.instance.fuelUsed);
    const f = Math.min(left, slice ?? Infinity);
    return Number.isFinite(f) ? f : undefined;
  }

  private drive(run: LiveRun, target: Target, slice: number | undefined): void {
    run.wantStop = this.stopPredicate(target, this.position());
    for (;;) {
      let r: RunResult;
      const fuel = this.fuelFor(run, slice);
      try {
        switch (run.phase) {
          case 'done':
            return;
          case 'ask': {
            // Replaying behind a target: the answer given last time, if any. Otherwise the user decides.
            const seq = run.asking!.rec.seq;
            const again = this.answers.get(seq);
            if (target.kind !== 'seq' || seq >= target.seq || again === undefined) return;
            if (this.applyAnswer(run, again) === 'ask') continue;
            if (run.wantStop(run.held!.rec)) return;
            continue;
          }
          case 'ready':
            r = run.instance.run('_start', [], { fuel });
            break;
          case 'held': {
            const held = run.held!;
            run.held = undefined;
            if (held.exit !== undefined) {
              this.end(run, { status: 'exit', code: held.exit });
              return;
            }
            r = run.instance.resume([held.result!], { fuel });
            break;
          }
          case 'sliced':
            r = run.instance.resume([], { fuel });
            break;
        }
      } catch (e) {
        if (e instanceof ProcExit) {
          this.end(run, { status: 'exit', code: e.code });
          return;
        }
        throw e;
      }
      if (r.status === 'suspended') {
        const token = r.call.token;
        run.phase = token === STOP || token === CHECKPOINT ? 'held' : 'ask';
        if (run.phase === 'held') {
          this.checkpoint(run);
          if (token === STOP) return;
        }
        continue; // an ask: the 'ask' case decides whether to stop; a checkpoint: go on
      }
      if (r.status === 'out-of-fuel') {
        const total = this.opts.fuel;
        if (total !== undefined && run.instance.fuelUsed >= total) {
          this.end(run, { status: 'out-of-fuel' });
        } else run.phase = 'sliced';
        return;
      }
      this.end(run, r.status === 'done' ? { status: 'exit', code: 0 } : { status: 'trap', trap: r.trap });
      return;
    }
  }

  /** Re-run the asking call with the answer; 'held' when it completed, 'ask' when it asks again. */
  private applyAnswer(run: LiveRun, a: Answer): 'held' | 'ask' {
    const asking = run.asking!;
    const { token } = asking;
    // The host reads answers by `${op}:${path}` (WasiCtx.askAnswers); "once" and "deny" hold for this call only.
    const key = `${token.op}:${token.path}`;
    run.host.ctx.askAnswers.set(key, a === 'deny' ? 'deny' : 'allow');
    if (a !== 'always') run.onceKeys.add(key);
    this.answers.set(asking.rec.seq, a);
    run.asking = undefined;
    const res = asking.orig.fn(asking.raw, { module: 'wasi_snapshot_preview1', name: asking.fn });
    if (res instanceof Suspend) {
      run.asking = { ...asking, rec: run.last!, token: res.token as PolicyAskToken };
      run.phase = 'ask';
      return 'ask';
    }
    for (const k of run.onceKeys) run.host.ctx.askAnswers.delete(k);
    run.onceKeys.clear();
    run.held = { fn: asking.fn, raw: asking.raw, rec: run.last!, result: res as number };
    run.phase = 'held';
    return 'held';
  }

  private end(run: LiveRun, outcome: RunOutcome): void {
    run.phase = 'done';
    run.held = undefined;
    run.asking = undefined;
    run.result = run.prepared.finish(outcome, run.host);
  }
}

function describeError(e: unknown): { phase: string; kind: string; message: string } {
  if (e instanceof Error) {
    const x = e as Error & { phase?: unknown; kind?: unknown };
    return { phase: typeof x.phase === 'string' ? x.phase : 'session', kind: typeof x.kind === 'string' ? x.kind : e.name, message: e.message };
  }
  return { phase: 'session', kind: 'unknown', message: String(e) };
}

export function createSession(opts: SessionOptions): Session {
  return new Session(opts);
}
