import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditPolicy, loadPackageArchive, runAudit } from '../../../audit/index.ts';
import { denials, diffGraphs, type CapPolicy } from '../../../graph/index.ts';
import { interpEngine } from '../../../interp/index.ts';
import { makeGraph } from '../graph/test-graphs.ts';
import { capText, diffElements, parseDiffNodeId, stepChanges, type DiffGraphInput } from './diff-elements.ts';

const denyNetExec: CapPolicy = (cap) => (cap.kind === 'net' || cap.kind === 'exec' ? { allowed: false, rule: `caps.${cap.kind}` } : { allowed: true, rule: 'default' });

// A → B: `check` is new (exec + net), `old fetch` is gone (net), `lib` now depends on `check` instead of
// `old fetch` and requests a host path, `install` is untouched.
const A = makeGraph([
  { name: 'install', top: true, deps: [1] },
  { name: 'lib', deps: [2] },
  { name: 'old fetch', caps: [{ kind: 'net', target: 'https://old.test' }] },
]);
const B = makeGraph([
  { name: 'install', top: true, deps: [2] },
  { name: 'check', caps: [{ kind: 'exec', target: 'sh', detail: 'system' }, { kind: 'net', target: 'https://new.test' }] },
  { name: 'lib', deps: [1], caps: [{ kind: 'host-path', target: '/usr/include' }] },
]);
const input = (a = A, b = B): DiffGraphInput => ({ a, b, diff: diffGraphs(a, b), denialsA: denials(a, denyNetExec), denialsB: denials(b, denyNetExec) });

describe('diffElements', () => {
  const r = diffElements(input());
  const node = (id: string) => r.elements.find((e) => e.group === 'nodes' && e.data.id === id)!;
  const edges = () => r.elements.filter((e) => e.group === 'edges').map((e) => `${e.data.source}>${e.data.target} ${e.classes}`.trim()).sort();

  it('merges B with the steps only A had, each with its status class', () => {
    expect(r.elements.filter((e) => e.group === 'nodes').map((e) => [e.data.id, e.data.status])).toEqual([
      ['b0', 'unchanged'], ['b1', 'added'], ['b2', 'changed'], ['a2', 'removed'],
    ]);
    expect(node('b1').classes.split(' ')).toEqual(['k-custom', 'added', 'denied']);
    expect(node('a2').classes.split(' ')).toEqual(['k-custom', 'removed', 'denied']);
    expect(node('b2').classes.split(' ')).toEqual(['k-custom', 'changed']);
    expect(node('b0').classes.split(' ')).toEqual(['k-top', 'unchanged']);
    expect(r.counts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1, denied: 2, edges: 3, edgesAdded: 1, edgesRemoved: 1 });
  });

  it('matches edges by step keys: kept, added, and removed (into a step B still has)', () => {
    expect(edges()).toEqual(['a2>b2 removed-edge', 'b1>b2 added-edge', 'b2>b0']);
  });

  it('marks labels (+, −, ~); positions go left to right along edges', () => {
    expect(node('b1').data.label).toBe('+ check');
    expect(node('b2').data.label).toBe('~ lib');
    expect(node('b0').data.label).toBe('install');
    expect(node('a2').data.label).toBe('− old fetch');
    for (const e of r.elements.filter((x) => x.group === 'edges')) {
      expect(node(e.data.source!).position!.x).toBeLessThan(node(e.data.target!).position!.x);
    }
    expect(parseDiffNodeId('a2')).toEqual({ side: 'a', step: 2 });
    expect(parseDiffNodeId('s2')).toBeUndefined();
  });

  it('a graph diffed with itself is all unchanged', () => {
    const same = diffElements(input(B, B));
    expect(same.counts).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 3, edgesAdded: 0, edgesRemoved: 0 });
  });
});

describe('stepChanges', () => {
  it('lists added, removed and changed steps with their capability changes and each side’s verdict', () => {
    const rows = stepChanges(input());
    expect(rows.map((x) => [x.node, x.status, x.name, x.changed])).toEqual([
      ['b1', 'added', 'check', []],
      ['a2', 'removed', 'old fetch', []],
      ['b2', 'changed', 'lib', ['deps', 'caps']],
    ]);
    expect(rows[0].caps.map((c) => [capText(c.cap), c.change, c.a, c.b])).toEqual([
      ['exec sh [system]', 'added', undefined, { verdict: 'deny', rule: 'caps.exec' }],
      ['net https://new.test', 'added', undefined, { verdict: 'deny', rule: 'caps.net' }],
    ]);
    expect(rows[1].caps.map((c) => [capText(c.cap), c.change, c.a, c.b])).toEqual([['net https://old.test', 'removed', { verdict: 'deny', rule: 'caps.net' }, undefined]]);
    expect(rows[2].caps.map((c) => [capText(c.cap), c.change, c.b])).toEqual([['host-path /usr/include', 'added', { verdict: 'allow' }]]);
  });
});

describe('on the g-v1/g-v2 example pair', () => {
  it('shows `check zig version` as the added step, denied, and the library compile as changed', async () => {
    const policy = auditPolicy();
    const run = async (n: string) =>
      runAudit({ fs: await loadPackageArchive(new Uint8Array(readFileSync(new URL(`../../../../public/examples/${n}.tar.gz`, import.meta.url)))), policy, engine: interpEngine });
    const [a, b] = [await run('g-v1'), await run('g-v2')];
    const inp: DiffGraphInput = { a: a.graph!, b: b.graph!, diff: diffGraphs(a.graph!, b.graph!), denialsA: a.capDenials, denialsB: b.capDenials };
    const r = diffElements(inp);
    const added = r.elements.filter((e) => e.group === 'nodes' && e.data.status === 'added');
    expect(added.map((e) => [e.data.label, e.classes.split(' ').includes('denied')])).toEqual([['+ check zig version', true]]);
    expect(r.counts).toMatchObject({ added: 1, removed: 0, changed: 1, unchanged: b.graph!.steps.length - 2 });
    const rows = stepChanges(inp);
    expect(rows.find((x) => x.status === 'added')!.caps.map((c) => `${c.cap.kind} ${c.b?.verdict}`)).toEqual(['exec deny', 'net deny']);
  });
});
