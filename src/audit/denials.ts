// Which trace records an auditor must read. The WASI host records every decision itself, so a record is a
// denial exactly when it carries a decision with verdict `deny`:
//  - the policy denied it: the rule that matched (src/wasi-vfs/context.ts, `decide`), errno `acces`. With
//    the default auditing policy this covers reads of host paths such as `/root/.ssh/id_rsa` (rule
//    `deny-host-paths`: the guest's std/libc sends it as `root/.ssh/id_rsa`, which the package does not have);
//  - it tried to leave the sandbox (an absolute path, `..` past the package root, a symlink leading out):
//    the host refuses it with errno `perm` before any policy is asked and records the decision with the
//    rule `sandbox:outside-package` (src/wasi-vfs/syscalls-path.ts, `locate`).
// Lookups the policy allowed that found nothing (errno `noent`) are not denials, but they show what the
// build logic went looking for, so they are listed too.

import type { TraceDecision, TraceRecord, TraceValue } from '../wasi-vfs/trace.ts';

/** The rule named for sandbox escapes: no policy can allow them. */
export { ESCAPE_RULE } from '../wasi-vfs/context.ts';

/** A path lookup that found nothing (informational, never a denial). */
export interface MissingLookup {
  seq: number;
  fn: string;
  /** As the guest wrote it (relative to its directory fd). */
  path: string;
  /** As the guest names it, absolute from its `/` (when the host recorded a decision for it). */
  guestPath?: string;
}

const str = (v: TraceValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The path(s) a path_* record is about, as the guest wrote them. */
export function recordPath(r: TraceRecord): string | undefined {
  const p = str(r.args.path);
  if (p !== undefined) return p;
  const from = str(r.args.old_path);
  const to = str(r.args.new_path);
  if (from !== undefined && to !== undefined) return `${from} -> ${to}`;
  return from ?? to;
}

/** The deciding (denying) decision of a denial record. */
export function denyingDecision(r: TraceRecord): TraceDecision | undefined {
  return r.decisions?.find((d) => d.verdict === 'deny');
}

/** The record if it is a denial (a policy denial or a refused escape, both recorded by the host), else undefined. */
export function asDenial(r: TraceRecord): TraceRecord | undefined {
  return denyingDecision(r) ? r : undefined;
}

export function asMissing(r: TraceRecord): MissingLookup | undefined {
  if (r.errno !== 'noent' || !r.fn.startsWith('path_')) return undefined;
  const m: MissingLookup = { seq: r.seq, fn: r.fn, path: recordPath(r) ?? '' };
  const g = r.decisions?.find((d) => d.guestPath !== undefined)?.guestPath;
  if (g !== undefined) m.guestPath = g;
  return m;
}
