// The capability policy as JSON data, validated with valibot. Shared by the WASI host, the worker, the app's
// policy editor and the CLI. Example:
//   { "version": 1, "mode": "enforce", "default": "deny",
//     "fs": [ { "id": "sources", "ops": ["read"], "paths": ["**"], "verdict": "allow" },
//             { "ops": ["create", "write", "delete"], "paths": ["zig-out/**", ".zig-cache/**"], "verdict": "allow" } ],
//     "env": { "allow": ["PATH", "ZIG_*"] },
//     "clock": { "mode": "fixed", "epochNs": "1700000000000000000", "stepNs": "1000000" },
//     "random": { "mode": "seeded", "seed": 1 } }
// Rules are checked in order and the first whose ops and paths match decides ("first match wins", as in a
// firewall, so a narrow deny can sit before a broad allow). No match → `default`, reported as rule "default".

import * as v from 'valibot';
import { CAP_KINDS } from '../graph/schema.ts';

export const FS_OPS = ['read', 'write', 'create', 'delete'] as const;
export type FsOp = (typeof FS_OPS)[number];
export type Verdict = 'allow' | 'deny' | 'ask';

const VerdictSchema = v.picklist(['allow', 'deny', 'ask']);
const NsString = v.pipe(v.string(), v.regex(/^\d{1,20}$/, 'a non-negative integer in a string (nanoseconds)'));

export const FsRuleSchema = v.object({
  id: v.optional(v.pipe(v.string(), v.minLength(1))),
  ops: v.pipe(v.array(v.picklist(FS_OPS)), v.minLength(1)),
  paths: v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
  /**
   * Match only paths inside the package (first component is an entry of the package root) or outside it
   * (anything else: in the guest's view an absolute host path like /root/.ssh/id_rsa). Absent: both.
   */
  where: v.optional(v.picklist(['inside', 'outside'])),
  verdict: VerdictSchema,
  note: v.optional(v.string()),
});

export const ClockSchema = v.variant('mode', [
  v.object({ mode: v.literal('real') }),
  v.object({
    mode: v.literal('fixed'),
    /** Realtime clock start, ns since the Unix epoch. */
    epochNs: v.optional(NsString, '1700000000000000000'),
    /** How far both clocks advance on every read, so time still moves forward deterministically. */
    stepNs: v.optional(NsString, '1000'),
  }),
]);

export const RandomSchema = v.variant('mode', [
  v.object({ mode: v.literal('real') }),
  v.object({ mode: v.literal('seeded'), seed: v.pipe(v.number(), v.integer()) }),
]);

/**
 * A rule about the build graph's capability requests (what making a step natively would need: exec of
 * argv[0], network, host libraries, pkg-config, host paths, writes outside the install prefix, custom
 * make() code). `targets` are globs in the fs-rule syntax (`*` stays inside one '/'-separated component,
 * `**` crosses them), so `sh`, `/usr/bin/*` and `https://cdn.example.org/**` all work. Evaluation:
 * capabilities.ts.
 */
export const CapabilityRuleSchema = v.object({
  id: v.optional(v.pipe(v.string(), v.minLength(1))),
  kinds: v.pipe(v.array(v.picklist(CAP_KINDS)), v.minLength(1)),
  targets: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)), ['**']),
  /** Match the request's detail too (e.g. exec `artifact` vs `system`); absent = any detail. */
  details: v.optional(v.array(v.string())),
  /** Dependency packages the rule is about ("" = the root package; `*` patterns); absent = all. */
  packages: v.optional(v.array(v.string())),
  verdict: v.picklist(['allow', 'deny']),
  note: v.optional(v.string()),
});

export const CapabilitiesSchema = v.object({
  /** No rule matched. Absent: the policy's `default` (an `ask` default becomes `askFallback`). */
  default: v.optional(v.picklist(['allow', 'deny'])),
  rules: v.optional(v.array(CapabilityRuleSchema), []),
});

export const PolicySchema = v.object({
  version: v.literal(1),
  /** enforce: rules decide. learn: everything is allowed and the minimal policy is recorded. */
  mode: v.optional(v.picklist(['enforce', 'learn']), 'enforce'),
  default: v.optional(VerdictSchema, 'deny'),
  fs: v.optional(v.array(FsRuleSchema), []),
  env: v.optional(v.object({ allow: v.optional(v.array(v.string()), []) }), { allow: [] }),
  clock: v.optional(ClockSchema, { mode: 'real' }),
  random: v.optional(RandomSchema, { mode: 'real' }),
  /** What an `ask` verdict becomes where the engine cannot pause (native): allow or deny. */
  askFallback: v.optional(v.picklist(['allow', 'deny']), 'deny'),
  /** Decisions on the build graph's capability requests (optional; absent = the policy default). */
  capabilities: v.optional(CapabilitiesSchema),
});

export type Policy = v.InferOutput<typeof PolicySchema>;
export type PolicyInput = v.InferInput<typeof PolicySchema>;
export type FsRule = v.InferOutput<typeof FsRuleSchema>;
export type CapabilityRule = v.InferOutput<typeof CapabilityRuleSchema>;
export type Capabilities = v.InferOutput<typeof CapabilitiesSchema>;

export class PolicyError extends Error {
  constructor(
    readonly issues: string[],
  ) {
    super(`invalid policy: ${issues.join('; ')}`);
    this.name = 'PolicyError';
  }
}

/** Validate untrusted JSON (already parsed) into a Policy with defaults filled in. Throws PolicyError. */
export function parsePolicy(data: unknown): Policy {
  const r = v.safeParse(PolicySchema, data);
  if (!r.success) {
    throw new PolicyError(r.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`));
  }
  return r.output;
}

/** Parse policy JSON text. Throws PolicyError (also for malformed JSON). */
export function parsePolicyText(text: string): Policy {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PolicyError([`not JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return parsePolicy(data);
}

/** Everything allowed, real clock and random: what a plain `sandbuild run` uses without --policy. */
export function permissivePolicy(): Policy {
  return parsePolicy({ version: 1, default: 'allow', env: { allow: ['*'] } });
}

/** Deterministic and permissive: fixed clock, seeded random. */
export function deterministicPolicy(seed = 0): Policy {
  return parsePolicy({ version: 1, default: 'allow', env: { allow: ['*'] }, clock: { mode: 'fixed' }, random: { mode: 'seeded', seed } });
}
