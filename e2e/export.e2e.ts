// Exports in a real browser: the graph as SVG (well-formed XML, one node per drawn step, hostile names kept
// as text) and PNG (a real PNG of nonzero size), the trace as JSON Lines (one record per syscall, the
// same calls the audit pipeline records for the same package in this process). Downloads are named after
// the package.

import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPolicy, loadPackageArchive, runAudit } from '../src/audit/index.ts';
import { interpEngine } from '../src/interp/index.ts';
import { expectedFor } from './expected.ts';
import { guestWasm, HOSTILE_NAME, hostileGraph, packageTarball } from './fixtures.ts';
import { graphAttrs, ROOT, screenshot, settle, type Harness } from './harness.ts';
import { useHarness } from './suite.ts';

const EXFIL = path.join(ROOT, 'public', 'examples', 'c-exfiltrate.tar.gz');

let h: Harness;
let scratch: string;

useHarness((x) => (h = x));

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-e2e-export-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Click an export button and return the download's name and bytes. */
async function download(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  if ((await page.locator('[data-testid=share-panel]').count()) === 0) await page.click('[data-testid=share-toggle]');
  const [d] = (await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)])) as [Download, unknown];
  const file = path.join(scratch, d.suggestedFilename());
  await d.saveAs(file);
  return { name: d.suggestedFilename(), bytes: readFileSync(file) };
}

/** Parse an SVG in the page (the browser's XML parser) and say what it holds. */
async function svgFacts(page: Page, text: string) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return {
      error: doc.getElementsByTagName('parsererror').length > 0 ? (doc.getElementsByTagName('parsererror')[0].textContent ?? 'parse error') : null,
      root: doc.documentElement.localName,
      nodes: doc.querySelectorAll('g.node').length,
      steps: [...doc.querySelectorAll('g.node[data-step]')].map((g) => Number(g.getAttribute('data-step'))),
      edges: doc.querySelectorAll('line.edge').length,
      titles: [...doc.querySelectorAll('g.node > title')].map((x) => x.textContent ?? ''),
      scripts: doc.querySelectorAll('script, foreignObject, [onload], [onerror]').length,
    };
  }, text);
}

describe('exports', () => {
  it('the graph as SVG and PNG and the trace as JSON Lines, named after the package', async () => {
    const bytes = new Uint8Array(readFileSync(EXFIL));
    const want = await expectedFor(bytes);
    await h.page.goto(h.url);
    await h.page.waitForSelector('[data-testid=samples] [data-sample=c-exfiltrate]');
    await h.page.click('[data-testid=samples] [data-sample=c-exfiltrate]');
    expect(await settle(h.page)).toBe('ready');
    const drawn = await graphAttrs(h.page);
    expect(drawn.nodes).toBe(want.steps + 1);
    expect(drawn.edges).toBe(want.edges);

    const svg = await download(h.page, 'export-svg');
    expect(svg.name).toBe('c-exfiltrate.graph.svg');
    const facts = await svgFacts(h.page, svg.bytes.toString('utf8'));
    expect(facts.error).toBeNull();
    expect(facts.root).toBe('svg');
    // A node per drawn step (plus the configure node), every step once; an edge per drawn edge.
    expect(facts.nodes).toBe(drawn.nodes);
    expect([...facts.steps].sort((a, b) => a - b)).toEqual(Array.from({ length: want.steps }, (_, i) => i));
    expect(facts.edges).toBe(drawn.edges);
    expect(facts.titles).toContain('run sh');

    const png = await download(h.page, 'export-png');
    expect(png.name).toBe('c-exfiltrate.graph.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(0);
    expect(png.bytes.readUInt32BE(20)).toBeGreaterThan(0);
    expect(png.bytes.length).toBeGreaterThan(1000);

    const jsonl = await download(h.page, 'export-jsonl');
    expect(jsonl.name).toBe('c-exfiltrate.trace.jsonl');
    const text = jsonl.bytes.toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as { seq: number; fn: string; errno: string });
    const recorded = Number(/([\d,]+) recorded/.exec((await h.page.textContent('[data-testid=trace-count]')) ?? '')![1].replace(/,/g, ''));
    expect(lines).toHaveLength(recorded);
    expect(lines).toHaveLength(want.syscalls);
    // The same calls, in order, as the audit pipeline records for this package (interp, audit policy).
    const audit = runAudit({ fs: await loadPackageArchive(bytes), policy: auditPolicy(), engine: interpEngine, captureStack: true });
    expect(lines.map(({ seq, fn, errno }) => ({ seq, fn, errno }))).toEqual(audit.trace.map(({ seq, fn, errno }) => ({ seq, fn, errno })));
    await screenshot(h.page, 'export-menu');
  });

  it('keeps hostile step names as text in the SVG', async () => {
    const file = path.join(scratch, 'hostile pkg.tar.gz');
    writeFileSync(file, await packageTarball(await guestWasm({ print: hostileGraph() })));
    await h.page.goto(h.url);
    await h.page.locator('[data-testid=file-input]').first().setInputFiles(file);
    expect(await settle(h.page)).toBe('ready');
    const svg = await download(h.page, 'export-svg');
    expect(svg.name).toBe('hostile_pkg.graph.svg');
    const facts = await svgFacts(h.page, svg.bytes.toString('utf8'));
    expect(facts.error).toBeNull();
    expect(facts.scripts).toBe(0);
    expect(facts.titles).toContain(HOSTILE_NAME);
    expect(await h.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
