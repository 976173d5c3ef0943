// Pure views of a parsed graph (DESIGN.md, "Build graph"): reverse edges, what a policy denies, what
// that blocks, a capability summary, and a diff between two versions. All are functions of their
// inputs, loop-free on any graph parseGraph accepted, and never mutate it.

import type { Capability, CapKind, Graph, Step } from './schema.ts';

/** A policy decision about one capability request. `rule` names what decided it (shown to the user). */
export interface CapDecision {
  allowed: boolean;
  rule: string;
}
/** The policy as seen by the views. The WASI policy (src/policy) can be adapted to this shape. */
export type CapPolicy = (cap: Capability, step: Step) => CapDecision;

/** dependants[id] = steps that list `id` in their deps, ascending. */
export function dependants(g: Graph): number[][] {
  const out: number[][] = g.steps.map(() => []);
  for (const s of g.steps) for (const d of new Set(s.deps)) out[d].push(s.id);
  return out;
}

/** Every step `from` (inclusive) transitively depends on, ascending. */
export function closure(g: Graph, from: number): number[] {
  const seen = new Set<number>([from]);
  const todo = [from];
  while (todo.length > 0) {
    for (const d of g.steps[todo.pop()!].deps) {
      if (!seen.has(d)) {
        seen.add(d);
        todo.push(d);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

export interface Denial {
  step: number;
  cap: Capability;
  rule: string;
}

/** Every capability request the policy denies, in step order. */
export function denials(g: Graph, policy: CapPolicy): Denial[] {
  const out: Denial[] = [];
  for (const s of g.steps) {
    for (const cap of s.caps) {
      const d = policy(cap, s);
      if (!d.allowed) out.push({ step: s.id, cap, rule: d.rule });
    }
  }
  return out;
}

/** Ids of steps with at least one denied capability. */
export function deniedSteps(g: Graph, policy: CapPolicy): number[] {
  return [...new Set(denials(g, policy).map((d) => d.step))];
}

/**
 * Steps that cannot be made because something they depend on (transitively) is denied, mapped to the
 * denied steps that block them. Denied steps themselves are not listed unless a dependency blocks them too.
 */
export function blockedDependants(g: Graph, policy: CapPolicy): Map<number, number[]> {
  const rev = dependants(g);
  const blockers = new Map<number, Set<number>>();
  for (const denied of deniedSteps(g, policy)) {
    const seen = new Set<number>();
    const todo = [...rev[denied]];
    while (todo.length > 0) {
      const id = todo.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      let set = blockers.get(id);
      if (!set) blockers.set(id, (set = new Set()));
      set.add(denied);
      todo.push(...rev[id]);
    }
  }
  return new Map([...blockers].sort((a, b) => a[0] - b[0]).map(([id, s]) => [id, [...s].sort((a, b) => a - b)]));
}

export interface CapSummaryEntry {
  kind: CapKind;
  target: string;
  /** Steps that request it, ascending. */
  steps: number[];
}

/** One entry per distinct (kind, target), sorted by kind then target. */
export function capabilitySummary(g: Graph): CapSummaryEntry[] {
  const map = new Map<string, CapSummaryEntry>();
  for (const s of g.steps) {
    for (const c of s.caps) {
      const key = `${c.kind}\u0000${c.target}`;
      let e = map.get(key);
      if (!e) map.set(key, (e = { kind: c.kind, target: c.target, steps: [] }));
      if (!e.steps.includes(s.id)) e.steps.push(s.id);
    }
  }
  return [...map.values()].sort((a, b) => (a.kind === b.kind ? cmp(a.target, b.target) : cmp(a.kind, b.kind)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Diff --------------------------------------------------------------------------------------------

/**
 * A step's identity across versions: ids are traversal order and shift when a step is inserted, so
 * steps are matched by package, kind and name (and the occurrence number among equal triples).
 */
export function stepKeys(g: Graph): string[] {
  const seen = new Map<string, number>();
  return g.steps.map((s) => {
    const base = `${s.package}|${s.kind}|${s.name}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}#${n + 1}`;
  });
}

export interface StepChange {
  key: string;
  before: number;
  after: number;
  /** Which parts differ: any of data, deps, caps. */
  changed: ('data' | 'deps' | 'caps')[];
  capsAdded: Capability[];
  capsRemoved: Capability[];
}

export interface GraphDiff {
  added: number[];
  removed: number[];
  changed: StepChange[];
  /** New capability requests anywhere in B (added steps included): the part an auditor must read. */
  capsAdded: { step: number; cap: Capability }[];
  optionsAdded: string[];
  optionsRemoved: string[];
  topLevelAdded: string[];
  topLevelRemoved: string[];
}

const capKey = (c: Capability) => `${c.kind}\u0000${c.target}\u0000${c.detail ?? ''}`;

/** Differences from graph A to graph B. Step ids in the result refer to A (removed) or B (added). */
export function diffGraphs(a: Graph, b: Graph): GraphDiff {
  const ka = stepKeys(a);
  const kb = stepKeys(b);
  const ia = new Map(ka.map((k, i) => [k, i]));
  const ib = new Map(kb.map((k, i) => [k, i]));
  // Deps and data compared through keys, since the ids inside them shift too.
  const depKeys = (keys: string[], s: Step) => s.deps.map((d) => keys[d]).sort();
  const dataText = (keys: string[], s: Step) =>
    JSON.stringify(s.data, (k, val) => (typeof val === 'number' && (k === 'artifact' || k === 'generated_by') ? keys[val] : val));

  const diff: GraphDiff = {
    added: [], removed: [], changed: [], capsAdded: [],
    optionsAdded: [], optionsRemoved: [], topLevelAdded: [], topLevelRemoved: [],
  };
  ka.forEach((k, i) => {
    if (!ib.has(k)) diff.removed.push(i);
  });
  kb.forEach((k, j) => {
    const sb = b.steps[j];
    const i = ia.get(k);
    if (i === undefined) {
      diff.added.push(j);
      for (const cap of sb.caps) diff.capsAdded.push({ step: j, cap });
      return;
    }
    const sa = a.steps[i];
    const changed: StepChange['changed'] = [];
    if (dataText(ka, sa) !== dataText(kb, sb)) changed.push('data');
    if (JSON.stringify(depKeys(ka, sa)) !== JSON.stringify(depKeys(kb, sb))) changed.push('deps');
    const capsA = new Set(sa.caps.map(capKey));
    const capsB = new Set(sb.caps.map(capKey));
    const capsAdded = sb.caps.filter((c) => !capsA.has(capKey(c)));
    const capsRemoved = sa.caps.filter((c) => !capsB.has(capKey(c)));
    if (capsAdded.length > 0 || capsRemoved.length > 0) changed.push('caps');
    for (const cap of capsAdded) diff.capsAdded.push({ step: j, cap });
    if (changed.length > 0) diff.changed.push({ key: k, before: i, after: j, changed, capsAdded, capsRemoved });
  });
  const names = (list: { name: string }[]) => new Set(list.map((o) => o.name));
  const oa = names(a.options);
  const ob = names(b.options);
  diff.optionsAdded = [...ob].filter((n) => !oa.has(n));
  diff.optionsRemoved = [...oa].filter((n) => !ob.has(n));
  const ta = names(a.top_level_steps);
  const tb = names(b.top_level_steps);
  diff.topLevelAdded = [...tb].filter((n) => !ta.has(n));
  diff.topLevelRemoved = [...ta].filter((n) => !tb.has(n));
  return diff;
}
