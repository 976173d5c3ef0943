// A layered layout in linear time, for graphs far past what dagre or ELK draw in time (the issue measured
// dagre at 68 s and ELK at 45 s for 5,000 nodes). Layers are longest-path layering (a step sits one column
// right of its deepest dependency, so every edge points right); order within a layer is the barycenter
// heuristic (Sugiyama et al. 1981), a few sweeps for big graphs and more for small ones. Layers taller than
// `maxRows` wrap into extra sub-columns so a 1,000-wide layer does not become a 1,000-row line.
// Pure: (nodes, edges) → positions.

export interface LayoutInput {
  /** Node ids, in a stable order (used as the initial order within a layer). */
  nodes: number[];
  /** [from, to] pairs meaning `to` depends on `from` (drawn left to right). Unknown ids are ignored. */
  edges: [number, number][];
}

export interface LayoutOptions {
  columnWidth?: number;
  rowHeight?: number;
  maxRows?: number;
  /** Barycenter sweeps; default 8 below 500 nodes, else 2. */
  sweeps?: number;
}

export interface Layout {
  positions: Map<number, { x: number; y: number }>;
  layers: number;
  width: number;
  height: number;
}

export const COLUMN_WIDTH = 230;
export const ROW_HEIGHT = 46;
export const MAX_ROWS = 40;

export function layeredLayout(input: LayoutInput, opts: LayoutOptions = {}): Layout {
  const colW = opts.columnWidth ?? COLUMN_WIDTH;
  const rowH = opts.rowHeight ?? ROW_HEIGHT;
  const maxRows = Math.max(1, opts.maxRows ?? MAX_ROWS);
  const n = input.nodes.length;
  const sweeps = opts.sweeps ?? (n < 500 ? 8 : 2);
  const index = new Map<number, number>();
  input.nodes.forEach((id, i) => index.set(id, i));

  // Adjacency by dense index; self-loops and unknown ids dropped (the schema rejects cycles, but a
  // layout must never loop, so layering below is a Kahn topological pass that ignores leftovers).
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const [f, t] of input.edges) {
    const a = index.get(f);
    const b = index.get(t);
    if (a === undefined || b === undefined || a === b) continue;
    preds[b].push(a);
    succs[a].push(b);
  }

  // Longest-path layering via Kahn's algorithm: O(V + E).
  const layer = new Int32Array(n);
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) indeg[i] = preds[i].length;
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q];
    for (const v of succs[u]) {
      if (layer[u] + 1 > layer[v]) layer[v] = layer[u] + 1;
      if (--indeg[v] === 0) queue.push(v);
    }
  }
  let layers = 0;
  for (let i = 0; i < n; i++) layers = Math.max(layers, layer[i] + 1);

  // Initial order: input order within each layer.
  const byLayer: number[][] = Array.from({ length: layers }, () => []);
  for (let i = 0; i < n; i++) byLayer[layer[i]].push(i);
  const pos = new Float64Array(n);
  const renumber = (list: number[]) => list.forEach((v, k) => (pos[v] = k));
  byLayer.forEach(renumber);

  // Barycenter sweeps: left to right by predecessors, then right to left by successors.
  const sortBy = (list: number[], nb: number[][]) => {
    const key = new Float64Array(list.length);
    list.forEach((v, k) => {
      const ns = nb[v];
      if (ns.length === 0) key[k] = pos[v];
      else {
        let s = 0;
        for (const u of ns) s += pos[u];
        key[k] = s / ns.length;
      }
    });
    const order = list.map((_, k) => k).sort((a, b) => key[a] - key[b] || pos[list[a]] - pos[list[b]]);
    const sorted = order.map((k) => list[k]);
    renumber(sorted);
    return sorted;
  };
  for (let s = 0; s < sweeps; s++) {
    for (let l = 1; l < layers; l++) byLayer[l] = sortBy(byLayer[l], preds);
    for (let l = layers - 2; l >= 0; l--) byLayer[l] = sortBy(byLayer[l], succs);
  }

  // Coordinates: wrap tall layers into sub-columns, centre every column vertically.
  const positions = new Map<number, { x: number; y: number }>();
  let column = 0;
  let height = 0;
  for (const list of byLayer) {
    const cols = Math.max(1, Math.ceil(list.length / maxRows));
    const rows = Math.ceil(list.length / cols);
    height = Math.max(height, rows * rowH);
    list.forEach((v, k) => {
      const c = Math.floor(k / rows);
      const r = k % rows;
      const inCol = c === cols - 1 ? list.length - c * rows : rows;
      positions.set(input.nodes[v], { x: (column + c) * colW, y: (r - (inCol - 1) / 2) * rowH });
    });
    column += cols;
  }
  return { positions, layers, width: Math.max(0, column - 1) * colW, height };
}
