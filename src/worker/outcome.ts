// Why a finished run gives no usable graph: one wording for the app's single run and the version diff's sides.
// Pure and dependency-free, so the app can import it without pulling the audit pipeline into its bundle.

import type { RunOutcome, WorkerError } from './types.ts';

export interface FinishedRun {
  outcome: RunOutcome;
  graphError?: { path: string; message: string } | null;
  /** Whether the guest printed a graph (any truthy value). */
  graph?: unknown;
}

/** The error for a run that trapped, ran out of fuel, exited non-zero or printed no valid graph; else undefined. */
export function outcomeError(a: FinishedRun, fuel: number | undefined): WorkerError | undefined {
  const o = a.outcome;
  if (o.status === 'trap') return { phase: 'trap', kind: o.kind, message: `the build script trapped: ${o.message}` };
  if (o.status === 'out-of-fuel') return { phase: 'exhaustion', kind: 'out-of-fuel', message: `the build script ran out of fuel${fuel ? ` after ${fuel.toLocaleString('en')} instructions` : ''}` };
  if (o.code !== 0) return { phase: 'trap', kind: 'exit', message: `the build script exited with code ${o.code}` };
  if (a.graphError) return { phase: 'graph', kind: 'invalid-graph', message: `the build script printed an invalid graph at ${a.graphError.path}: ${a.graphError.message}` };
  if (!a.graph) return { phase: 'graph', kind: 'no-graph', message: 'the build script printed no graph' };
  return undefined;
}
