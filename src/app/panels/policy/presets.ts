// Policies the playground offers. The default is the audit's own default (src/audit/default-policy.json,
// the same as `sandbuild audit` without --policy), so the playground and the CLI agree on every denial:
// the build script may read its own package and nothing else, sees no environment, runs on a fixed clock
// and seeded random (reproducible runs), and of its graph's capability requests only running programs
// built from the package is granted.

// default-policy.ts, not audit/index.ts: the index would pull the whole audit pipeline into the first paint.
import { auditPolicy, learnPolicy } from '../../../audit/default-policy.ts';
import { parsePolicy, type Policy } from '../../../policy/index.ts';

export interface PolicyPreset {
  id: string;
  label: string;
  description: string;
  policy: Policy;
}

export const AUDIT_POLICY: Policy = auditPolicy();

export const PRESETS: PolicyPreset[] = [
  { id: 'audit', label: 'Audit (default)', description: 'read the package only; graph: only run what the package builds', policy: AUDIT_POLICY },
  {
    id: 'permissive',
    label: 'Permissive',
    description: 'allow every file operation, the environment and every capability (the sandbox boundary still holds)',
    policy: parsePolicy({ ...structuredClone(AUDIT_POLICY), default: 'allow', fs: [], env: { allow: ['*'] }, capabilities: { default: 'allow', rules: [] } }),
  },
  {
    // Like Deno's prompts: on the interp engine a step-through session pauses at each question. Host paths
    // ask too (the audit denies them by rule, so a default alone would never ask about $HOME/.ssh).
    id: 'ask',
    label: 'Ask',
    description: 'the audit policy, but host paths and anything no rule covers ask (live prompts in Step through; native: denied)',
    policy: parsePolicy({ ...structuredClone(AUDIT_POLICY), default: 'ask', fs: AUDIT_POLICY.fs.map((r) => (r.id === 'deny-host-paths' ? { ...r, id: 'ask-host-paths', verdict: 'ask' as const, note: 'paths the package does not have at its top (/root/.ssh/id_rsa as the guest names it): ask' } : r)) }),
  },
  { id: 'learn', label: 'Learn', description: 'allow everything and record the smallest policy that allows this run', policy: learnPolicy() },
];
