// Graphs for the panel's unit tests, built through the real parser so tests see only what parseGraph accepts.
import { parseGraph, type Capability, type Graph } from '../../../graph/index.ts';

export interface StepIn {
  name: string;
  top?: boolean;
  deps?: number[];
  caps?: Capability[];
  pkg?: string;
}

export function makeGraph(steps: StepIn[]): Graph {
  const tops = steps.map((s, id) => ({ s, id })).filter(({ s }) => s.top);
  return parseGraph({
    version: 1, zig_version: '0.14.0', host: 'x86_64-linux-gnu', install_prefix: 'zig-out', default_step: tops[0]?.id ?? null,
    options: [], top_level_steps: tops.map(({ s, id }) => ({ name: s.name, description: s.name, step: id })), missing_lazy_dependencies: [],
    steps: steps.map((s, id) => ({
      id, name: s.name, kind: s.top ? 'top_level' : 'custom', package: s.pkg ?? '', deps: s.deps ?? [],
      data: s.top ? { description: s.name } : {}, caps: s.caps ?? [],
    })),
  });
}

/** A build-shaped graph of about `n` steps: an install step over chains of compile → run → install. */
export function wideGraph(chains: number): Graph {
  const steps: StepIn[] = [{ name: 'install', top: true, deps: [] }];
  for (let i = 0; i < chains; i++) {
    const base = steps.length;
    steps.push({ name: `compile ${i}` }, { name: `run ${i}`, deps: [base] }, { name: `install ${i}`, deps: [base + 1] });
    steps[0].deps!.push(base + 2);
  }
  return makeGraph(steps);
}
