// Graph state: the parsed graph and the audit's verdicts on it ($state.raw: big, immutable, replaced
// whole), the visible set of the collapsed view, the selection, focus and search.

import { dependants, type Denial, type Graph } from '../../graph/index.ts';
import { collapseStep, expandStep, focusSet, initialVisible, searchSteps } from '../panels/graph/graph-view.ts';

export class GraphState {
  graph = $state.raw<Graph | null>(null);
  capDenials = $state.raw<Denial[]>([]);
  blocked = $state.raw<Map<number, number[]>>(new Map());
  /** Denied syscalls while configuring: the build script's own behaviour. */
  configureDenials = $state(0);
  visible = $state.raw<Set<number>>(new Set());
  selected = $state<number | null>(null);
  /** The configure node (the build script itself) is selected. */
  configureSelected = $state(false);
  /** The step whose ancestors and descendants are emphasised, or null. */
  focus = $state<number | null>(null);
  query = $state('');
  /** Bumped when the view should fit the whole drawing (new graph, reset). */
  fitRequest = $state(0);

  reverse = $derived.by(() => (this.graph ? dependants(this.graph) : []));
  deniedByStep = $derived.by(() => {
    const m = new Map<number, Denial[]>();
    for (const d of this.capDenials) m.set(d.step, [...(m.get(d.step) ?? []), d]);
    return m;
  });
  matches = $derived.by(() => (this.graph ? searchSteps(this.graph, this.query) : []));
  focused = $derived.by(() => (this.graph && this.focus !== null ? focusSet(this.graph, this.focus, this.reverse) : null));

  /**
   * A new graph from a run. When the new graph has the same shape as the shown one (a re-run with other
   * options often does), the expanded view and selection are kept; otherwise the view starts over.
   */
  setResult(graph: Graph, capDenials: Denial[], blocked: Map<number, number[]>, configureDenials: number): void {
    const prev = this.graph;
    const sameShape = prev !== null && prev.steps.length === graph.steps.length && prev.steps.every((s, i) => s.name === graph.steps[i].name);
    this.graph = graph;
    this.capDenials = capDenials;
    this.blocked = blocked;
    this.configureDenials = configureDenials;
    if (!sameShape) {
      this.visible = initialVisible(graph);
      this.selected = null;
      this.focus = null;
      this.fitRequest++;
    }
  }

  clear(): void {
    this.graph = null;
    this.capDenials = [];
    this.blocked = new Map();
    this.configureDenials = 0;
    this.visible = new Set();
    this.selected = null;
    this.configureSelected = false;
    this.focus = null;
  }

  selectConfigure(): void {
    this.selected = null;
    this.configureSelected = true;
  }

  expand(id: number): void {
    if (this.graph) this.visible = expandStep(this.graph, this.visible, id);
  }

  collapse(id: number): void {
    if (this.graph) this.visible = collapseStep(this.graph, this.visible, id);
  }

  expandAll(): void {
    if (this.graph) this.visible = new Set(this.graph.steps.map((s) => s.id));
  }

  resetView(): void {
    if (this.graph) this.visible = initialVisible(this.graph);
    this.focus = null;
    this.fitRequest++;
  }

  /** Select a step, showing it (and its focus set when focusing) if it was hidden. */
  select(id: number | null): void {
    this.selected = id;
    this.configureSelected = false;
    if (id !== null && this.graph && !this.visible.has(id)) this.visible = new Set([...this.visible, id]);
  }

  setFocus(id: number | null): void {
    this.focus = id;
    if (id !== null && this.graph) {
      const f = focusSet(this.graph, id, this.reverse);
      if ([...f].some((s) => !this.visible.has(s))) this.visible = new Set([...this.visible, ...f]);
    }
  }
}
