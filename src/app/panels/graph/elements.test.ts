import { describe, expect, it } from 'vitest';
import { blockedDependants, denials, type CapPolicy } from '../../../graph/index.ts';
import { CONFIGURE_ID, kindGroup, nodeId, stepOfNodeId, toElements, truncate, MAX_LABEL } from './elements.ts';
import { initialVisible } from './graph-view.ts';
import { makeGraph, wideGraph } from './test-graphs.ts';

const G = makeGraph([
  { name: 'install', top: true, deps: [1] },
  { name: 'app', deps: [2, 3] },
  { name: 'fetch', caps: [{ kind: 'net', target: 'https://x.test' }] },
  { name: 'gen', deps: [2] },
  { name: '<img src=x onerror=alert(1)>', top: true, deps: [3] },
]);
const denyNet: CapPolicy = (cap) => (cap.kind === 'net' ? { allowed: false, rule: 'caps.net' } : { allowed: true, rule: 'default' });

function build(configureDenials = 0) {
  return toElements({
    graph: G,
    visible: initialVisible(G),
    capDenials: denials(G, denyNet),
    blocked: blockedDependants(G, denyNet),
    configureDenials,
  });
}

describe('toElements', () => {
  it('makes one node per visible step plus configure, and one edge per dependency', () => {
    const r = build();
    expect(r.nodes).toBe(6);
    expect(r.edges).toBe(5);
    const edges = r.elements.filter((e) => e.group === 'edges').map((e) => `${e.data.source}>${e.data.target}`).sort();
    expect(edges).toEqual(['s1>s0', 's2>s1', 's2>s3', 's3>s1', 's3>s4']);
  });

  it('marks denied steps, their blocked dependants and the edges out of them', () => {
    const r = build();
    const cls = (id: number) => r.elements.find((e) => e.data.id === nodeId(id))!.classes.split(' ');
    expect(cls(2)).toContain('denied');
    for (const id of [0, 1, 3, 4]) expect(cls(id)).toContain('blocked');
    expect(cls(2)).not.toContain('blocked');
    expect(r.elements.find((e) => e.data.id === 'e2-3')!.classes).toBe('blocked-edge');
  });

  it('turns configure red only when configuring had denied syscalls', () => {
    expect(build(0).elements.find((e) => e.data.id === CONFIGURE_ID)!.classes).toBe('configure');
    const red = build(3).elements.find((e) => e.data.id === CONFIGURE_ID)!;
    expect(red.classes).toBe('configure denied');
    expect(red.data.label).toContain('3 denied');
  });

  it('keeps hostile names as plain label data', () => {
    const n = build().elements.find((e) => e.data.id === nodeId(4))!;
    expect(n.data.label).toBe(truncate('<img src=x onerror=alert(1)>'));
    expect(truncate('a\u0000b\nc')).toBe('a b c');
    expect(truncate('x'.repeat(100)).length).toBe(MAX_LABEL);
  });

  it('positions every node and counts hidden dependencies on collapsed ones', () => {
    const g = wideGraph(300);
    const r = toElements({ graph: g, visible: initialVisible(g), capDenials: [], blocked: new Map(), configureDenials: 0 });
    expect(r.nodes).toBe(302);
    const nodes = r.elements.filter((e) => e.group === 'nodes');
    expect(nodes.every((e) => e.position !== undefined)).toBe(true);
    const collapsed = nodes.filter((e) => e.classes.includes('collapsed'));
    expect(collapsed.length).toBe(300);
    expect(collapsed[0].data.label).toMatch(/\(\+1\)$/);
  });

  it('maps node ids both ways and groups kinds', () => {
    expect(stepOfNodeId(nodeId(42))).toBe(42);
    expect(stepOfNodeId(CONFIGURE_ID)).toBeUndefined();
    expect(kindGroup('install_file')).toBe('install');
    expect(kindGroup('run')).toBe('run');
  });
});
