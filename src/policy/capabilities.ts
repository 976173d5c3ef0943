// Decisions on the build graph's capability requests, from the same policy document as the syscall rules
// (schema.ts, `capabilities`). Like fs rules: the first rule whose kind, target glob, detail and package all
// match decides; no match gives `capabilities.default`, or the policy's own `default` when that is absent
// (an `ask` default becomes `askFallback`: a graph is judged after the run, so there is nothing to pause).
// Every decision names its rule: the rule's `id`, else `capabilities.rules[i]`, else `capabilities.default`
// or `default`. In learn mode everything is allowed (rule `learn`), and learnedCapabilities() gives the
// smallest section allowing what was requested.

import type { CapKind } from '../graph/schema.ts';
import type { Decision } from './evaluate.ts';
import { globMatch, namePatternMatch } from './glob.ts';
import type { Capabilities, Policy } from './schema.ts';

/** One capability request of one step (structurally the graph's Capability plus the step's package). */
export interface CapabilityRequest {
  kind: CapKind;
  target: string;
  detail?: string;
  /** The requesting step's package: "" for the root package, else the dependency path. */
  package: string;
}

export function decideCapability(policy: Policy, req: CapabilityRequest): Decision {
  if (policy.mode === 'learn') return { verdict: 'allow', rule: 'learn' };
  const section = policy.capabilities;
  const rules = section?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (!r.kinds.includes(req.kind)) continue;
    if (!r.targets.some((g) => globMatch(g, req.target))) continue;
    if (r.details && !r.details.includes(req.detail ?? '')) continue;
    if (r.packages && !r.packages.some((p) => namePatternMatch(p, req.package))) continue;
    return { verdict: r.verdict, rule: r.id ?? `capabilities.rules[${i}]` };
  }
  if (section?.default) return { verdict: section.default, rule: 'capabilities.default' };
  if (policy.default === 'ask') return { verdict: policy.askFallback, rule: 'default(askFallback)' };
  return { verdict: policy.default, rule: 'default' };
}

/**
 * The smallest `capabilities` section that allows exactly these requests: default deny, one allow rule per
 * (kind, detail) listing the targets seen (sorted). The detail is kept so that allowing the built artifact
 * `hello` does not also allow a system command named `hello`. Glob braces in a target would be read as
 * alternatives, so they become `?` (which matches the brace itself); such a rule is one character wider.
 */
export function learnedCapabilities(reqs: readonly CapabilityRequest[]): Capabilities {
  const groups = new Map<string, { kind: CapKind; detail?: string; targets: Set<string> }>();
  for (const r of reqs) {
    const key = `${r.kind}\u0000${r.detail ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: r.kind, detail: r.detail, targets: new Set() }));
    g.targets.add(r.target.replace(/[{}]/g, '?'));
  }
  const rules = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({
      id: g.detail === undefined ? `learned-${g.kind}` : `learned-${g.kind}-${g.detail.replace(/[^A-Za-z0-9]+/g, '-')}`,
      kinds: [g.kind],
      targets: [...g.targets].sort(),
      ...(g.detail === undefined ? {} : { details: [g.detail] }),
      verdict: 'allow' as const,
    }));
  return { default: 'deny', rules };
}
