// The step graph as a standalone SVG document: a pure serializer of what Cytoscape drew (positions, sizes,
// colours, labels; graph-export.ts reads them off the live instance). Our own ~100 lines instead of
// cytoscape-svg, which is GPL-3.0 and would be bundled into the MIT site.
//
// Every string from the package (step names, package names) is XML-escaped and stripped of characters XML
// cannot hold, so a hostile name stays text: the file is safe to open in a browser or an editor.

export interface SvgNode {
  /** Cytoscape id (`s3`, `configure`). */
  id: string;
  /** The step id, absent for the configure node. */
  step?: number;
  /** Centre and size, in model coordinates. */
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
  stroke: string;
  strokeWidth: number;
  dashed: boolean;
  label: string;
  color: string;
  fontSize: number;
  bold: boolean;
  opacity: number;
}

export interface SvgEdge {
  source: string;
  target: string;
  /** Where the drawn line starts and ends (on the node borders). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  width: number;
  dashed: boolean;
  arrow: boolean;
  opacity: number;
}

export interface SvgDrawing {
  nodes: SvgNode[];
  edges: SvgEdge[];
}

const PADDING = 24;
const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
/** A monospace glyph is about 0.6 em wide: enough to cut labels like the canvas does (text-max-width). */
const GLYPH_EM = 0.6;

/** XML 1.0 text: escape the five specials, drop what XML cannot carry (C0 controls, lone surrogates, U+FFFE/F). */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Colours come from our stylesheet through Cytoscape (`rgb(…)`, `#hex`, names); anything else is grey. */
function colour(c: string): string {
  return /^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\)|[a-zA-Z]{1,20})$/.test(c) ? c : '#888888';
}

const num = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(2)) : 0);

/** Cut a line to the characters that fit in `width` at `fontSize`, with an ellipsis. */
export function fitLabel(line: string, width: number, fontSize: number): string {
  const max = Math.max(1, Math.floor(width / (fontSize * GLYPH_EM)));
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

function nodeSvg(n: SvgNode): string {
  const left = num(n.x - n.w / 2);
  const top = num(n.y - n.h / 2);
  const lines = n.label.split('\n');
  const lineH = n.fontSize * 1.2;
  const firstY = n.y - ((lines.length - 1) * lineH) / 2;
  const text = lines
    .map((l, i) => `<tspan x="${num(n.x)}" y="${num(firstY + i * lineH)}">${xmlText(fitLabel(l, n.w - 12, n.fontSize))}</tspan>`)
    .join('');
  const step = n.step !== undefined ? ` data-step="${n.step}"` : '';
  return (
    `<g class="node" data-id="${xmlText(n.id)}"${step}${n.opacity < 1 ? ` opacity="${num(n.opacity)}"` : ''}>` +
    `<title>${xmlText(n.label)}</title>` +
    `<rect x="${left}" y="${top}" width="${num(n.w)}" height="${num(n.h)}" rx="${num(Math.min(8, n.h / 4))}" fill="${colour(n.fill)}" stroke="${colour(n.stroke)}" stroke-width="${num(n.strokeWidth)}"${n.dashed ? ' stroke-dasharray="5 3"' : ''}/>` +
    `<text font-size="${num(n.fontSize)}" fill="${colour(n.color)}"${n.bold ? ' font-weight="bold"' : ''} text-anchor="middle" dominant-baseline="central">${text}</text>` +
    `</g>`
  );
}

function edgeSvg(e: SvgEdge, markers: Map<string, string>): string {
  let marker = '';
  if (e.arrow) {
    const c = colour(e.color);
    if (!markers.has(c)) markers.set(c, `a${markers.size}`);
    marker = ` marker-end="url(#${markers.get(c)})"`;
  }
  return (
    `<line class="edge" data-source="${xmlText(e.source)}" data-target="${xmlText(e.target)}" x1="${num(e.x1)}" y1="${num(e.y1)}" x2="${num(e.x2)}" y2="${num(e.y2)}" ` +
    `stroke="${colour(e.color)}" stroke-width="${num(e.width)}"${e.dashed ? ' stroke-dasharray="6 4"' : ''}${e.opacity < 1 ? ` opacity="${num(e.opacity)}"` : ''}${marker}/>`
  );
}

/** A complete SVG document (with XML declaration) of the drawing, on a white background. */
export function graphSvg(d: SvgDrawing, title = 'sandbuild step graph'): string {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of d.nodes) {
    minX = Math.min(minX, n.x - n.w / 2 - n.strokeWidth);
    minY = Math.min(minY, n.y - n.h / 2 - n.strokeWidth);
    maxX = Math.max(maxX, n.x + n.w / 2 + n.strokeWidth);
    maxY = Math.max(maxY, n.y + n.h / 2 + n.strokeWidth);
  }
  if (d.nodes.length === 0) minX = minY = maxX = maxY = 0;
  const x0 = num(minX - PADDING);
  const y0 = num(minY - PADDING);
  const w = num(maxX - minX + 2 * PADDING);
  const h = num(maxY - minY + 2 * PADDING);
  const markers = new Map<string, string>();
  const edges = d.edges.map((e) => edgeSvg(e, markers)).join('\n');
  const nodes = d.nodes.map(nodeSvg).join('\n');
  const defs = [...markers]
    .map(([c, id]) => `<marker id="${id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x0} ${y0} ${w} ${h}" width="${w}" height="${h}" font-family="${FONT}">\n` +
    `<title>${xmlText(title)}</title>\n<defs>${defs}</defs>\n` +
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#ffffff"/>\n` +
    `<g class="edges">\n${edges}\n</g>\n<g class="nodes">\n${nodes}\n</g>\n</svg>\n`
  );
}
