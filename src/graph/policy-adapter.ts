// The views take a plain predicate (CapPolicy); this binds it to the project's policy document
// (src/policy: the `capabilities` section, first matching rule wins, decisions name their rule).

import { decideCapability } from '../policy/capabilities.ts';
import type { Policy } from '../policy/schema.ts';
import type { CapPolicy } from './views.ts';

export function capPolicyFrom(policy: Policy): CapPolicy {
  return (cap, step) => {
    const d = decideCapability(policy, { kind: cap.kind, target: cap.target, detail: cap.detail, package: step.package });
    // A graph is judged after the run; anything short of allow counts as a denial.
    return { allowed: d.verdict === 'allow', rule: d.rule };
  };
}
