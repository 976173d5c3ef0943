import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGraphText } from '../../../graph/index.ts';
import { graphJson } from './graph-json.ts';

const RUNNER_OUTPUT = path.resolve(import.meta.dirname, '../../../graph/testdata/runner-output.json');

describe('graphJson', () => {
  it('indexes every step at the line that opens it, wherever its id key sits', () => {
    const graph = parseGraphText(readFileSync(RUNNER_OUTPUT, 'utf8'));
    expect(graph.steps.length).toBeGreaterThan(2);
    // Put a nested object with its own "id" first in one step: only the step's own id may count.
    const shuffled = { ...graph, steps: graph.steps.map((s, i) => (i === 1 ? { meta: { id: 999 }, ...s } : s)) };
    const { text, stepLines } = graphJson(shuffled as typeof graph);
    expect(text).toBe(JSON.stringify(shuffled, null, 2));
    const lines = text.split('\n');
    expect([...stepLines.keys()].sort((a, b) => a - b)).toEqual(graph.steps.map((s) => s.id).sort((a, b) => a - b));
    for (const s of graph.steps) {
      const at = stepLines.get(s.id)!;
      expect(lines[at - 1]).toBe('    {');
      // The step's own "id" line follows before the step closes.
      const close = lines.findIndex((l, i) => i >= at && (l === '    },' || l === '    }'));
      const own = lines.slice(at, close).filter((l) => l.startsWith('      "id": '));
      expect(own.map((l) => l.replace(/,$/, ''))).toEqual([`      "id": ${s.id}`]);
    }
  });

  it('finds nothing in a graph without steps', () => {
    expect(graphJson({ version: 1, steps: [] } as never).stepLines.size).toBe(0);
  });
});
