// Public surface of the build-graph package, shared by the CLI, the worker and the app.
export { GraphSchema, StepSchema, LazyPathSchema, CapabilitySchema, GRAPH_FORMAT_VERSION, LIMITS, STEP_KINDS, CAP_KINDS } from './schema.ts';
export type { Graph, Step, StepOf, StepKind, Capability, CapKind, LazyPath, RunArg, GraphOption } from './schema.ts';
export { parseGraph, parseGraphText, formatPath, findCycle, GraphError } from './parse.ts';
export { dependants, closure, denials, deniedSteps, blockedDependants, capabilitySummary, stepKeys, diffGraphs } from './views.ts';
export type { CapDecision, CapPolicy, Denial, CapSummaryEntry, GraphDiff, StepChange } from './views.ts';
export { capPolicyFrom } from './policy-adapter.ts';
