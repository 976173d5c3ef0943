// What counts as a denied syscall in the UI: the policy said deny (errno `acces`, with the rule in
// `decisions`), or the sandbox refused an escape from the package (an absolute path or `..` past the
// preopen: errno `perm`, no rule, as wasi-filesystem specifies). Both are things the build script tried
// and was not allowed; an auditor wants both. Shared by the worker and the app so counts agree.

import type { TraceRecord } from '../wasi-vfs/index.ts';

export const ESCAPE_RULE = 'sandbox: outside the package';

export function isDeniedRecord(r: TraceRecord): boolean {
  return r.errno === 'perm' || (r.decisions?.some((d) => d.verdict === 'deny') ?? false);
}

/** The rule that denied a record: the policy rule, or the sandbox boundary for escapes. */
export function denyingRule(r: TraceRecord): string | undefined {
  const d = r.decisions?.find((x) => x.verdict === 'deny');
  if (d) return d.rule;
  return r.errno === 'perm' ? ESCAPE_RULE : undefined;
}
