// The data that crosses the worker boundary (structured-clone safe: plain objects, arrays, strings,
// numbers, typed arrays). Shared by src/worker/api.ts and the app through `import type` only.

import type { Attribution, FrameSource } from '../attribution/index.ts';
import type { VersionDiff } from '../audit/index.ts';
import type { Denial, Graph } from '../graph/index.ts';
import type { Policy } from '../policy/index.ts';
import type { AskQuestion, MemoryRegion, SessionStatus } from '../session/index.ts';
import type { TraceDecision, TraceFrame, TraceRecord } from '../wasi-vfs/index.ts';

export type EngineName = 'interp' | 'native';

/**
 * Where a failure happened. `archive`: the package could not be unpacked; `package`: it unpacked but
 * lacks something (no build.zig, no build.wasm); `options`: an option the runner cannot take; `decode`/`validate`/`link`: the wasm; `trap`/`exhaustion`: the run;
 * `graph`: the guest printed an invalid graph; `policy`: the policy is invalid; `state`: a call the worker
 * cannot take now (no package, no session); `session`: the step-through session refused (src/session
 * SessionError: nondeterministic replay, no question to answer, bad argument); `permalink`: the app could not
 * open a link (src/permalink PermalinkError kinds); `internal`: a bug.
 */
export type ErrorPhase = 'archive' | 'package' | 'options' | 'decode' | 'validate' | 'link' | 'trap' | 'exhaustion' | 'graph' | 'policy' | 'state' | 'session' | 'permalink' | 'internal';

export interface WorkerError {
  phase: ErrorPhase;
  /** Stable machine-readable reason within the phase (e.g. 'bad-gzip', 'no-build-wasm', 'out-of-fuel'). */
  kind: string;
  message: string;
}

/** Every worker call returns this: Comlink would turn a thrown error into a bare Error and lose its class. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WorkerError };

export interface LoadInfo {
  files: number;
  bytes: number;
  /** True when the archive holds `.sandbuild/build.wasm` or a wasm was given with it. */
  hasWasm: boolean;
  wasmBytes: number;
}

export interface RunRequest {
  /** `-Dname=value` options; an empty map means defaults. */
  options: Record<string, string>;
  policy: Policy;
  engine: EngineName;
  /** Instruction budget (interp only). */
  fuel?: number;
}

export type RunState = 'running' | 'done';

export interface RunProgress {
  /** Syscalls made so far. */
  syscalls: number;
  /** Denied syscalls so far. */
  denied: number;
  /** Interpreter instructions executed so far (0 on the native engine, which has no fuel). */
  fuelUsed: number;
  elapsedMs: number;
}

/** One batch of events: many syscalls per message, never one postMessage per syscall. */
export interface EventBatch {
  /** Present once, in the last batch, when the guest printed a valid graph. */
  graph?: Graph;
  trace: TraceRecord[];
  stdout: string;
  stderr: string;
  status: { state: RunState; progress: RunProgress };
}

export type RunOutcome = { status: 'exit'; code: number } | { status: 'trap'; kind: string; message: string } | { status: 'out-of-fuel' };

export interface RunSummary {
  engine: EngineName;
  outcome: RunOutcome;
  exitCode: number;
  durationMs: number;
  syscalls: number;
  /** Trace records not kept (trace memory cap); they are still counted in `syscalls`. */
  traceDropped: number;
  syscallDenials: number;
  capDenials: Denial[];
  /** Blocked step id → the denied steps that block it, ascending. */
  blocked: [number, number[]][];
  stepCount: number;
  /** Path lookups that found nothing: what the build logic went looking for (not denials). */
  missing: { seq: number; fn: string; path: string }[];
  /** Environment variables offered but hidden by the policy. */
  envHidden: { name: string; rule: string }[];
  /** The guest's output was not a valid graph (null when the graph was valid or the run failed first). */
  graphError: { path: string; message: string } | null;
  /** The smallest policy that would have allowed the run (learn mode only). */
  learnedPolicy: Policy | null;
  /** The session's rolling fingerprint over the kept trace records (summary.ts traceHashOf): equal traces, equal hashes. */
  traceHash: string;
}

// ---- step-through session (issue #6) --------------------------------------------------------------------

/** Opens a step-through session on the loaded package. Only the interpreter can pause at a syscall. */
export interface SessionRequest {
  options: Record<string, string>;
  /** Use a fixed clock and seeded random (the audit policy does) so stepping back can replay. */
  policy: Policy;
  engine: 'interp';
  /** Instruction budget for each run of the session (a replay is a run). */
  fuel?: number;
}

export type SessionAnswer = 'once' | 'always' | 'deny';

/** src/session's MemoryRegion with the bytes as a plain array (clone- and JSON-safe). */
export type WireMemoryRegion = Omit<MemoryRegion, 'bytes'> & { bytes: number[] };

/**
 * What changed in the trace since the last answer: drop the records with seq ≥ `from`, then append
 * `records`. Stepping back gives `from` = the new end and no records (a replay reproduces the prefix).
 */
export interface TraceDelta {
  from: number;
  records: TraceRecord[];
}

export interface SessionResult {
  summary: RunSummary;
  graph?: Graph;
  /** At most STDOUT_SHOWN characters (summary.ts). */
  stdout: string;
  stderr: string;
}

/** src/session's SessionState made plain: no class instances, no typed arrays, no bigints. */
export interface SessionView {
  status: SessionStatus;
  /** seq stopped at; -1 before the first call; the record count when done. */
  seq: number;
  call?: {
    fn: string;
    /** The raw wasm arguments; an i64 as a decimal string. */
    raw: (number | string)[];
    record: TraceRecord;
    /** The errno number the guest will receive (absent at an ask). */
    result?: number;
  };
  decision?: TraceDecision;
  stack: TraceFrame[];
  frames: FrameSource[];
  attribution?: Attribution;
  memory: WireMemoryRegion[];
  question?: AskQuestion;
  trace: TraceDelta;
  traceTotal: number;
  /** Covers every kept record, not just the delta: equal traces, equal hashes. */
  traceHash: string;
  fuelUsed: number;
  /** The policy being edited: "always" answers add rules to it; sessionRestart() runs with it. */
  policy: Policy;
  /** When done. */
  result?: SessionResult;
  /** When an error ended the run (engine exhaustion, a diverging replay). */
  error?: { phase: string; kind: string; message: string };
}

// ---- version diff (issue #6, item 8) --------------------------------------------------------------------

/** One version of a package for `diff`: the archive and, when the dev server compiled it, its build.wasm. */
export interface DiffInput {
  /** Shown in errors and the view (e.g. the file name). */
  name: string;
  archive: Uint8Array;
  wasm?: Uint8Array;
}

/** Both versions run with the same options, policy and engine (like `sandbuild diff`). */
export type DiffRequest = RunRequest;

export type DiffSideName = 'a' | 'b';

export interface DiffProgress {
  side: DiffSideName;
  state: 'loading' | 'running' | 'done' | 'failed';
  syscalls: number;
  fuelUsed: number;
}

/** One version's run: its summary and graph when it ran, and why it is not usable when it is not. */
export interface DiffSide {
  name: string;
  /** Absent when the package could not be loaded (bad archive, no build.wasm). */
  summary?: RunSummary;
  graph?: Graph;
  /** Load failure, trap, non-zero exit, out of fuel, or an invalid graph. */
  error?: WorkerError;
  /** The guest's stderr (at most DIFF_STDERR_SHOWN characters) when it failed. */
  stderr?: string;
}

export interface DiffResult {
  a: DiffSide;
  b: DiffSide;
  /** src/audit's diffAudits(a, b) (plain data); absent unless both versions ran. */
  diff?: VersionDiff;
}
