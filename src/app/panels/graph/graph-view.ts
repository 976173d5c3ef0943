// Which steps the DAG shows, as pure functions of the graph. Small graphs are shown whole. Big ones start
// collapsed, as Nx does: the top-level steps and their direct dependencies; a step with hidden
// dependencies can be expanded, and focusing a step brings in its ancestors and descendants.

import { closure, dependants, type Graph, type Step } from '../../../graph/index.ts';

/** Graphs up to this many steps are drawn whole on load. */
export const SHOW_ALL_BELOW = 400;

export function initialVisible(g: Graph, showAllBelow = SHOW_ALL_BELOW): Set<number> {
  if (g.steps.length <= showAllBelow) return new Set(g.steps.map((s) => s.id));
  const v = new Set<number>();
  const tops = g.top_level_steps.length > 0 ? g.top_level_steps.map((t) => t.step) : g.steps.filter((s) => s.kind === 'top_level').map((s) => s.id);
  for (const t of tops) {
    v.add(t);
    for (const d of g.steps[t].deps) v.add(d);
  }
  return v;
}

/** Show `id`'s direct dependencies too. Returns a new set. */
export function expandStep(g: Graph, visible: ReadonlySet<number>, id: number): Set<number> {
  const v = new Set(visible);
  v.add(id);
  for (const d of g.steps[id].deps) v.add(d);
  return v;
}

/**
 * Hide what `id` depends on, except steps that another visible step outside that part still needs
 * (directly or through other kept steps), so no shown step loses a shown dependency. Returns a new set.
 */
export function collapseStep(g: Graph, visible: ReadonlySet<number>, id: number): Set<number> {
  const below = new Set(closure(g, id));
  below.delete(id);
  const keep = new Set([...visible].filter((s) => !below.has(s)));
  const todo = [...keep].filter((s) => s !== id);
  while (todo.length > 0) {
    for (const d of g.steps[todo.pop()!].deps) {
      if (visible.has(d) && !keep.has(d)) {
        keep.add(d);
        todo.push(d);
      }
    }
  }
  return keep;
}

/** A step's ancestors (what depends on it, transitively) and descendants (what it depends on), itself included. */
export function focusSet(g: Graph, id: number, rev: number[][] = dependants(g)): Set<number> {
  const out = new Set(closure(g, id));
  const todo = [id];
  while (todo.length > 0) {
    for (const p of rev[todo.pop()!]) {
      if (!out.has(p)) {
        out.add(p);
        todo.push(p);
      }
    }
  }
  return out;
}

/** Number of `s`'s direct dependencies that are not shown. */
export function hiddenDeps(s: Step, visible: ReadonlySet<number>): number {
  let n = 0;
  for (const d of new Set(s.deps)) if (!visible.has(d)) n++;
  return n;
}

/** Steps whose name contains `query` (case-insensitive), ascending ids. Empty query → none. */
export function searchSteps(g: Graph, query: string): number[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  return g.steps.filter((s) => s.name.toLowerCase().includes(q) || (s.package !== '' && s.package.toLowerCase().includes(q))).map((s) => s.id);
}
