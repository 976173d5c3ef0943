import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layout.ts';

describe('layeredLayout', () => {
  it('puts every step one column right of its deepest dependency', () => {
    // 3 depends on 1 and 2; 2 depends on 1; 1 depends on 0.
    const l = layeredLayout({ nodes: [0, 1, 2, 3], edges: [[0, 1], [1, 2], [1, 3], [2, 3]] }, { columnWidth: 100 });
    expect([0, 1, 2, 3].map((id) => l.positions.get(id)!.x)).toEqual([0, 100, 200, 300]);
    expect(l.layers).toBe(4);
  });

  it('points every edge right, on random DAGs', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(rnd() * 60);
      const edges: [number, number][] = [];
      for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (rnd() < 0.08) edges.push([j, i]);
      const l = layeredLayout({ nodes: [...Array(n).keys()], edges }, { maxRows: 1000 });
      for (const [a, b] of edges) expect(l.positions.get(a)!.x).toBeLessThan(l.positions.get(b)!.x);
      // No two nodes share a position.
      const keys = new Set([...l.positions.values()].map((p) => `${p.x},${p.y}`));
      expect(keys.size).toBe(n);
    }
  });

  it('orders a layer by its neighbours to avoid crossings', () => {
    // Two chains fed in crossing order: a0→b1, a1→b0. Barycenter ordering uncrosses them.
    const l = layeredLayout({ nodes: [0, 1, 10, 11], edges: [[0, 11], [1, 10]] });
    const y = (id: number) => l.positions.get(id)!.y;
    expect(Math.sign(y(0) - y(1))).toBe(Math.sign(y(11) - y(10)));
  });

  it('wraps a tall layer into sub-columns', () => {
    const nodes = [...Array(100).keys()];
    const l = layeredLayout({ nodes, edges: [] }, { maxRows: 30, columnWidth: 10, rowHeight: 1 });
    const xs = new Set([...l.positions.values()].map((p) => p.x));
    expect(xs.size).toBe(4);
    expect(l.height).toBe(25);
  });

  it('ignores self-loops, unknown ids and survives a cycle', () => {
    const l = layeredLayout({ nodes: [0, 1, 2], edges: [[0, 0], [5, 1], [1, 2], [2, 1]] });
    expect(l.positions.size).toBe(3);
  });

  it('lays out 5,000 nodes (speed: npm run bench:ui)', () => {
    const n = 5000;
    const edges: [number, number][] = [];
    for (let i = 1; i < n; i++) edges.push([Math.floor(i / 3), i]);
    const l = layeredLayout({ nodes: [...Array(n).keys()], edges });
    expect(l.positions.size).toBe(n);
    // A tree: every child sits in a later column than its parent.
    for (let i = 1; i < n; i++) expect(l.positions.get(i)!.x).toBeGreaterThan(l.positions.get(Math.floor(i / 3))!.x);
  });
});
