// A thin stand-in for src/audit's `runAudit` (being written in parallel): run the package's build.wasm
// on an engine over its MemFS, parse the graph it prints, and decide its capability requests. Same
// request/result shape as src/audit, so the worker switches by changing one import.

import { blockedDependants, denials, parseGraphText, GraphError, type CapPolicy, type Denial, type Graph } from '../graph/index.ts';
import type { Engine } from '../interp/api.ts';
import type { Policy } from '../policy/index.ts';
import { isDeniedRecord } from './denied.ts';
import { lookup, runWasi, Trace, type MemFS, type RunOutcome, type TraceRecord } from '../wasi-vfs/index.ts';

export const WASM_PATH = '.sandbuild/build.wasm';

export interface AuditRequest {
  fs: MemFS;
  wasm?: Uint8Array;
  options: Record<string, string>;
  policy: Policy;
  engine: Engine;
  fuel?: number;
  traceLimit?: number;
  onTrace?: (batch: TraceRecord[]) => void;
}

export interface AuditResult {
  outcome: RunOutcome;
  stdout: string;
  stderr: string;
  graph?: Graph;
  graphError?: { path: string; message: string };
  trace: Trace;
  syscallDenials: TraceRecord[];
  capDenials: Denial[];
  blocked: Map<number, number[]>;
  learnedPolicy?: Policy;
  durationMs: number;
}

export class MissingWasmError extends Error {
  override name = 'MissingWasmError';
}

/** The environment offered to the guest; the policy decides what it actually sees. */
export const OFFERED_ENV: Record<string, string> = {
  HOME: '/home/auditor',
  USER: 'auditor',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  SHELL: '/bin/sh',
};

/** Read `.sandbuild/build.wasm` out of the package. */
export function findWasm(fs: MemFS): Uint8Array | undefined {
  try {
    const node = lookup(fs.root, WASM_PATH, true);
    return node.kind === 'file' ? node.data.view().slice() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Until src/audit lands, graph capabilities are judged by a fixed auditing rule: a build may compile
 * and run its own artifacts and write under its prefix; system commands, network, host libraries and
 * paths, and writes outside the prefix are denied.
 */
export const auditCapPolicy: CapPolicy = (cap) => {
  if (cap.kind === 'exec' && cap.detail === 'artifact') return { allowed: true, rule: 'caps.exec-artifact' };
  if (cap.kind === 'custom-make') return { allowed: true, rule: 'caps.custom-make' };
  return { allowed: false, rule: `caps.${cap.kind}` };
};

export function runAudit(req: AuditRequest): AuditResult {
  const started = performance.now();
  const wasm = req.wasm ?? findWasm(req.fs);
  if (!wasm) throw new MissingWasmError(`the package has no ${WASM_PATH}`);
  const dec = { out: new TextDecoder(), err: new TextDecoder() };
  let stdout = '';
  let stderr = '';
  const pending: TraceRecord[] = [];
  const trace = new Trace({
    maxBytes: req.traceLimit,
    onRecord: req.onTrace
      ? (r) => {
          pending.push(r);
          if (pending.length >= 512) req.onTrace!(pending.splice(0));
        }
      : undefined,
  });
  const args = ['build.wasm', ...Object.entries(req.options).map(([k, v]) => `-D${k}=${v}`)];
  const r = runWasi(req.engine, wasm, {
    fs: req.fs,
    args,
    env: OFFERED_ENV,
    policy: req.policy,
    trace,
    fuel: req.fuel,
    stdout: { write: (b) => (stdout += dec.out.decode(b, { stream: true })) },
    stderr: { write: (b) => (stderr += dec.err.decode(b, { stream: true })) },
  });
  if (pending.length > 0) req.onTrace!(pending.splice(0));
  const result: AuditResult = {
    outcome: r.outcome,
    stdout,
    stderr,
    trace,
    syscallDenials: trace.records.filter(isDeniedRecord),
    capDenials: [],
    blocked: new Map(),
    durationMs: 0,
  };
  if (r.outcome.status === 'exit' && r.outcome.code === 0) {
    try {
      const g = parseGraphText(stdout);
      result.graph = g;
      result.capDenials = denials(g, auditCapPolicy);
      result.blocked = blockedDependants(g, auditCapPolicy);
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      result.graphError = { path: e.path, message: e.detail };
    }
  }
  if (req.policy.mode === 'learn') result.learnedPolicy = r.host.policyEngine.learned();
  result.durationMs = performance.now() - started;
  return result;
}
