// A graph summary for the audit report (CLI text, --json and the app's header): how many steps of each
// kind, the top-level steps, the declared options with their values, and the dependency packages.

import { STEP_KINDS, type Graph, type GraphOption, type StepKind } from '../graph/schema.ts';

export interface GraphSummary {
  steps: number;
  /** Non-zero counts only, in STEP_KINDS order. */
  byKind: Partial<Record<StepKind, number>>;
  topLevel: { name: string; description: string; step: number }[];
  options: { name: string; type: string; value: GraphOption['value'] }[];
  /** Dependency packages that own steps ("" = the root package is not listed). */
  packages: string[];
  defaultStep: string | null;
  host: string;
  installPrefix: string;
}

export function summarizeGraph(g: Graph): GraphSummary {
  const counts = new Map<StepKind, number>();
  const packages = new Set<string>();
  for (const s of g.steps) {
    counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
    if (s.package !== '') packages.add(s.package);
  }
  const byKind: Partial<Record<StepKind, number>> = {};
  for (const k of STEP_KINDS) {
    const n = counts.get(k);
    if (n) byKind[k] = n;
  }
  return {
    steps: g.steps.length,
    byKind,
    topLevel: g.top_level_steps.map((t) => ({ name: t.name, description: t.description, step: t.step })),
    options: g.options.map((o) => ({ name: o.name, type: o.type, value: o.value })),
    packages: [...packages].sort(),
    defaultStep: g.default_step === null ? null : g.steps[g.default_step].name,
    host: g.host,
    installPrefix: g.install_prefix,
  };
}
