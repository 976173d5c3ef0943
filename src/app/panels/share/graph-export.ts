// Read the drawn graph off the live Cytoscape instance (the graph panel registers it with ShareState):
// a plain SvgDrawing for graph-svg.ts, and a PNG through Cytoscape's own png().

import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import { stepOfNodeId } from '../graph/elements.ts';
import type { SvgDrawing, SvgEdge, SvgNode } from './graph-svg.ts';

/** Biggest PNG side in pixels (browsers refuse canvases much past 16k; a big graph is scaled down to fit). */
const PNG_MAX_SIDE = 8192;

function nodeOf(n: NodeSingular): SvgNode {
  const p = n.position();
  const step = stepOfNodeId(n.id());
  return {
    id: n.id(),
    ...(step !== undefined ? { step } : {}),
    x: p.x,
    y: p.y,
    w: n.width(),
    h: n.height(),
    fill: String(n.style('background-color')),
    stroke: String(n.style('border-color')),
    strokeWidth: n.numericStyle('border-width'),
    dashed: n.style('border-style') === 'dashed',
    label: String(n.data('label') ?? ''),
    color: String(n.style('color')),
    fontSize: n.numericStyle('font-size'),
    bold: String(n.style('font-weight')) === 'bold',
    opacity: n.numericStyle('opacity'),
  };
}

function edgeOf(e: EdgeSingular): SvgEdge {
  // Endpoints on the node borders as Cytoscape drew them; the centres when it has not computed them.
  const s = e.sourceEndpoint() ?? e.source().position();
  const t = e.targetEndpoint() ?? e.target().position();
  return {
    source: e.source().id(),
    target: e.target().id(),
    x1: s.x,
    y1: s.y,
    x2: t.x,
    y2: t.y,
    color: String(e.style('line-color')),
    width: e.numericStyle('width'),
    dashed: e.style('line-style') === 'dashed',
    arrow: e.style('target-arrow-shape') !== 'none',
    opacity: e.numericStyle('opacity'),
  };
}

/** Everything drawn (all nodes and edges on show), in model coordinates. */
export function drawingOf(cy: Core): SvgDrawing {
  return { nodes: cy.nodes(':visible').map(nodeOf), edges: cy.edges(':visible').map(edgeOf) };
}

/** The whole graph (not just the viewport) as a PNG on white, at twice the model scale when it fits. */
export function pngOf(cy: Core): Blob {
  return cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: 2, maxWidth: PNG_MAX_SIDE, maxHeight: PNG_MAX_SIDE });
}
