// An AuditResult reduced to what the app needs (RunSummary): shared by run() and a finished session, so a
// stepped run and a whole run report the same numbers.

import type { AuditResult } from '../audit/index.ts';
import { EMPTY_TRACE_HASH, extendTraceHash, fingerprint } from '../session/fingerprint.ts';
import type { TraceRecord } from '../wasi-vfs/index.ts';
import type { EngineName, RunSummary } from './types.ts';

/** Characters of raw guest stdout sent to the app (the graph JSON, already sent parsed). */
export const STDOUT_SHOWN = 1 << 20;

/** `traceHash`: pass it when already known (a session keeps it rolling), else it is computed from `a.trace`. */
export function summarize(a: AuditResult, engine: EngineName, traceHash = traceHashOf(a.trace)): RunSummary {
  return {
    engine,
    outcome: a.outcome,
    exitCode: a.outcome.status === 'exit' ? a.outcome.code : 1,
    durationMs: a.durationMs,
    syscalls: a.traceTotal,
    traceDropped: a.traceDropped,
    syscallDenials: a.syscallDenials.length,
    capDenials: a.capDenials,
    blocked: a.blocked.map((b) => [b.step, b.blockedBy]),
    stepCount: a.graph?.steps.length ?? 0,
    missing: a.missing,
    envHidden: a.envHidden,
    graphError: a.graphError ?? null,
    learnedPolicy: a.learnedPolicy ?? null,
    traceHash,
  };
}

/** The step-through session's rolling trace hash over a finished run's kept records (same trace, same hash). */
export function traceHashOf(records: readonly TraceRecord[]): string {
  let h = EMPTY_TRACE_HASH;
  for (const r of records) h = extendTraceHash(h, fingerprint(JSON.stringify(r)));
  return h;
}

/** The guest's stdout as shown: at most STDOUT_SHOWN characters, saying how many more there were. */
export function shownStdout(stdout: string): string {
  return stdout.length > STDOUT_SHOWN ? `${stdout.slice(0, STDOUT_SHOWN)}\n… (${stdout.length - STDOUT_SHOWN} more characters not sent)` : stdout;
}
