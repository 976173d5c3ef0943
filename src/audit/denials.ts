// Which trace records an auditor must read. A syscall is denied in one of two ways:
//  - the policy denied it: the record carries a decision with verdict `deny` and the rule that matched
//    (src/wasi-vfs/context.ts, `decide`), errno `acces`;
//  - it tried to leave the sandbox (an absolute path, `..` past the package root, a symlink leading out):
//    the path resolver refuses it with errno `perm` before any policy is asked (wasi-vfs README, "Errnos
//    chosen"), so the record has no decision. We report it as denied by the rule `sandbox:outside-package`
//    and attach that decision to a copy of the record (the record in the trace is left as the host wrote it).
// Lookups of paths that do not exist (errno `noent`) are not denials, but they show what the build logic
// went looking for, so they are listed (e.g. `home/user/.ssh/id_rsa`: the guest's std/libc sends an
// absolute read of `/home/user/...` relative to the preopen).

import type { TraceDecision, TraceRecord, TraceValue } from '../wasi-vfs/trace.ts';

/** The rule named for sandbox escapes: no policy can allow them. */
export const ESCAPE_RULE = 'sandbox:outside-package';

/** A path lookup that found nothing (informational, never a denial). */
export interface MissingLookup {
  seq: number;
  fn: string;
  path: string;
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

const has = (v: TraceValue | undefined, name: string): boolean => Array.isArray(v) && v.includes(name);

/** The policy operation an escaping call would have needed (same vocabulary as fs rules). */
function escapeOp(r: TraceRecord): string {
  switch (r.fn) {
    case 'path_open':
      if (has(r.args.oflags, 'creat')) return 'create';
      if (has(r.args.oflags, 'trunc') || has(r.args.rights, 'fd_write')) return 'write';
      return 'read';
    case 'path_create_directory':
    case 'path_symlink':
    case 'path_link':
      return 'create';
    case 'path_unlink_file':
    case 'path_remove_directory':
    case 'path_rename':
      return 'delete';
    case 'path_filestat_set_times':
      return 'write';
    default:
      return 'read';
  }
}

/** The record if it is a denial (an escape gets a copy with the escape decision added), else undefined. */
export function asDenial(r: TraceRecord): TraceRecord | undefined {
  if (r.decisions?.some((d) => d.verdict === 'deny')) return r;
  if (r.errno === 'perm' && r.fn.startsWith('path_')) {
    const d: TraceDecision = { op: escapeOp(r), path: recordPath(r) ?? '', verdict: 'deny', rule: ESCAPE_RULE };
    return { ...r, decisions: [...(r.decisions ?? []), d] };
  }
  return undefined;
}

export function asMissing(r: TraceRecord): MissingLookup | undefined {
  if (r.errno !== 'noent' || !r.fn.startsWith('path_')) return undefined;
  return { seq: r.seq, fn: r.fn, path: recordPath(r) ?? '' };
}

/** The deciding (denying) decision of a denial record. */
export function denyingDecision(r: TraceRecord): TraceDecision | undefined {
  return r.decisions?.find((d) => d.verdict === 'deny');
}
