// The audit pipeline shared by the CLI (`sandbuild audit`, `sandbuild diff`) and the browser worker: run a
// package's compiled graph runner (.sandbuild/build.wasm) on an engine, over the package's in-memory FS,
// under one policy document; then validate the graph it prints and judge the graph's capability requests
// with the same policy. No DOM and no Node-only APIs (DESIGN.md, "Data flow").
//
// The guest is invoked like guest/runner.zig expects: argv = ['build', '--host', TRIPLE, '-Dk=v'...], the
// package root preopened as "." (the runner's cwd and build root; same as src/zig/run-reference.ts).
// With `make`, the runner also makes that one custom step after printing the graph (make.ts attributes
// the trace records from then on to the step).

import type { Engine, Instance } from '../interp/api.ts';
import { parseGraphText, GraphError } from '../graph/parse.ts';
import { LIMITS, type Graph } from '../graph/schema.ts';
import { capPolicyFrom } from '../graph/policy-adapter.ts';
import { blockedDependants, denials, type Denial } from '../graph/views.ts';
import { learnedCapabilities, type CapabilityRequest } from '../policy/capabilities.ts';
import { parsePolicy, type Policy } from '../policy/schema.ts';
import type { MemFS } from '../wasi-vfs/fs.ts';
import type { PolicyAskToken, WasiHost } from '../wasi-vfs/host.ts';
import { runWasi, type RunOutcome, type RunWasiOptions } from '../wasi-vfs/runner.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { asDenial, asMissing, type MissingLookup } from './denials.ts';
import { AuditError } from './errors.ts';
import { MakeAttribution, type MakeResult } from './make.ts';
import { readPackageWasm } from './package.ts';

/** The host triple the runner resolves `native` to (guest/runner.zig's default; a real x86_64 Linux host). */
export const DEFAULT_HOST = 'x86_64-linux-gnu';
/** Trace records per onTrace call: large enough that a worker posts few messages, small enough to stream. */
export const DEFAULT_TRACE_BATCH = 256;
/** stderr kept (a hostile script could print without end; stdout is capped by the graph's own limit). */
export const MAX_STDERR_CHARS = 1 << 20;
/** Denials kept in the result, independent of the trace cap (a denial storm must not exhaust memory). */
export const MAX_LISTED = 10_000;

export interface AuditRequest {
  /** The package, at the FS root (see loadPackageArchive). */
  fs: MemFS;
  /** The graph runner; default the package's .sandbuild/build.wasm (AuditError 'no-wasm' if absent). */
  wasm?: Uint8Array;
  /** Build options, passed as -Dname=value. */
  options?: Record<string, string>;
  /** Make this custom step (a name or graph id) in the sandbox after configure: the runner's `--make`. */
  make?: string;
  policy: Policy;
  engine: Engine;
  /** Environment offered to the guest; the policy's `env` decides what it sees. Default none. */
  env?: Record<string, string>;
  /** Host target triple the graph is computed for. Default DEFAULT_HOST. */
  host?: string;
  /** Instruction budget (interp only; the native engine has no fuel). */
  fuel?: number;
  /** Bytes of trace kept (Trace maxBytes; denials get a second allowance). Default 64 MiB. */
  traceLimit?: number;
  /** Records per onTrace batch. Default DEFAULT_TRACE_BATCH. */
  traceBatch?: number;
  /** Guest call stacks in trace records (interp only). */
  captureStack?: boolean;
  /** Trace records as they happen, in batches (the last one when the run ends). */
  onTrace?: (batch: TraceRecord[]) => void;
  /** Called once the guest instance exists, before it runs (progress: its fuelUsed). */
  onInstance?: (instance: Instance) => void;
  /** Answer a policy `ask` (interp only; synchronous). Without it the policy's askFallback applies. */
  onAsk?: (q: PolicyAskToken) => 'allow' | 'deny';
}

export type AuditOutcome =
  | { status: 'exit'; code: number }
  | { status: 'trap'; kind: string; message: string }
  | { status: 'out-of-fuel' };

export interface AuditResult {
  outcome: AuditOutcome;
  stdout: string;
  stderr: string;
  /** The validated graph (when the runner exited 0 and its output passed GraphSchema). */
  graph?: Graph;
  /** Why the output is not a graph, naming the JSON path (`$.steps[3].deps[0]`). */
  graphError?: { path: string; message: string };
  /** Kept trace records (see traceDropped). */
  trace: TraceRecord[];
  traceTotal: number;
  traceDropped: number;
  /** Configure-time syscalls denied by the policy or refused as sandbox escapes, each with the denying decision and rule. */
  syscallDenials: TraceRecord[];
  /** Configure-time path lookups that found nothing: what the build logic looked for (not denials). */
  missing: MissingLookup[];
  /** With `make`: the step's outcome and its own syscalls, denials and missing lookups (records carry `step`). */
  make?: MakeResult;
  /** Environment variables offered but hidden by the policy, with the rule. */
  envHidden: { name: string; rule: string }[];
  /** Graph capability requests the policy does not grant, each with its rule. */
  capDenials: Denial[];
  /** Steps that cannot be made because a step they depend on was denied, with those denied steps. */
  blocked: { step: number; blockedBy: number[] }[];
  /** In learn mode: the smallest policy that allows this run and this graph. */
  learnedPolicy?: Policy;
  durationMs: number;
}

/** argv for guest/runner.zig. Option names cannot hold '=' (the runner splits at the first one). */
export function runnerArgs(options: Record<string, string>, host: string, make?: string): string[] {
  const args = ['build', '--host', host];
  if (make !== undefined) {
    if (make === '' || make.includes('\0')) throw new AuditError('bad-option', `invalid step to make ${JSON.stringify(make)}: a step name or id, without NUL`);
    args.push('--make', make);
  }
  for (const [k, val] of Object.entries(options)) {
    if (k === '' || k.includes('=') || k.includes('\0') || val.includes('\0')) {
      throw new AuditError('bad-option', `invalid build option ${JSON.stringify(k)}: names are non-empty, without '=' or NUL`);
    }
    args.push(`-D${k}=${val}`);
  }
  return args;
}

/** A bounded text sink for guest output. */
function textSink(max: number): { write(b: Uint8Array): void; text(): string } {
  const dec = new TextDecoder();
  let s = '';
  return {
    write(b) {
      if (s.length <= max) s += dec.decode(b, { stream: true });
    },
    text: () => (s.length > max ? s.slice(0, max + 1) : s + dec.decode()),
  };
}

/**
 * An audit split at the engine: `wasm` and `wasi` are what to run (the options for runWasi or for a driver
 * of one's own, such as the worker's step-through on a suspended interp instance), `finish` turns the run's
 * end into the AuditResult. runAudit is prepare → runWasi → finish.
 */
export interface PreparedAudit {
  wasm: Uint8Array;
  wasi: RunWasiOptions;
  /** Call once, when the guest has ended (exit, trap or out of fuel). Flushes the last trace batch. */
  finish(outcome: RunOutcome, host: WasiHost): AuditResult;
}

export function prepareAudit(req: AuditRequest): PreparedAudit {
  const t0 = performance.now();
  const wasm = req.wasm ?? readPackageWasm(req.fs);
  const args = runnerArgs(req.options ?? {}, req.host ?? DEFAULT_HOST, req.make);
  const interp = req.engine.name === 'interp';

  const syscallDenials: TraceRecord[] = [];
  const missing: MissingLookup[] = [];
  const batchSize = Math.max(1, req.traceBatch ?? DEFAULT_TRACE_BATCH);
  let batch: TraceRecord[] = [];
  const flush = () => {
    if (batch.length > 0 && req.onTrace) req.onTrace(batch);
    batch = [];
  };
  const make = req.make !== undefined ? new MakeAttribution(req.make, MAX_LISTED) : undefined;
  const onRecord = (r: TraceRecord) => {
    if (!make?.record(r)) {
      const denial = asDenial(r);
      if (denial && syscallDenials.length < MAX_LISTED) syscallDenials.push(denial);
      const miss = asMissing(r);
      if (miss && missing.length < MAX_LISTED) missing.push(miss);
    }
    if (req.onTrace) {
      batch.push(r);
      if (batch.length >= batchSize) flush();
    }
  };

  const stdoutText = textSink(LIMITS.maxTextBytes);
  const stderrText = textSink(MAX_STDERR_CHARS);
  const stdout = make ? { write: (b: Uint8Array) => (stdoutText.write(b), make.stdout(b)) } : stdoutText;
  const stderr = make ? { write: (b: Uint8Array) => (stderrText.write(b), make.stderr(b)) } : stderrText;
  const wasi: RunWasiOptions = {
    fs: req.fs,
    args,
    env: req.env ?? {},
    preopens: [{ guest: '.' }],
    policy: req.policy,
    trace: { maxBytes: req.traceLimit, onRecord },
    stdout,
    stderr,
    fuel: interp ? req.fuel : undefined,
    captureStack: interp && req.captureStack === true,
    onAsk: req.onAsk,
    onInstance: req.onInstance,
  };

  const finish = (o: RunOutcome, host: WasiHost): AuditResult => {
    flush();
    const outcome: AuditOutcome =
      o.status === 'exit' ? { status: 'exit', code: o.code }
      : o.status === 'trap' ? { status: 'trap', kind: o.trap.kind, message: o.trap.message }
      : { status: 'out-of-fuel' };
    const out = stdoutText.text();
    const trace = host.trace;
    const result: AuditResult = {
      outcome,
      stdout: out,
      stderr: stderrText.text(),
      trace: trace?.records ?? [],
      traceTotal: trace?.total ?? 0,
      traceDropped: trace?.dropped ?? 0,
      syscallDenials,
      missing,
      envHidden: host.envDecisions.filter((d) => d.verdict !== 'allow').map((d) => ({ name: d.name, rule: d.rule })),
      capDenials: [],
      blocked: [],
      durationMs: 0,
    };
    if (outcome.status === 'exit' && outcome.code === 0) {
      try {
        result.graph = parseGraphText(out);
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        result.graphError = { path: e.path, message: e.detail };
      }
    }
    if (make) result.make = make.result(outcome.status === 'exit' && outcome.code === 0, result.stderr);
    const g = result.graph;
    if (g) {
      const capPolicy = capPolicyFrom(req.policy);
      result.capDenials = denials(g, capPolicy);
      result.blocked = [...blockedDependants(g, capPolicy)].map(([step, blockedBy]) => ({ step, blockedBy }));
    }
    if (req.policy.mode === 'learn') {
      const requests: CapabilityRequest[] = g ? g.steps.flatMap((s) => s.caps.map((c) => ({ ...c, package: s.package }))) : [];
      result.learnedPolicy = parsePolicy({ ...host.policyEngine.learned(), capabilities: learnedCapabilities(requests) });
    }
    result.durationMs = performance.now() - t0;
    return result;
  };
  return { wasm, wasi, finish };
}

export function runAudit(req: AuditRequest): AuditResult {
  const p = prepareAudit(req);
  const run = runWasi(req.engine, p.wasm, p.wasi);
  return p.finish(run.outcome, run.host);
}

/** Did the audit find anything denied (the CLI's exit status 3)? */
export function hasDenials(r: AuditResult): boolean {
  return r.syscallDenials.length > 0 || r.capDenials.length > 0 || (r.make?.denials.length ?? 0) > 0;
}
