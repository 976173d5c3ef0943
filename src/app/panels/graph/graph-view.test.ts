import { describe, expect, it } from 'vitest';
import { collapseStep, expandStep, focusSet, hiddenDeps, initialVisible, searchSteps } from './graph-view.ts';
import { makeGraph, wideGraph } from './test-graphs.ts';

// 0 install → 1 app → {2 fetch, 3 gen}; 3 gen → 2 fetch; 4 docs (top level) → 3 gen
const G = makeGraph([
  { name: 'install', top: true, deps: [1] },
  { name: 'app', deps: [2, 3] },
  { name: 'fetch' },
  { name: 'gen', deps: [2], pkg: 'alpha' },
  { name: 'docs', top: true, deps: [3] },
]);

describe('graph view', () => {
  it('shows a small graph whole', () => {
    expect([...initialVisible(G)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts a big graph collapsed to top-level steps and their direct dependencies', () => {
    const g = wideGraph(200);
    const v = initialVisible(g, 100);
    expect(v.size).toBe(1 + 200);
    for (const id of v) expect(id === 0 || g.steps[0].deps.includes(id)).toBe(true);
    const anInstall = g.steps[0].deps[0];
    expect(hiddenDeps(g.steps[anInstall], v)).toBe(1);
  });

  it('expands and collapses one step', () => {
    const v0 = new Set([0, 1]);
    const v1 = expandStep(G, v0, 1);
    expect([...v1].sort()).toEqual([0, 1, 2, 3]);
    expect([...collapseStep(G, v1, 1)].sort()).toEqual([0, 1]);
    // Collapsing install hides app, but gen and fetch stay: docs (visible) still needs them.
    expect([...collapseStep(G, new Set([0, 1, 2, 3, 4]), 0)].sort()).toEqual([0, 2, 3, 4]);
  });

  it('focus is ancestors plus descendants', () => {
    expect([...focusSet(G, 3)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...focusSet(G, 4)].sort()).toEqual([2, 3, 4]);
    expect([...focusSet(G, 0)].sort()).toEqual([0, 1, 2, 3]);
  });

  it('searches names and packages, case-insensitively', () => {
    expect(searchSteps(G, 'GEN')).toEqual([3]);
    expect(searchSteps(G, 'alpha')).toEqual([3]);
    expect(searchSteps(G, '  ')).toEqual([]);
  });
});
