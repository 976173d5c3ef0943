// Public surface of the audit pipeline (CLI and browser worker): run a package's graph runner under a
// policy, judge its graph with the same policy, summarise, and compare two versions.
export { runAudit, prepareAudit, hasDenials, runnerArgs, DEFAULT_HOST, DEFAULT_TRACE_BATCH, MAX_LISTED } from './run-audit.ts';
export type { AuditRequest, AuditResult, AuditOutcome, PreparedAudit } from './run-audit.ts';
export { auditPolicy, learnPolicy } from './default-policy.ts';
export { loadPackageArchive, readPackageWasm, isPackageRoot, WASM_PATH } from './package.ts';
export { AuditError } from './errors.ts';
export type { AuditErrorKind } from './errors.ts';
export { asDenial, asMissing, denyingDecision, recordPath, ESCAPE_RULE } from './denials.ts';
export type { MissingLookup } from './denials.ts';
export { MakeAttribution } from './make.ts';
export type { MakeResult, AttributedRecord } from './make.ts';
export { summarizeGraph } from './summary.ts';
export type { GraphSummary } from './summary.ts';
export { diffAudits, diffTraces, syscallKey, syscallLabel, stepName } from './diff.ts';
export type { VersionDiff, TraceDiff, SyscallChange } from './diff.ts';
