// Cytoscape stylesheet for the step DAG. Colours group step kinds (KIND_GROUPS); denial wins over kind:
// a denied step is red, a blocked one has a dashed amber border, and the configure node is slate, or red
// when the build script itself had syscalls denied while configuring.

import type { StylesheetJson } from 'cytoscape';

export const KIND_COLOURS: Record<string, { fill: string; border: string }> = {
  top: { fill: '#e2e8f0', border: '#334155' },
  compile: { fill: '#dbeafe', border: '#2563eb' },
  install: { fill: '#dcfce7', border: '#16a34a' },
  run: { fill: '#ffedd5', border: '#ea580c' },
  files: { fill: '#ccfbf1', border: '#0d9488' },
  custom: { fill: '#ede9fe', border: '#7c3aed' },
  other: { fill: '#f1f5f9', border: '#94a3b8' },
};

export const DENIED = { fill: '#fee2e2', border: '#dc2626', text: '#7f1d1d' };
export const BLOCKED = { border: '#d97706' };

export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 28;

export function cyStyle(big: boolean): StylesheetJson {
  const kinds: StylesheetJson = Object.entries(KIND_COLOURS).map(([group, c]) => ({
    selector: `node.k-${group}`,
    style: { 'background-color': c.fill, 'border-color': c.border },
  }));
  return [
    {
      selector: 'node',
      style: {
        shape: 'round-rectangle',
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        label: 'data(label)',
        'font-family': 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
        'font-size': 10.5,
        color: '#0f172a',
        'text-valign': 'center',
        'text-halign': 'center',
        'text-wrap': 'ellipsis',
        'text-max-width': `${NODE_WIDTH - 12}px`,
        'border-width': 1.5,
        'min-zoomed-font-size': big ? 7 : 0,
      },
    },
    ...kinds,
    { selector: 'node.k-top', style: { 'font-weight': 'bold', 'border-width': 2 } },
    { selector: 'node.collapsed', style: { 'border-width': 2.5, 'border-style': 'double' } },
    { selector: 'node.blocked', style: { 'border-color': BLOCKED.border, 'border-style': 'dashed', 'border-width': 2.5 } },
    { selector: 'node.denied', style: { 'background-color': DENIED.fill, 'border-color': DENIED.border, 'border-width': 3, 'border-style': 'solid', color: DENIED.text, 'font-weight': 'bold' } },
    {
      selector: 'node.configure',
      style: { 'background-color': '#334155', 'border-color': '#0f172a', color: '#f8fafc', 'font-weight': 'bold', width: 190, height: 44, shape: 'round-tag', 'text-wrap': 'wrap', 'text-max-width': '170px' },
    },
    { selector: 'node.configure.denied', style: { 'background-color': '#dc2626', 'border-color': '#7f1d1d', color: '#ffffff' } },
    { selector: 'node.match', style: { 'underlay-color': '#facc15', 'underlay-opacity': 0.7, 'underlay-padding': 5 } },
    // Selection adds an outline glow and keeps the fill and border, so a selected denied step still reads as denied.
    { selector: 'node:selected', style: { 'overlay-color': '#2563eb', 'overlay-opacity': 0.14, 'overlay-padding': 6, 'border-width': 4 } },
    {
      selector: 'edge',
      style: big
        ? { width: 1, 'line-color': '#cbd5e1', 'curve-style': 'haystack', 'haystack-radius': 0 }
        : { width: 1.3, 'line-color': '#94a3b8', 'curve-style': 'straight', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#94a3b8', 'arrow-scale': 0.8 },
    },
    { selector: 'edge.blocked-edge', style: { 'line-color': BLOCKED.border, 'target-arrow-color': BLOCKED.border, 'line-style': 'dashed' } },
    { selector: '.faded', style: { opacity: 0.12 } },
  ];
}
