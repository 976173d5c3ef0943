// The raw graph JSON as the JSON pane shows it, and where each step starts in that text, so the pane can
// reveal the selected step without searching the text on every click.

import type { Graph } from '../../../graph/index.ts';

export interface GraphJson {
  text: string;
  /** Step id → 1-based line of the `{` that opens the step in `text`. */
  stepLines: Map<number, number>;
}

/** Above this the pane shows a note instead of the text (Monaco copes, but the JSON service would not). */
export const MAX_GRAPH_JSON_CHARS = 16 << 20;

/**
 * Pretty-print the graph (2-space indent) and index its steps. With that indent a step of the top-level
 * `steps` array opens on a line of exactly four spaces and `{`, and its own keys sit at six spaces, so
 * one pass over the lines finds each step's `"id"`.
 */
export function graphJson(graph: Graph): GraphJson {
  const text = JSON.stringify(graph, null, 2);
  const stepLines = new Map<number, number>();
  let inSteps = false;
  let open = -1;
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const s = text.slice(start, end);
    if (!inSteps) {
      if (s === '  "steps": [') inSteps = true;
    } else if (s === '  ]' || s === '  ],') {
      break;
    } else if (s === '    {') {
      open = line;
    } else if (open > 0 && s.startsWith('      "id": ')) {
      const id = Number.parseInt(s.slice(12), 10);
      if (Number.isInteger(id)) stepLines.set(id, open);
      open = -1;
    }
    start = end + 1;
  }
  return { text, stepLines };
}
