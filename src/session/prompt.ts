// Live permission prompts (issue #6, like Deno's): the question a policy "ask" puts to the user, and the
// rule an "allow always" answer adds to the policy being edited.

import { parsePolicy, type FsOp, type FsRule, type Policy } from '../policy/schema.ts';

export type Answer = 'once' | 'always' | 'deny';

export interface AskQuestion {
  /** seq of the trace record that asked (its errno is `suspended`). */
  seq: number;
  fn: string;
  op: FsOp;
  /** Package-relative path the policy was asked about. */
  path: string;
  /** The rule that said "ask" (`default` when none matched). */
  rule: string;
  /** Which package's build.zig asked, when attribution knows ('' is the root package). */
  package?: string;
  /** file:line of the asking frame, when DWARF line info is present. */
  where?: string;
  /** `path` as the user thinks of it: `$HOME/.ssh/id_rsa` when it is under the offered HOME. */
  display: string;
  /** One sentence for the prompt. */
  text: string;
}

const VERBS: Record<FsOp, string> = { read: 'read', write: 'write to', create: 'create', delete: 'delete' };

export function questionText(q: Omit<AskQuestion, 'text' | 'display'> & { display?: string }): string {
  const who = q.package === undefined ? 'The build logic' : q.package === '' ? "The root package's build.zig" : `Package ${JSON.stringify(q.package)}'s build.zig`;
  const at = q.where ? ` (${q.where})` : '';
  return `${who}${at} wants to ${VERBS[q.op]} ${q.display ?? q.path} (${q.fn}; rule ${q.rule} says ask). Allow once, allow always, or deny?`;
}

/**
 * A policy path shown relative to $HOME when it lies under the HOME the guest was offered. The guest's
 * libc sends `/home/u/.ssh/x` as the package-relative `home/u/.ssh/x` (see src/audit README), so the
 * offered HOME is compared without its leading slash.
 */
export function displayPath(path: string, env: Record<string, string> | undefined): string {
  const home = env?.HOME?.replace(/^\/+/, '').replace(/\/+$/, '');
  if (!home) return path;
  if (path === home) return '$HOME';
  return path.startsWith(`${home}/`) ? `$HOME/${path.slice(home.length + 1)}` : path;
}

/**
 * A glob matching exactly `path`, or as little more as the glob syntax allows: policy globs have no escape
 * character, so `*`, `?` and `{` in a name become `?` (one character, which includes themselves).
 */
export function exactGlob(path: string): string {
  return path.replace(/[*?{]/g, '?');
}

/**
 * The policy with an allow rule for (op, path) added first (first match wins, and the asking rule matched
 * this path, so the new rule changes this one decision only). An identical rule already there is kept.
 */
export function withAllowRule(policy: Policy, op: FsOp, path: string): Policy {
  const glob = exactGlob(path);
  if (policy.fs.some((r) => r.verdict === 'allow' && r.ops.length === 1 && r.ops[0] === op && r.paths.length === 1 && r.paths[0] === glob)) return policy;
  const taken = new Set(policy.fs.map((r) => r.id));
  let n = 1;
  while (taken.has(`asked-${op}-${n}`)) n++;
  const rule: FsRule = { id: `asked-${op}-${n}`, ops: [op], paths: [glob], verdict: 'allow', note: 'allowed always at a prompt' };
  return parsePolicy({ ...policy, fs: [rule, ...policy.fs] });
}
