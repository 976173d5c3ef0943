// Version diff → what the diff view draws and lists. Pure functions of the two graphs, their GraphDiff
// (src/graph/views.ts diffGraphs: steps matched by package/kind/name, ids refer to A for removed steps and
// to B otherwise) and each side's capability denials.
//
// The merged graph holds every step of B plus the steps only A had. Node ids say which graph the step
// comes from (`b7`, `a3`). Edges are matched by their endpoints' step keys, so an edge that only A had (to
// or from a removed step, or a dependency B dropped) is drawn as removed, and one only B has as added.
// Labels stay canvas data, never markup (elements.ts). Cytoscape has no text-decoration, and U+0336
// strike-through renders as loose dashes in the canvas's monospace font, so a removed step is marked by
// "− ", a dashed red border and its red fill (the list beside the graph strikes the name through).

import type { Capability, Denial, Graph, GraphDiff, Step } from '../../../graph/index.ts';
import { stepKeys } from '../../../graph/index.ts';
import { kindGroup, stepLabel, type Element, type ElementData } from '../graph/elements.ts';
import { layeredLayout, type Layout } from '../graph/layout.ts';

export type DiffStatus = 'added' | 'removed' | 'changed' | 'unchanged';
export type DiffSideName = 'a' | 'b';

export interface DiffGraphInput {
  a: Graph;
  b: Graph;
  diff: GraphDiff;
  denialsA: readonly Denial[];
  denialsB: readonly Denial[];
}

export interface DiffNodeData extends ElementData {
  side?: DiffSideName;
  status?: DiffStatus;
}

export interface DiffElement extends Element {
  data: DiffNodeData;
}

export interface DiffElementsResult {
  elements: DiffElement[];
  layout: Layout;
  counts: Record<DiffStatus, number> & { edges: number; edgesAdded: number; edgesRemoved: number; denied: number };
}

export const diffNodeId = (side: DiffSideName, step: number) => `${side}${step}`;

/** Parse a node id back to its side and step (undefined for anything else). */
export function parseDiffNodeId(id: string): { side: DiffSideName; step: number } | undefined {
  const m = /^([ab])(\d+)$/.exec(id);
  return m ? { side: m[1] as DiffSideName, step: Number(m[2]) } : undefined;
}

const MARK: Record<DiffStatus, string> = { added: '+ ', removed: '− ', changed: '~ ', unchanged: '' };

interface MergedNode {
  id: string;
  side: DiffSideName;
  step: Step;
  status: DiffStatus;
}

function mergedNodes(input: DiffGraphInput): { nodes: MergedNode[]; idOfKey: Map<string, string>; ka: string[]; kb: string[] } {
  const { a, b, diff } = input;
  const ka = stepKeys(a);
  const kb = stepKeys(b);
  const added = new Set(diff.added);
  const changed = new Set(diff.changed.map((c) => c.after));
  const nodes: MergedNode[] = [];
  const idOfKey = new Map<string, string>();
  for (const s of b.steps) {
    const id = diffNodeId('b', s.id);
    idOfKey.set(kb[s.id], id);
    nodes.push({ id, side: 'b', step: s, status: added.has(s.id) ? 'added' : changed.has(s.id) ? 'changed' : 'unchanged' });
  }
  for (const i of diff.removed) {
    const id = diffNodeId('a', i);
    idOfKey.set(ka[i], id);
    nodes.push({ id, side: 'a', step: a.steps[i], status: 'removed' });
  }
  return { nodes, idOfKey, ka, kb };
}

/** The merged graph as Cytoscape elements, laid out left to right, with diff status classes. */
export function diffElements(input: DiffGraphInput): DiffElementsResult {
  const { nodes, idOfKey, ka, kb } = mergedNodes(input);
  const deniedA = new Set(input.denialsA.map((d) => d.step));
  const deniedB = new Set(input.denialsB.map((d) => d.step));

  // Edges by key pair: dependency → dependant (the direction the layout draws).
  const edgeKeys = (g: Graph, keys: string[]) => {
    const out = new Set<string>();
    for (const s of g.steps) for (const d of s.deps) out.add(`${keys[d]}\u0000${keys[s.id]}`);
    return out;
  };
  const ea = edgeKeys(input.a, ka);
  const eb = edgeKeys(input.b, kb);
  const edges: { from: string; to: string; status: DiffStatus }[] = [];
  for (const k of eb) {
    const [f, t] = k.split('\u0000');
    edges.push({ from: idOfKey.get(f)!, to: idOfKey.get(t)!, status: ea.has(k) ? 'unchanged' : 'added' });
  }
  for (const k of ea) {
    if (eb.has(k)) continue;
    const [f, t] = k.split('\u0000');
    edges.push({ from: idOfKey.get(f)!, to: idOfKey.get(t)!, status: 'removed' });
  }

  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const layout = layeredLayout({ nodes: nodes.map((_, i) => i), edges: edges.map((e) => [index.get(e.from)!, index.get(e.to)!] as [number, number]) });

  const counts: DiffElementsResult['counts'] = { added: 0, removed: 0, changed: 0, unchanged: 0, edges: 0, edgesAdded: 0, edgesRemoved: 0, denied: 0 };
  const elements: DiffElement[] = [];
  nodes.forEach((n, i) => {
    const denied = n.side === 'a' ? deniedA.has(n.step.id) : deniedB.has(n.step.id);
    const base = stepLabel(n.step);
    const classes = [`k-${kindGroup(n.step.kind)}`, n.status];
    if (denied) {
      classes.push('denied');
      counts.denied++;
    }
    counts[n.status]++;
    elements.push({
      group: 'nodes',
      data: { id: n.id, label: MARK[n.status] + base, kind: n.step.kind, step: n.step.id, side: n.side, status: n.status },
      position: layout.positions.get(i),
      classes: classes.join(' '),
    });
  });
  for (const e of edges) {
    counts.edges++;
    if (e.status === 'added') counts.edgesAdded++;
    if (e.status === 'removed') counts.edgesRemoved++;
    elements.push({ group: 'edges', data: { id: `${e.from}-${e.to}`, source: e.from, target: e.to, status: e.status }, classes: e.status === 'unchanged' ? '' : `${e.status}-edge` });
  }
  return { elements, layout, counts };
}

// Capability changes, per step ----------------------------------------------------------------------

export interface Verdict {
  verdict: 'allow' | 'deny';
  /** The denying rule (the summary does not carry the rule that allowed). */
  rule?: string;
}

export interface CapRow {
  cap: Capability;
  change: 'added' | 'removed';
  /** What each side's policy said; absent on the side that did not request it. */
  a?: Verdict;
  b?: Verdict;
}

export interface StepChangeRow {
  /** The merged graph's node id. */
  node: string;
  side: DiffSideName;
  step: number;
  status: Exclude<DiffStatus, 'unchanged'>;
  name: string;
  package: string;
  kind: string;
  /** For changed steps: which of data, deps, caps differ. */
  changed: ('data' | 'deps' | 'caps')[];
  caps: CapRow[];
}

const capKey = (c: Capability) => `${c.kind}\u0000${c.target}\u0000${c.detail ?? ''}`;

function verdicts(denials: readonly Denial[]): (step: number, cap: Capability) => Verdict {
  const m = new Map(denials.map((d) => [`${d.step}\u0000${capKey(d.cap)}`, d.rule]));
  return (step, cap) => {
    const rule = m.get(`${step}\u0000${capKey(cap)}`);
    return rule === undefined ? { verdict: 'allow' } : { verdict: 'deny', rule };
  };
}

/** Every added, removed and changed step with its capability changes and both sides' verdicts. */
export function stepChanges(input: DiffGraphInput): StepChangeRow[] {
  const { a, b, diff } = input;
  const va = verdicts(input.denialsA);
  const vb = verdicts(input.denialsB);
  const row = (side: DiffSideName, s: Step, status: StepChangeRow['status'], changed: StepChangeRow['changed'], caps: CapRow[]): StepChangeRow => ({
    node: diffNodeId(side, s.id), side, step: s.id, status, name: s.name, package: s.package, kind: s.kind, changed, caps,
  });
  const rows: StepChangeRow[] = [];
  for (const id of diff.added) {
    const s = b.steps[id];
    rows.push(row('b', s, 'added', [], s.caps.map((cap) => ({ cap, change: 'added', b: vb(id, cap) }))));
  }
  for (const id of diff.removed) {
    const s = a.steps[id];
    rows.push(row('a', s, 'removed', [], s.caps.map((cap) => ({ cap, change: 'removed', a: va(id, cap) }))));
  }
  for (const c of diff.changed) {
    const caps: CapRow[] = [
      ...c.capsAdded.map((cap): CapRow => ({ cap, change: 'added', b: vb(c.after, cap) })),
      ...c.capsRemoved.map((cap): CapRow => ({ cap, change: 'removed', a: va(c.before, cap) })),
    ];
    rows.push(row('b', b.steps[c.after], 'changed', c.changed, caps));
  }
  return rows;
}

/** `exec sh [system]` */
export function capText(c: Capability): string {
  return `${c.kind} ${c.target}${c.detail ? ` [${c.detail}]` : ''}`;
}
