// `npm run bench:ui`: time to first drawing of the 5,000-step stress package in Chromium, against the
// static build. Not a test: it prints what it measured. For each engine it drops the package through
// the file input and reports
//   - load → drawn: from setInputFiles to the status turning "ready" with the DAG drawn (includes
//     unpacking, running build.zig in the worker and parsing the graph),
//   - draw: graph → elements → layout → Cytoscape's first rendered frame (data-draw-ms),
//   - expand all: drawing all ~5,000 steps after "Expand all".
// Median of `--runs N` (default 3) fresh page loads.

import path from 'node:path';
import { graphAttrs, openPackage, ROOT, startHarness } from './harness.ts';

const STRESS = path.join(ROOT, 'public', 'stress', 'stress-5000.tar.gz');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const h = await startHarness();
  const rows: string[] = [];
  try {
    for (const engine of ['native', 'interp'] as const) {
      const total: number[] = [];
      const draw: number[] = [];
      const layout: number[] = [];
      const expand: number[] = [];
      let nodes = 0;
      let all = 0;
      for (let i = 0; i < RUNS; i++) {
        await h.page.goto(h.url);
        await h.page.selectOption('select[aria-label="Engine"]', engine);
        const t0 = performance.now();
        const phase = await openPackage(h.page, STRESS);
        if (phase !== 'ready') throw new Error(`stress package ended in phase ${phase}`);
        await h.page.waitForFunction(() => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) > 0);
        total.push(performance.now() - t0);
        const a = await graphAttrs(h.page);
        draw.push(a['draw-ms']);
        layout.push(Number(await h.page.getAttribute('[data-testid=graph]', 'data-layout-ms')));
        nodes = a.nodes;
        await h.page.click('button:has-text("Expand all")');
        await h.page.waitForFunction((n) => document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes') === String(n), a['steps-total'] + 1, { timeout: 60_000 });
        const b = await graphAttrs(h.page);
        expand.push(b['draw-ms']);
        all = b.nodes;
      }
      rows.push(
        `| ${engine} | ${nodes} | ${median(total).toFixed(0)} | ${median(draw).toFixed(0)} | ${median(layout).toFixed(0)} | ${all} | ${median(expand).toFixed(0)} |`,
      );
    }
  } finally {
    await h.close();
  }
  console.log(`\nStress package (${path.relative(ROOT, STRESS)}), Chromium headless, median of ${RUNS} runs (ms):\n`);
  console.log('| engine | nodes drawn first | load → drawn | first draw | of which elements + layout | nodes after expand all | expand-all draw |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
}

await main();
