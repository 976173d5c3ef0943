// What counts as a denied syscall in the UI is exactly what the audit says (src/audit/denials.ts): the
// policy denied it, or the sandbox refused an escape from the package (rule `sandbox:outside-package`).
// Shared by the worker and the app so every count agrees with `sandbuild audit`.

import { asDenial, denyingDecision } from '../audit/index.ts';
import type { TraceRecord } from '../wasi-vfs/index.ts';

export { ESCAPE_RULE } from '../audit/index.ts';

export function isDeniedRecord(r: TraceRecord): boolean {
  return asDenial(r) !== undefined;
}

/** The rule that denied a record, or undefined when it was not denied. */
export function denyingRule(r: TraceRecord): string | undefined {
  const d = asDenial(r);
  return d ? denyingDecision(d)?.rule : undefined;
}
