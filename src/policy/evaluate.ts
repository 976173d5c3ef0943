// Policy decisions. Every decision names the rule that made it: a rule's `id`, else `fs[i]` / `env.allow[i]`,
// else "default". In learn mode every request is allowed (rule "learn") and remembered, and `learned()`
// gives the smallest policy that would have allowed the same run: one rule per op listing exactly the paths
// used (exact paths are the least privilege; widening them to globs is a human decision).

import { globMatch, namePatternMatch } from './glob.ts';
import { parsePolicy, type FsOp, type Policy, type Verdict } from './schema.ts';

/**
 * Where a path is in the guest's view: `inside` the package (its first component is an entry of the package
 * root), or `outside` (the guest named a top-level thing the package does not have: under a root preopen,
 * an absolute host path such as `/root/.ssh/id_rsa`). The WASI host knows; see src/policy/README.md.
 */
export type PathWhere = 'inside' | 'outside';

export interface Decision {
  verdict: Verdict;
  rule: string;
}

export class PolicyEngine {
  /** Learn mode: paths used, by op and by where they are (outside paths get rules of their own). */
  private readonly used = new Map<`${FsOp}:${PathWhere}`, Set<string>>();
  private readonly envSeen = new Set<string>();

  constructor(readonly policy: Policy) {}

  get learning(): boolean {
    return this.policy.mode === 'learn';
  }

  /**
   * Decide a filesystem operation on `path` (relative to the package root; the root itself is '.').
   * `where` classifies the path for rules with a `where` condition; without it every path is `inside`.
   */
  fs(op: FsOp, path: string, where?: () => PathWhere): Decision {
    if (this.learning) {
      const key = `${op}:${where ? where() : 'inside'}` as const;
      let s = this.used.get(key);
      if (!s) this.used.set(key, (s = new Set()));
      s.add(path);
      return { verdict: 'allow', rule: 'learn' };
    }
    const rules = this.policy.fs;
    let w: PathWhere | undefined;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (!r.ops.includes(op) || !r.paths.some((g) => globMatch(g, path))) continue;
      if (r.where !== undefined && r.where !== (w ??= where ? where() : 'inside')) continue;
      return { verdict: r.verdict, rule: r.id ?? `fs[${i}]` };
    }
    return { verdict: this.policy.default, rule: 'default' };
  }

  /** Is environment variable `name` visible? Hidden variables are simply absent from environ_get. */
  env(name: string): Decision {
    if (this.learning) {
      this.envSeen.add(name);
      return { verdict: 'allow', rule: 'learn' };
    }
    const pats = this.policy.env.allow;
    for (let i = 0; i < pats.length; i++) if (namePatternMatch(pats[i], name)) return { verdict: 'allow', rule: `env.allow[${i}]` };
    return { verdict: 'deny', rule: 'env.default' };
  }

  /**
   * The minimal enforce-mode policy for what was used in learn mode. The environment cannot be narrowed by
   * observation (environ_get hands over the whole block), so it lists every variable that was offered.
   */
  learned(): Policy {
    // Paths outside the package (host paths in the guest's view, e.g. /root/.ssh/id_rsa looked up and not
    // found) get a rule of their own with `where: outside`, so a reviewer sees them apart from the package's.
    const fs = [...this.used.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, paths]) => {
        const [op, where] = key.split(':') as [FsOp, PathWhere];
        const base = { ops: [op], paths: [...paths].sort(), verdict: 'allow' as const };
        return where === 'inside' ? { id: `learned-${op}`, ...base } : { id: `learned-${op}-outside`, ...base, where };
      });
    return parsePolicy({
      version: 1,
      mode: 'enforce',
      default: 'deny',
      fs,
      env: { allow: [...this.envSeen].sort() },
      clock: this.policy.clock,
      random: this.policy.random,
      askFallback: this.policy.askFallback,
    });
  }
}
