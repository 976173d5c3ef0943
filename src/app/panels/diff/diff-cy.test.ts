import { denials, diffGraphs, type CapPolicy } from '../../../graph/index.ts';
import { describe, expect, it } from 'vitest';
import { makeGraph } from '../graph/test-graphs.ts';
import { DIFF_COLOURS, diffStyle } from './diff-cy.ts';
import { diffElements } from './diff-elements.ts';

describe('diffStyle', () => {
  it('styles every status and edge class diffElements emits, after the kind colours (so status wins)', () => {
    const deny: CapPolicy = () => ({ allowed: false, rule: 'x' });
    // top: changed (deps), old: removed, new: added and denied, lib: unchanged.
    const A = makeGraph([{ name: 'top', top: true, deps: [1] }, { name: 'old' }, { name: 'lib' }]);
    const B = makeGraph([{ name: 'top', top: true, deps: [1] }, { name: 'new', caps: [{ kind: 'net', target: 'https://x.test' }] }, { name: 'lib' }]);
    const r = diffElements({ a: A, b: B, diff: diffGraphs(A, B), denialsA: denials(A, deny), denialsB: denials(B, deny) });
    const style = diffStyle() as { selector: string; style: Record<string, unknown> }[];
    const selectors = style.map((s) => s.selector);
    const index = (sel: string) => selectors.findIndex((s) => s.split(',').map((x) => x.trim()).includes(sel));
    const used = new Set(r.elements.flatMap((e) => e.classes.split(' ').filter(Boolean).map((c) => `${e.group === 'nodes' ? 'node' : 'edge'}.${c}`)));
    expect([...used].sort()).toEqual(['edge.added-edge', 'edge.removed-edge', 'node.added', 'node.changed', 'node.denied', 'node.k-custom', 'node.k-top', 'node.removed', 'node.unchanged']);
    for (const sel of used) expect(index(sel), sel).toBeGreaterThanOrEqual(0);
    for (const s of Object.keys(DIFF_COLOURS)) expect(index(`node.${s}`)).toBeGreaterThan(index('node.k-custom'));
    expect(index('node.denied')).toBeGreaterThan(index('node.added'));
    // The graph panel's denial/blocked/configure rules are dropped: the diff marks denial its own way.
    expect(style.filter((s) => s.selector === 'node.denied')).toHaveLength(1);
  });
});
