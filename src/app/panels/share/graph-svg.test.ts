// The SVG serializer: a well-formed document with one group per node and one line per edge, labels as
// escaped text (a hostile step name cannot become markup), a viewBox around everything drawn.

import { describe, expect, it } from 'vitest';
import { fitLabel, graphSvg, xmlText, type SvgEdge, type SvgNode } from './graph-svg.ts';

const node = (id: string, x: number, y: number, label: string, step?: number): SvgNode => ({
  id, step, x, y, w: 196, h: 28, fill: 'rgb(219,234,254)', stroke: '#2563eb', strokeWidth: 1.5, dashed: false, label, color: '#0f172a', fontSize: 10.5, bold: false, opacity: 1,
});
const edge = (source: string, target: string): SvgEdge => ({ source, target, x1: 0, y1: 14, x2: 0, y2: 86, color: 'rgb(148,163,184)', width: 1.3, dashed: false, arrow: true, opacity: 1 });

describe('graphSvg', () => {
  it('draws a node group per node and a line per edge inside the viewBox', () => {
    const svg = graphSvg({ nodes: [node('s0', 0, 0, 'install', 0), node('s1', 0, 100, 'compile exe', 1), node('configure', 0, -100, 'build.zig\nconfigure')], edges: [edge('s1', 's0'), edge('configure', 's1')] });
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="node"/g)).toHaveLength(3);
    expect(svg.match(/data-step="\d+"/g)).toEqual(['data-step="0"', 'data-step="1"']);
    expect(svg.match(/<line class="edge"/g)).toHaveLength(2);
    // One arrow marker per colour.
    expect(svg.match(/<marker /g)).toHaveLength(1);
    // Nodes span x -98..98 and y -114..114, plus stroke and 24 px padding.
    expect(svg).toContain('viewBox="-123.5 -139.5 247 279"');
    expect(svg).toContain('<tspan x="0" y="-106.3">build.zig</tspan><tspan x="0" y="-93.7">configure</tspan>');
  });

  it('keeps hostile labels as text', () => {
    const evil = '<script>alert(1)</script>&"\'\u0001';
    const svg = graphSvg({ nodes: [node('s0', 0, 0, evil, 0)], edges: [] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&apos;</title>');
    expect(xmlText('a\ud800b\u0000c\ud83d\ude00')).toBe('abc\ud83d\ude00');
  });

  it('refuses colours that are not colours', () => {
    const n = { ...node('s0', 0, 0, 'x', 0), fill: 'red" onload="alert(1)' };
    expect(graphSvg({ nodes: [n], edges: [] })).toContain('fill="#888888"');
  });

  it('an empty drawing is still a document', () => {
    expect(graphSvg({ nodes: [], edges: [] })).toContain('viewBox="-24 -24 48 48"');
  });
});

describe('fitLabel', () => {
  it('cuts to the width with an ellipsis, by code point', () => {
    expect(fitLabel('short', 184, 10.5)).toBe('short');
    const long = 'x'.repeat(60);
    const cut = fitLabel(long, 184, 10.5);
    expect(cut).toBe(`${'x'.repeat(28)}…`);
    expect([...fitLabel('😀'.repeat(40), 184, 10.5)]).toHaveLength(29);
  });
});
