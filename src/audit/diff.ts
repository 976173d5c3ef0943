// Version diff (issue 6, item 8): what changed from package version A to version B under the same options
// and policy. Graph changes come from diffGraphs (steps matched by package/kind/name, not by id); syscalls
// are compared by a normalised key, since seq numbers, fd numbers, sizes and offsets shift whenever
// anything before them changes. The key is the function, its decoded non-numeric arguments (paths, flag
// and right names; an fd becomes the path it was opened for), the errno, and the decisions' verdicts and
// rules. Syscalls are compared as sets: "new in B" means B made a call with a key A never made. (A count
// would flag every extra 4 KiB stdout write of a larger graph.)

import { diffGraphs, type GraphDiff } from '../graph/views.ts';
import type { Capability, Graph } from '../graph/schema.ts';
import type { TraceRecord, TraceValue } from '../wasi-vfs/trace.ts';
import { asDenial, recordPath } from './denials.ts';
import { hasDenials, type AuditResult } from './run-audit.ts';

function normaliseValue(v: TraceValue): TraceValue | undefined {
  if (typeof v === 'number') return undefined;
  if (Array.isArray(v)) return v.map((x) => normaliseValue(x) ?? null);
  if (v !== null && typeof v === 'object') {
    // An fd argument is recorded as { fd, path }: keep the path only.
    if ('fd' in v && typeof v.path === 'string') return v.path;
    const out: Record<string, TraceValue> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normaliseValue(v[k]);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  return v;
}

/** The identity of a syscall across two runs (see the file comment). */
export function syscallKey(r: TraceRecord): string {
  const args: Record<string, TraceValue> = {};
  for (const k of Object.keys(r.args).sort()) {
    const n = normaliseValue(r.args[k]);
    if (n !== undefined) args[k] = n;
  }
  const decisions = (r.decisions ?? []).map((d) => `${d.op}:${d.path}:${d.verdict}:${d.rule}`);
  return `${r.fn} ${JSON.stringify(args)} -> ${r.errno}${decisions.length ? ` [${decisions.join(', ')}]` : ''}`;
}

/** A short human form: `path_open ../.env [creat,trunc] -> perm` (the key stays the identity). */
export function syscallLabel(r: TraceRecord): string {
  const path = recordPath(r);
  const flags = Array.isArray(r.args.oflags) && r.args.oflags.length > 0 ? ` [${r.args.oflags.join(',')}]` : '';
  const fd = r.args.fd;
  const on = path === undefined && fd !== null && typeof fd === 'object' && !Array.isArray(fd) && typeof fd.path === 'string' ? ` ${fd.path}` : '';
  return `${r.fn}${path !== undefined ? ` ${path}` : on}${flags} -> ${r.errno}`;
}

export interface SyscallChange {
  key: string;
  /** syscallLabel of the record. */
  label: string;
  /** The first record with this key in the run that has it. */
  record: TraceRecord;
  /** How often the key occurs in A and in B. */
  countA: number;
  countB: number;
}

export interface TraceDiff {
  /** Keys in B that A never made, in B's order. */
  added: SyscallChange[];
  /** Keys in A that B never made, in A's order. */
  removed: SyscallChange[];
}

function index(records: readonly TraceRecord[]): Map<string, { record: TraceRecord; count: number }> {
  const m = new Map<string, { record: TraceRecord; count: number }>();
  for (const r of records) {
    const k = syscallKey(r);
    const e = m.get(k);
    if (e) e.count++;
    else m.set(k, { record: r, count: 1 });
  }
  return m;
}

export function diffTraces(a: readonly TraceRecord[], b: readonly TraceRecord[]): TraceDiff {
  const ia = index(a);
  const ib = index(b);
  const added: SyscallChange[] = [];
  const removed: SyscallChange[] = [];
  for (const [key, e] of ib) if (!ia.has(key)) added.push({ key, label: syscallLabel(e.record), record: e.record, countA: 0, countB: e.count });
  for (const [key, e] of ia) if (!ib.has(key)) removed.push({ key, label: syscallLabel(e.record), record: e.record, countA: e.count, countB: 0 });
  return { added, removed };
}

export interface VersionDiff {
  graph?: GraphDiff;
  /** Why there is no graph diff (a side without a graph). */
  graphMissing?: string;
  syscalls: TraceDiff;
  /** Capability requests new in B that B's policy denies (the part that changes an audit's verdict). */
  capsAddedDenied: { step: number; cap: Capability; rule: string }[];
  /** Syscalls new in B that were denied. */
  syscallDenialsAdded: SyscallChange[];
  /** Either trace was cut by its size cap, so the syscall comparison may miss calls. */
  traceTruncated: boolean;
  /** Did B get worse: new denied capabilities or new denied syscalls (the CLI's exit status 3)? */
  regressed: boolean;
  /** B has denials at all. */
  deniedB: boolean;
}

function whyNoGraph(r: AuditResult, label: string): string | undefined {
  if (r.graph) return undefined;
  if (r.graphError) return `${label}: invalid graph at ${r.graphError.path}: ${r.graphError.message}`;
  const o = r.outcome;
  return `${label}: the build logic ${o.status === 'exit' ? `exited with status ${o.code}` : o.status === 'trap' ? `trapped (${o.message})` : 'ran out of fuel'}`;
}

/** Compare two audits of two versions, run with the same options and policy. */
export function diffAudits(a: AuditResult, b: AuditResult): VersionDiff {
  const syscalls = diffTraces(a.trace, b.trace);
  const missing = whyNoGraph(a, 'old') ?? whyNoGraph(b, 'new');
  const graph = a.graph && b.graph ? diffGraphs(a.graph, b.graph) : undefined;
  const deniedKey = (step: number, cap: Capability) => `${step}\u0000${cap.kind}\u0000${cap.target}\u0000${cap.detail ?? ''}`;
  const denied = new Map(b.capDenials.map((d) => [deniedKey(d.step, d.cap), d.rule]));
  const capsAddedDenied = (graph?.capsAdded ?? []).flatMap(({ step, cap }) => {
    const rule = denied.get(deniedKey(step, cap));
    return rule === undefined ? [] : [{ step, cap, rule }];
  });
  const syscallDenialsAdded = syscalls.added.flatMap((c) => {
    const record = asDenial(c.record);
    return record ? [{ ...c, record }] : [];
  });
  return {
    graph,
    graphMissing: missing,
    syscalls,
    capsAddedDenied,
    syscallDenialsAdded,
    traceTruncated: a.traceDropped > 0 || b.traceDropped > 0,
    regressed: capsAddedDenied.length > 0 || syscallDenialsAdded.length > 0,
    deniedB: hasDenials(b),
  };
}

/** Step name for messages, from the graph the id refers to. */
export function stepName(g: Graph | undefined, id: number): string {
  return g?.steps[id]?.name ?? `#${id}`;
}
