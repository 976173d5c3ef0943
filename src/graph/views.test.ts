import { describe, expect, it } from 'vitest';
import { parseGraph } from './parse.ts';
import type { Capability, Graph } from './schema.ts';
import { blockedDependants, capabilitySummary, closure, denials, dependants, diffGraphs, stepKeys, type CapPolicy } from './views.ts';

type StepIn = { name: string; kind?: 'top_level' | 'custom' | 'fail'; deps?: number[]; caps?: Capability[]; pkg?: string; message?: string };

/** A graph through the real parser, so the views only ever see what parseGraph accepts. */
function graph(steps: StepIn[], extra: Partial<Graph> = {}): Graph {
  return parseGraph({
    version: 1, zig_version: '0.14.0', host: 'x86_64-linux-gnu', install_prefix: 'zig-out', default_step: 0,
    options: [], top_level_steps: [{ name: 'install', description: 'd', step: 0 }], missing_lazy_dependencies: [],
    ...extra,
    steps: steps.map((s, id) => ({
      id, name: s.name, kind: s.kind ?? 'custom', package: s.pkg ?? '', deps: s.deps ?? [],
      data: s.kind === 'top_level' ? { description: s.name } : s.kind === 'fail' ? { message: s.message ?? '' } : { make_fn: null },
      caps: s.caps ?? [],
    })),
  });
}

const exec = (target: string): Capability => ({ kind: 'exec', target, detail: 'system' });
const net = (target: string): Capability => ({ kind: 'net', target });

// 0 install → 1 app → {2 fetch (curl, net), 3 gen}; 3 gen → 2 fetch; 4 docs (top level) → 3 gen
const G = graph([
  { name: 'install', kind: 'top_level', deps: [1] },
  { name: 'app', deps: [2, 3] },
  { name: 'fetch', caps: [exec('curl'), net('https://x.test/a')] },
  { name: 'gen', deps: [2], caps: [exec('python3')] },
  { name: 'docs', kind: 'top_level', deps: [3] },
]);

const denyNet: CapPolicy = (cap) => (cap.kind === 'net' ? { allowed: false, rule: 'net: deny all' } : { allowed: true, rule: 'default' });

describe('graph views', () => {
  it('dependants are the reverse edges', () => {
    expect(dependants(G)).toEqual([[], [0], [1, 3], [1, 4], []]);
  });

  it('closure is everything a step needs, itself included', () => {
    expect(closure(G, 4)).toEqual([2, 3, 4]);
    expect(closure(G, 2)).toEqual([2]);
  });

  it('denials name the step, the capability and the rule', () => {
    expect(denials(G, denyNet)).toEqual([{ step: 2, cap: net('https://x.test/a'), rule: 'net: deny all' }]);
  });

  it('blocked dependants are every transitive dependant of a denied step', () => {
    expect([...blockedDependants(G, denyNet)]).toEqual([[0, [2]], [1, [2]], [3, [2]], [4, [2]]]);
    const denyPython: CapPolicy = (cap) => ({ allowed: cap.target !== 'python3', rule: 'no python' });
    expect([...blockedDependants(G, denyPython)]).toEqual([[0, [3]], [1, [3]], [4, [3]]]);
  });

  it('capability summary groups by kind and target', () => {
    expect(capabilitySummary(G)).toEqual([
      { kind: 'exec', target: 'curl', steps: [2] },
      { kind: 'exec', target: 'python3', steps: [3] },
      { kind: 'net', target: 'https://x.test/a', steps: [2] },
    ]);
  });

  it('step keys disambiguate repeated names and separate packages', () => {
    const g = graph([{ name: 'install', kind: 'top_level', deps: [1, 2, 3] }, { name: 'x' }, { name: 'x' }, { name: 'x', pkg: 'dep' }]);
    expect(stepKeys(g)).toEqual(['|top_level|install', '|custom|x', '|custom|x#2', 'dep|custom|x']);
  });
});

describe('diffGraphs', () => {
  it('matches steps by key although ids shift, and surfaces new capabilities', () => {
    // v2 inserts a "telemetry" step before app's deps and gives "gen" a network fetch.
    const v2 = graph(
      [
        { name: 'install', kind: 'top_level', deps: [1] },
        { name: 'app', deps: [2, 3, 4] },
        { name: 'telemetry', caps: [exec('sh'), net('https://evil.test/t')] },
        { name: 'fetch', caps: [exec('curl'), net('https://x.test/a')] },
        { name: 'gen', deps: [3], caps: [exec('python3'), net('https://x.test/b')] },
        { name: 'docs', kind: 'top_level', deps: [4] },
      ],
      { options: [{ name: 'telemetry', type: 'bool', description: '', value: null }] },
    );
    const d = diffGraphs(G, v2);
    expect(d.added).toEqual([2]);
    expect(d.removed).toEqual([]);
    expect(d.changed.map((c) => [c.key, c.changed])).toEqual([['|custom|app', ['deps']], ['|custom|gen', ['caps']]]);
    expect(d.capsAdded).toEqual([
      { step: 2, cap: exec('sh') },
      { step: 2, cap: net('https://evil.test/t') },
      { step: 4, cap: net('https://x.test/b') },
    ]);
    expect(d.optionsAdded).toEqual(['telemetry']);
  });

  it('an identical graph has an empty diff', () => {
    const d = diffGraphs(G, G);
    expect(d.added.length + d.removed.length + d.changed.length + d.capsAdded.length).toBe(0);
  });

  it('reports data changes (e.g. a fail message) and removed top-level steps', () => {
    const a = graph([{ name: 'install', kind: 'top_level', deps: [1] }, { name: 'f', kind: 'fail', message: 'a' }], {
      top_level_steps: [{ name: 'install', description: '', step: 0 }, { name: 'f', description: '', step: 1 }],
    });
    const b = graph([{ name: 'install', kind: 'top_level', deps: [1] }, { name: 'f', kind: 'fail', message: 'b' }]);
    const d = diffGraphs(a, b);
    expect(d.changed.map((c) => c.changed)).toEqual([['data']]);
    expect(d.topLevelRemoved).toEqual(['f']);
  });
});
