// Parse and check the guest's graph JSON. Everything the guest prints is untrusted: shape errors and
// broken references both become a GraphError naming the JSON path, e.g. `$.steps[3].deps[0]`.

import * as v from 'valibot';
import { GraphSchema, LIMITS, type Graph } from './schema.ts';

export class GraphError extends Error {
  override name = 'GraphError';
  readonly kind = 'graph';
  constructor(
    /** JSONPath-style location of the first problem, `$` for the document itself. */
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(keys: readonly unknown[]): string {
  let out = '$';
  for (const k of keys) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (typeof k === 'string' && IDENT.test(k)) out += `.${k}`;
    else out += `[${JSON.stringify(String(k))}]`;
  }
  return out;
}

/** Parse stdout text of the guest. */
export function parseGraphText(text: string): Graph {
  if (text.length > LIMITS.maxTextBytes) throw new GraphError('$', `output larger than ${LIMITS.maxTextBytes} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new GraphError('$', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseGraph(data);
}

/** Validate already-parsed JSON. */
export function parseGraph(data: unknown): Graph {
  if (typeof data === 'object' && data !== null && 'version' in data && data.version !== 1 && typeof data.version === 'number') {
    throw new GraphError('$.version', `graph format ${data.version} is not supported (this sandbuild reads 1)`);
  }
  const r = v.safeParse(GraphSchema, data);
  if (!r.success) {
    // The deepest issue names the field; union/variant issues nest theirs.
    let issue: v.BaseIssue<unknown> = r.issues[0];
    while (issue.issues && issue.issues.length > 0 && issue.type !== 'union') issue = issue.issues[0];
    const keys = (issue.path ?? []).map((p) => p.key);
    throw new GraphError(formatPath(keys), issue.message);
  }
  checkReferences(r.output);
  return r.output;
}

function checkReferences(g: Graph): void {
  const n = g.steps.length;
  const ref = (id: number | null, where: string) => {
    if (id !== null && id >= n) throw new GraphError(where, `refers to step ${id}, but there are ${n} steps`);
  };
  g.steps.forEach((s, i) => {
    if (s.id !== i) throw new GraphError(`$.steps[${i}].id`, `expected ${i} (ids are the step's index), got ${s.id}`);
    s.deps.forEach((d, j) => {
      ref(d, `$.steps[${i}].deps[${j}]`);
      if (d === i) throw new GraphError(`$.steps[${i}].deps[${j}]`, 'a step cannot depend on itself');
    });
    switch (s.kind) {
      case 'install_artifact':
        ref(s.data.artifact, `$.steps[${i}].data.artifact`);
        break;
      case 'run':
        s.data.argv.forEach((a, j) => {
          if ('artifact' in a) ref(a.artifact, `$.steps[${i}].data.argv[${j}].artifact`);
        });
        break;
      default:
        break;
    }
  });
  g.top_level_steps.forEach((t, i) => ref(t.step, `$.top_level_steps[${i}].step`));
  ref(g.default_step, '$.default_step');
  const cycle = findCycle(g);
  if (cycle !== null) throw new GraphError(`$.steps[${cycle}].deps`, 'dependency cycle');
}

/** A step on a dependency cycle, or null. Iterative (a hostile graph may be deep). */
export function findCycle(g: Pick<Graph, 'steps'>): number | null {
  const state = new Uint8Array(g.steps.length); // 0 new, 1 on stack, 2 done
  for (let root = 0; root < g.steps.length; root++) {
    if (state[root] !== 0) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [id, next] = top;
      const deps = g.steps[id].deps;
      if (next < deps.length) {
        top[1]++;
        const d = deps[next];
        if (state[d] === 1) return d;
        if (state[d] === 0) {
          state[d] = 1;
          stack.push([d, 0]);
        }
      } else {
        state[id] = 2;
        stack.pop();
      }
    }
  }
  return null;
}
