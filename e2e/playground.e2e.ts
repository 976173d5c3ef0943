// The playground in a real browser (Debian's Chromium through playwright-core) against the static build.
// Every expectation about a package is computed by the audit pipeline in this process, from the same
// tarball the test drops into the page.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFor } from './expected.ts';
import { guestWasm, HOSTILE_ARG, HOSTILE_NAME, hostileGraph, packageTarball } from './fixtures.ts';
import { typeInto } from './editor-support.ts';
import { graphAttrs, openPackage, ROOT, screenshot, settle, type Harness } from './harness.ts';
import { useHarness } from './suite.ts';

const EXAMPLES = path.join(ROOT, 'public', 'examples');
const STRESS = path.join(ROOT, 'public', 'stress', 'stress-5000.tar.gz');

let h: Harness;
let scratch: string;

async function fresh(): Promise<void> {
  await h.page.goto(h.url);
  await h.page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
}

async function traceCounts(): Promise<{ shown: number; recorded: number }> {
  const text = (await h.page.textContent('[data-testid=trace-count]')) ?? '';
  const m = /([\d,]+) shown · ([\d,]+) recorded/.exec(text);
  if (!m) throw new Error(`unexpected trace count text: ${text}`);
  return { shown: Number(m[1].replace(/,/g, '')), recorded: Number(m[2].replace(/,/g, '')) };
}

/** Write bytes to a file for the file input. */
function file(name: string, bytes: Uint8Array): string {
  const p = path.join(scratch, name);
  writeFileSync(p, bytes);
  return p;
}

// After every test: no uncaught error and nothing logged as an error, whatever the test did.
useHarness((x) => (h = x));

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-e2e-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('playground', () => {
  it('lists the examples in the sample gallery', async () => {
    await fresh();
    await h.page.waitForSelector('[data-testid=samples] button');
    const names = await h.page.$$eval('[data-testid=samples] [data-sample]', (els) => els.map((e) => e.getAttribute('data-sample')));
    const onDisk = readdirSync(EXAMPLES).filter((f) => f.endsWith('.tar.gz')).map((f) => f.replace(/\.tar\.gz$/, ''));
    for (const n of onDisk) expect(names).toContain(n);
    await screenshot(h.page, 'start');
  });

  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.tar.gz')).sort();
  for (const f of examples) {
    it(`shows what the audit reports for ${f}`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(EXAMPLES, f)));
      const want = await expectedFor(bytes);
      await fresh();
      expect(await openPackage(h.page, path.join(EXAMPLES, f))).toBe('ready');
      const got = await graphAttrs(h.page);
      // Small graphs are drawn whole: every step, plus the configure node.
      expect(got['steps-total']).toBe(want.steps);
      expect(got.nodes).toBe(want.steps + 1);
      expect(got.edges).toBe(want.edges);
      expect(got.denied).toBe(want.deniedSteps);
      expect(got.blocked).toBe(want.blocked);
      expect(got['configure-denied']).toBe(want.syscallDenials);
      expect((await traceCounts()).recorded).toBe(want.syscalls);
      await screenshot(h.page, f.replace(/\.tar\.gz$/, ''));
    });
  }

  it('shows the exfiltration package as its README promises', async () => {
    await fresh();
    expect(await openPackage(h.page, path.join(EXAMPLES, 'c-exfiltrate.tar.gz'))).toBe('ready');
    // The configure node is red: configuring had denied syscalls.
    expect((await graphAttrs(h.page))['configure-denied']).toBeGreaterThan(0);
    // The `curl | sh` step is denied, with the rule named.
    await h.page.fill('input[aria-label="Search steps"]', 'run sh');
    await h.page.press('input[aria-label="Search steps"]', 'Enter');
    await h.page.waitForSelector('[data-testid=details-denied]');
    expect(await h.page.textContent('[data-testid=details-name]')).toBe('run sh');
    const denied = (await h.page.textContent('[data-testid=details-denied]')) ?? '';
    expect(denied).toContain('exec sh');
    expect(denied).toContain('net');
    expect(await h.page.locator('.caps tr.bad').count()).toBeGreaterThanOrEqual(2);
    await screenshot(h.page, 'c-exfiltrate-details');
    // Focus: the step, what it depends on and what depends on it (run sh → install).
    await h.page.click('[data-testid=details] button:has-text("Focus")');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=graph]')?.getAttribute('data-focused') === '2');
    await screenshot(h.page, 'c-exfiltrate-focus');
  });

  it('filters the trace to denied calls', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(EXAMPLES, 'c-exfiltrate.tar.gz')));
    const want = await expectedFor(bytes);
    await fresh();
    await openPackage(h.page, path.join(EXAMPLES, 'c-exfiltrate.tar.gz'));
    await h.page.check('[data-testid=denied-only]');
    await h.page.waitForFunction((n) => document.querySelector('[data-testid=trace-count]')?.textContent?.startsWith(`${n} shown`), want.syscallDenials);
    expect((await traceCounts()).shown).toBe(want.syscallDenials);
    const rows = h.page.locator('[data-testid=trace-row]');
    await h.page.waitForFunction((n) => document.querySelectorAll('[data-testid=trace-row]').length === n, want.syscallDenials);
    const n = await rows.count();
    expect(n).toBe(want.syscallDenials);
    for (let i = 0; i < n; i++) expect(await rows.nth(i).getAttribute('class')).toContain('denied');
    // By path too.
    await h.page.uncheck('[data-testid=denied-only]');
    await h.page.fill('input[aria-label="Filter by path"]', '.npmrc');
    await h.page.waitForFunction(() => document.querySelectorAll('[data-testid=trace-row]').length === 1);
    expect(await rows.first().textContent()).toContain('.npmrc');
    await screenshot(h.page, 'trace-filtered');
  });

  it('re-runs and redraws when an option changes', async () => {
    const f = path.join(EXAMPLES, 'f-optional-fetch.tar.gz');
    const bytes = new Uint8Array(readFileSync(f));
    const before = await expectedFor(bytes);
    const after = await expectedFor(bytes, { 'fetch-assets': 'true' });
    expect(after.steps).not.toBe(before.steps);
    await fresh();
    await openPackage(h.page, f);
    expect((await graphAttrs(h.page)).nodes).toBe(before.steps + 1);
    await h.page.click('[role=tab]:has-text("Options")');
    await h.page.selectOption('select[data-option="fetch-assets"]', 'true');
    await h.page.waitForFunction((n) => document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes') === String(n), after.steps + 1, { timeout: 120_000 });
    const got = await graphAttrs(h.page);
    expect(got.denied).toBe(after.deniedSteps);
    expect(got.blocked).toBe(after.blocked);
    await screenshot(h.page, 'f-optional-fetch-with-fetch');
  });

  it('re-runs under another policy from the policy panel', async () => {
    await fresh();
    await openPackage(h.page, path.join(EXAMPLES, 'c-exfiltrate.tar.gz'));
    expect((await graphAttrs(h.page)).denied).toBeGreaterThan(0);
    await h.page.click('[role=tab]:has-text("Policy")');
    await screenshot(h.page, 'policy-panel');
    // Permissive allows every capability: nothing denied, nothing blocked (escapes stay refused).
    await h.page.selectOption('#preset', 'permissive');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=graph]')?.getAttribute('data-denied') === '0');
    expect((await graphAttrs(h.page)).blocked).toBe(0);
    // An invalid edit is refused with the validator's message and changes nothing.
    await typeInto(h.page, 'policy-editor', '{"version": 2}');
    await h.page.click('button:has-text("Apply and re-run")');
    expect(await h.page.textContent('.policy .err')).toContain('version');
    expect((await graphAttrs(h.page)).denied).toBe(0);
  });

  it('never turns hostile strings into markup', async () => {
    await fresh();
    const p = file('hostile.tar.gz', await packageTarball(await guestWasm({ print: hostileGraph() })));
    expect(await openPackage(h.page, p)).toBe('ready');
    await h.page.fill('input[aria-label="Search steps"]', 'img');
    await h.page.press('input[aria-label="Search steps"]', 'Enter');
    await h.page.waitForSelector('[data-testid=details-name]');
    expect(await h.page.textContent('[data-testid=details-name]')).toBe(HOSTILE_NAME);
    expect(await h.page.textContent('[data-testid=details]')).toContain(HOSTILE_ARG.slice(2));
    await h.page.click('[role=tab]:has-text("Options")');
    await h.page.click('[role=tab]:has-text("Output")');
    expect(await h.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await h.page.locator('img, script:not([type=module])').count()).toBe(0);
    await h.page.click('[role=tab]:has-text("Step")');
    await screenshot(h.page, 'hostile');
  });

  it('shows a message for each error state, never a blank page', async () => {
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['broken.tar.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]), 'archive', /archive/i],
      ['trap.tar.gz', await packageTarball(await guestWasm({ trap: true })), 'trap', /unreachable/],
      ['exit.tar.gz', await packageTarball(await guestWasm({ exit: 3, stderr: 'error: no such option\n' })), 'trap', /exited with code 3/],
      ['invalid-graph.tar.gz', await packageTarball(await guestWasm({ print: '{"version":1,"steps":"nope"}' })), 'graph', /\$\./],
      ['no-wasm.tar.gz', await packageTarball(null), 'package', /npx sandbuild compile/],
    ];
    for (const [name, bytes, phase, message] of cases) {
      await fresh();
      expect(await openPackage(h.page, file(name, bytes))).toBe('error');
      expect(await h.page.getAttribute('[data-testid=error]', 'data-phase')).toBe(phase);
      expect((await h.page.textContent('[data-testid=error]')) ?? '').toMatch(message);
      await screenshot(h.page, `error-${name.replace(/\.tar\.gz$/, '')}`);
    }
  });

  it('draws the 5,000-step stress package and stays interactive', async () => {
    const bytes = new Uint8Array(readFileSync(STRESS));
    const want = await expectedFor(bytes);
    expect(want.steps).toBeGreaterThanOrEqual(5000);
    await fresh();
    expect(await openPackage(h.page, STRESS)).toBe('ready');
    const first = await graphAttrs(h.page);
    expect(first['steps-total']).toBe(want.steps);
    // Collapsed: the top-level steps and their direct dependencies only.
    expect(first.nodes).toBeGreaterThan(1);
    expect(first.nodes).toBeLessThan(want.steps);
    await screenshot(h.page, 'stress-collapsed');

    // Expand on demand: `install tool-0-0` has three hidden dependencies (compile, run, the group's curl).
    await h.page.fill('input[aria-label="Search steps"]', 'install tool-0-0');
    await h.page.press('input[aria-label="Search steps"]', 'Enter');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=details-name]')?.textContent === 'install tool-0-0');
    await h.page.click('[data-testid=details] button:has-text("Expand 3 dependencies")');
    await h.page.waitForFunction((n) => document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes') === String(n), first.nodes + 3);
    expect((await graphAttrs(h.page)).denied).toBe(1);

    await h.page.click('button:has-text("Expand all")');
    await h.page.waitForFunction((n) => document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes') === String(n), want.steps + 1, { timeout: 60_000 });
    const all = await graphAttrs(h.page);
    expect(all.denied).toBe(want.deniedSteps);
    expect(all.blocked).toBe(want.blocked);
    await screenshot(h.page, 'stress-expanded');

    // Still interactive: search selects a step and the details follow; zoom and fit answer.
    await h.page.fill('input[aria-label="Search steps"]', 'run tool-39-30');
    await h.page.press('input[aria-label="Search steps"]', 'Enter');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=details-name]')?.textContent?.includes('tool-39-30'), undefined, { timeout: 10_000 });
    await h.page.click('button[aria-label="Zoom in"]');
    await h.page.click('button:has-text("Fit")');
    const frameMs = await h.page.evaluate(
      () => new Promise<number>((resolve) => {
        const t0 = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      }),
    );
    expect(frameMs).toBeLessThan(5000);
    await screenshot(h.page, 'stress-search');
  });

  it('stays responsive while a guest makes 10^6 syscalls', async () => {
    const n = 1_000_000;
    await fresh();
    const p = file('million.tar.gz', await packageTarball(await guestWasm({ print: hostileGraph(), syscalls: n })));
    // Record every animation frame from the drop to the end of the run: the main thread must keep painting.
    await h.page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop?: boolean };
      w.__frames = [];
      w.__stop = false;
      const tick = () => {
        w.__frames.push(performance.now());
        if (!w.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await h.page.locator('[data-testid=file-input]').first().setInputFiles(p);
    expect(await settle(h.page)).toBe('ready');
    const frames = await h.page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop?: boolean };
      w.__stop = true;
      return w.__frames;
    });
    const gaps = frames.slice(1).map((t, i) => t - frames[i]);
    const longest = Math.max(...gaps);
    const span = frames[frames.length - 1] - frames[0];
    console.log(`10^6 syscalls: ${frames.length} frames in ${span.toFixed(0)} ms, longest gap between frames ${longest.toFixed(0)} ms`);
    // Relative to the run itself, not a wall-clock bound (a loaded machine stretches both): the page kept
    // painting all through the run, never stalling for a quarter of it.
    expect(longest).toBeLessThan(span / 4);
    // Every call arrived (in batches) and is counted: n sched_yield calls plus the setup and output calls.
    expect((await traceCounts()).recorded).toBeGreaterThan(n);
    await h.page.selectOption('select[aria-label="Filter by function"]', 'sched_yield');
    await h.page.waitForFunction((x) => document.querySelector('[data-testid=trace-count]')?.textContent?.startsWith(`${x.toLocaleString('en')} shown`), n);
    await screenshot(h.page, 'million-syscalls');
  });

  it('cancels a run and can run again', async () => {
    await fresh();
    await h.page.locator('[data-testid=file-input]').first().setInputFiles(STRESS);
    await h.page.waitForSelector('[data-testid=cancel]');
    await h.page.click('[data-testid=cancel]');
    expect(await settle(h.page)).toBe('error');
    expect(await h.page.getAttribute('[data-testid=error]', 'data-kind')).toBe('aborted');
    await h.page.click('button:has-text("Run again")');
    // The status still says 'error' until the new run starts; settling before that would read the old phase.
    await h.page.waitForFunction(() => document.querySelector('[data-testid=status]')?.getAttribute('data-phase') !== 'error', undefined, {
      timeout: 30_000,
      polling: 20,
    });
    expect(await settle(h.page)).toBe('ready');
  });
});
