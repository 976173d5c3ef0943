// Public surface of the policy package (used by the WASI host, the worker, the app and the CLI).
export { PolicySchema, FsRuleSchema, parsePolicy, parsePolicyText, permissivePolicy, deterministicPolicy, PolicyError, FS_OPS } from './schema.ts';
export type { Policy, PolicyInput, FsRule, FsOp, Verdict } from './schema.ts';
export { PolicyEngine } from './evaluate.ts';
export type { Decision, PathWhere } from './evaluate.ts';
export { globMatch, globToRegExp, namePatternMatch } from './glob.ts';
export { CapabilityRuleSchema, CapabilitiesSchema } from './schema.ts';
export type { CapabilityRule, Capabilities } from './schema.ts';
export { decideCapability, learnedCapabilities } from './capabilities.ts';
export type { CapabilityRequest } from './capabilities.ts';
