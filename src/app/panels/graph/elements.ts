// Graph → Cytoscape elements: a pure function of the graph, the visible set, the audit's denials and
// blocked steps, and the layout. Labels are plain data rendered by Cytoscape onto a canvas, never HTML,
// so hostile step names cannot inject markup; they are also cut to a readable length.

import type { Denial, Graph, Step, StepKind } from '../../../graph/index.ts';
import { hiddenDeps } from './graph-view.ts';
import { layeredLayout, type Layout } from './layout.ts';

export const CONFIGURE_ID = 'configure';
export const MAX_LABEL = 42;

/** Colour groups for step kinds (the legend lists them). */
export const KIND_GROUPS: { group: string; label: string; kinds: StepKind[] }[] = [
  { group: 'top', label: 'top-level step', kinds: ['top_level'] },
  { group: 'compile', label: 'compile', kinds: ['compile', 'translate_c', 'objcopy'] },
  { group: 'install', label: 'install / remove', kinds: ['install_artifact', 'install_file', 'install_dir', 'remove_dir'] },
  { group: 'run', label: 'run', kinds: ['run'] },
  { group: 'files', label: 'write / generate files', kinds: ['write_file', 'update_source_files', 'config_header', 'options'] },
  { group: 'custom', label: 'custom step', kinds: ['custom'] },
  { group: 'other', label: 'check / fmt / fail', kinds: ['check_file', 'check_object', 'fmt', 'fail'] },
];

const GROUP_OF = new Map<StepKind, string>(KIND_GROUPS.flatMap((g) => g.kinds.map((k) => [k, g.group] as const)));

export function kindGroup(kind: StepKind): string {
  return GROUP_OF.get(kind) ?? 'other';
}

export const nodeId = (step: number) => `s${step}`;

/** Parse a Cytoscape node id back to a step id (undefined for the configure node or anything else). */
export function stepOfNodeId(id: string): number | undefined {
  const m = /^s(\d+)$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

export function truncate(s: string, max = MAX_LABEL): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

export function stepLabel(s: Step, hidden = 0): string {
  const pkg = s.package !== '' ? `${s.package}: ` : '';
  const base = truncate(`${pkg}${s.name}`);
  return hidden > 0 ? `${base}  (+${hidden})` : base;
}

export interface ElementsInput {
  graph: Graph;
  visible: ReadonlySet<number>;
  capDenials: readonly Denial[];
  /** Blocked step → denied steps that block it. */
  blocked: ReadonlyMap<number, readonly number[]>;
  /** Denied syscalls while configuring (the build script itself). */
  configureDenials: number;
  /** Precomputed layout; computed here when absent. */
  layout?: Layout;
}

export interface ElementData {
  id: string;
  label?: string;
  kind?: string;
  step?: number;
  source?: string;
  target?: string;
}

export interface Element {
  group: 'nodes' | 'edges';
  data: ElementData;
  position?: { x: number; y: number };
  classes: string;
}

export interface ElementsResult {
  elements: Element[];
  layout: Layout;
  nodes: number;
  edges: number;
}

/** The layout input for the visible part of a graph (edges from a dependency to its dependant). */
export function visibleLayout(graph: Graph, visible: ReadonlySet<number>): Layout {
  const nodes = graph.steps.filter((s) => visible.has(s.id)).map((s) => s.id);
  const edges: [number, number][] = [];
  for (const id of nodes) for (const d of new Set(graph.steps[id].deps)) if (visible.has(d)) edges.push([d, id]);
  return layeredLayout({ nodes, edges });
}

export function toElements(input: ElementsInput): ElementsResult {
  const { graph, visible } = input;
  const layout = input.layout ?? visibleLayout(graph, visible);
  const denied = new Set(input.capDenials.map((d) => d.step));
  const elements: Element[] = [];
  let nodes = 0;
  let edges = 0;

  // The build script itself, left of everything and vertically centred: red when configuring was denied.
  elements.push({
    group: 'nodes',
    data: { id: CONFIGURE_ID, label: input.configureDenials > 0 ? `configure (build.zig)\n${input.configureDenials} denied syscall${input.configureDenials === 1 ? '' : 's'}` : 'configure (build.zig)', kind: 'configure' },
    position: { x: -260, y: 0 },
    classes: input.configureDenials > 0 ? 'configure denied' : 'configure',
  });
  nodes++;

  for (const s of graph.steps) {
    if (!visible.has(s.id)) continue;
    const hidden = hiddenDeps(s, visible);
    const classes = [`k-${kindGroup(s.kind)}`];
    if (denied.has(s.id)) classes.push('denied');
    if (input.blocked.has(s.id)) classes.push('blocked');
    if (hidden > 0) classes.push('collapsed');
    elements.push({
      group: 'nodes',
      data: { id: nodeId(s.id), label: stepLabel(s, hidden), kind: s.kind, step: s.id },
      position: layout.positions.get(s.id),
      classes: classes.join(' '),
    });
    nodes++;
  }
  for (const s of graph.steps) {
    if (!visible.has(s.id)) continue;
    for (const d of new Set(s.deps)) {
      if (!visible.has(d)) continue;
      const cls = denied.has(d) || input.blocked.has(d) ? 'blocked-edge' : '';
      elements.push({ group: 'edges', data: { id: `e${d}-${s.id}`, source: nodeId(d), target: nodeId(s.id) }, classes: cls });
      edges++;
    }
  }
  return { elements, layout, nodes, edges };
}
