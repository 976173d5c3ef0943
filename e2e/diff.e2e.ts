// The version diff view (issue #6, item 8) in a real browser against the static build. Every expected value
// is computed in this process by src/audit (runAudit on the same tarballs with the default audit policy,
// then diffAudits), never hard-coded.

import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPolicy, diffAudits, loadPackageArchive, runAudit, type AuditResult, type VersionDiff } from '../src/audit/index.ts';
import { interpEngine } from '../src/interp/index.ts';
import { denyingRule } from '../src/worker/denied.ts';
import { ROOT, screenshot, type Harness } from './harness.ts';
import { useHarness } from './suite.ts';

const EXAMPLES = path.join(ROOT, 'public', 'examples');
const tgz = (name: string) => path.join(EXAMPLES, `${name}.tar.gz`);

let h: Harness;
let scratch: string;
const audits = new Map<string, AuditResult>();

async function audit(name: string): Promise<AuditResult> {
  let r = audits.get(name);
  if (!r) {
    r = runAudit({ fs: await loadPackageArchive(new Uint8Array(readFileSync(tgz(name)))), policy: auditPolicy(), engine: interpEngine });
    audits.set(name, r);
  }
  return r;
}

async function openDiff(): Promise<void> {
  await h.page.goto(h.url);
  await h.page.click('[data-testid=diff-open]');
  await h.page.waitForSelector('[data-testid=diff-view]');
}

async function waitDone(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=diff-view][data-phase=done]', { timeout: 180_000 });
}

/** The syscall table rows as the page shows them. */
async function syscallTable(which: 'added' | 'removed') {
  return h.page.$$eval(`[data-testid=diff-syscalls-${which}] tr[data-label]`, (trs) =>
    trs.map((tr) => ({ label: tr.getAttribute('data-label'), a: Number(tr.getAttribute('data-count-a')), b: Number(tr.getAttribute('data-count-b')), deniedBy: tr.getAttribute('data-denied-by') })),
  );
}

const wantTable = (d: VersionDiff, which: 'added' | 'removed') =>
  d.syscalls[which].map((c) => ({ label: c.label, a: c.countA, b: c.countB, deniedBy: denyingRule(c.record) ?? '' }));

async function summary() {
  const el = h.page.locator('[data-testid=diff-summary]');
  const out: Record<string, number> = {};
  for (const k of ['steps-a', 'steps-b', 'cap-denials-a', 'cap-denials-b', 'syscall-denials-a', 'syscall-denials-b']) out[k] = Number(await el.getAttribute(`data-${k}`));
  return out;
}

const wantSummary = (a: AuditResult, b: AuditResult) => ({
  'steps-a': a.graph!.steps.length,
  'steps-b': b.graph!.steps.length,
  'cap-denials-a': a.capDenials.length,
  'cap-denials-b': b.capDenials.length,
  'syscall-denials-a': a.syscallDenials.length,
  'syscall-denials-b': b.syscallDenials.length,
});

/** The capability rows listed under a step (by status and name). */
async function capsOf(status: string, name: string) {
  const li = h.page.locator(`[data-testid=diff-step][data-status=${status}][data-name="${name}"]`);
  await li.waitFor();
  return li.locator('[data-testid=diff-cap]').evaluateAll((trs) =>
    trs.map((tr) => `${tr.getAttribute('data-change')} ${tr.getAttribute('data-kind')} ${tr.getAttribute('data-target')} A:${tr.getAttribute('data-verdict-a')} B:${tr.getAttribute('data-verdict-b')}`),
  );
}

/** Wait until the Cytoscape instance holds the elements (its attributes are set after the first render). */
async function graphClasses() {
  const el = h.page.locator('[data-testid=diff-graph]');
  await h.page.waitForFunction(() => Number(document.querySelector('[data-testid=diff-graph]')?.getAttribute('data-nodes')) > 0, undefined, { timeout: 30_000 });
  const get = async (k: string) => ((await el.getAttribute(`data-${k}`)) ?? '').split(' ').filter(Boolean);
  return { nodes: Number(await el.getAttribute('data-nodes')), added: await get('added'), removed: await get('removed'), changed: await get('changed'), denied: await get('denied') };
}

useHarness((x) => (h = x));

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-e2e-diff-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('version diff', () => {
  it('the v1/v2 example pair: check zig version added, with its denied exec and net requests', async () => {
    const [a, b] = [await audit('g-v1'), await audit('g-v2')];
    const d = diffAudits(a, b);
    const addedId = b.graph!.steps.findIndex((s) => s.name === 'check zig version');
    expect(d.graph!.added).toEqual([addedId]);

    await openDiff();
    await h.page.click('[data-testid=diff-example]');
    await waitDone(h.page);
    expect(await h.page.textContent('[data-testid=diff-name-a]')).toBe('g-v1.tar.gz');
    expect(await h.page.textContent('[data-testid=diff-name-b]')).toBe('g-v2.tar.gz');
    expect(await summary()).toEqual(wantSummary(a, b));
    expect(await h.page.getAttribute('[data-testid=diff-summary]', 'data-regressed')).toBe(String(d.regressed));

    // On the graph: the added node is B's step, drawn with the 'added' and 'denied' classes.
    const g = await graphClasses();
    expect(g.nodes).toBe(b.graph!.steps.length + d.graph!.removed.length);
    expect(g.added).toEqual([`b${addedId}`]);
    expect(g.removed).toEqual([]);
    expect(g.changed.sort()).toEqual(d.graph!.changed.map((c) => `b${c.after}`).sort());
    expect(g.denied).toContain(`b${addedId}`);

    // In the list: each capability it requests, denied by B's policy with the rule src/audit names.
    const caps = await capsOf('added', 'check zig version');
    expect(caps).toEqual(b.graph!.steps[addedId].caps.map((c) => `added ${c.kind} ${c.target} A:none B:deny`));
    expect(caps.map((c) => c.split(' ')[1])).toEqual(['exec', 'net']);
    const rules = await h.page.locator('[data-testid=diff-step][data-status=added] [data-testid=diff-cap] td:nth-child(4)').allTextContents();
    expect(rules).toEqual(d.capsAddedDenied.map((c) => `deny (${c.rule})`));

    // The syscall tables are diffAudits' (v2's extra logic is in the graph, so both are empty here).
    expect(await syscallTable('added')).toEqual(wantTable(d, 'added'));
    expect(await syscallTable('removed')).toEqual(wantTable(d, 'removed'));
    expect(Number(await h.page.getAttribute('[data-testid=diff-syscalls-added]', 'data-count'))).toBe(d.syscalls.added.length);
    expect(await h.page.textContent('[data-testid=diff-cli]')).toContain('npx sandbuild diff g-v1.tar.gz g-v2.tar.gz');
    await screenshot(h.page, 'diff-v1-v2');

    // Close returns to the work area (here the start screen: nothing was loaded).
    await h.page.click('[data-testid=diff-close]');
    await h.page.waitForSelector('[data-testid=diff-view]', { state: 'detached' });
    await h.page.waitForSelector('[data-testid=samples]');
  });

  it('two file inputs, reversed (v2 as A, v1 as B): the step shows as removed', async () => {
    const [a, b] = [await audit('g-v2'), await audit('g-v1')];
    const d = diffAudits(a, b);
    const removedId = a.graph!.steps.findIndex((s) => s.name === 'check zig version');
    expect(d.graph!.removed).toEqual([removedId]);

    await openDiff();
    await h.page.locator('[data-testid=diff-file-a]').setInputFiles(tgz('g-v2'));
    await h.page.locator('[data-testid=diff-file-b]').setInputFiles(tgz('g-v1'));
    await h.page.click('[data-testid=diff-run]');
    await waitDone(h.page);
    expect(await summary()).toEqual(wantSummary(a, b));
    const g = await graphClasses();
    expect(g.removed).toEqual([`a${removedId}`]);
    expect(g.added).toEqual([]);
    expect(await capsOf('removed', 'check zig version')).toEqual(a.graph!.steps[removedId].caps.map((c) => `removed ${c.kind} ${c.target} A:deny B:none`));
    expect(await syscallTable('added')).toEqual(wantTable(d, 'added'));
    expect(await syscallTable('removed')).toEqual(wantTable(d, 'removed'));
    expect(await h.page.getAttribute('[data-testid=diff-summary]', 'data-regressed')).toBe('false');
    await screenshot(h.page, 'diff-v2-v1');
  });

  it('new configure-time syscalls: a-hello-lib -> c-exfiltrate lists each with its count and denying rule', async () => {
    const [a, b] = [await audit('a-hello-lib'), await audit('c-exfiltrate')];
    const d = diffAudits(a, b);
    expect(d.syscallDenialsAdded.length).toBeGreaterThan(0);
    await openDiff();
    await h.page.locator('[data-testid=diff-file-a]').setInputFiles(tgz('a-hello-lib'));
    await h.page.locator('[data-testid=diff-file-b]').setInputFiles(tgz('c-exfiltrate'));
    await h.page.click('[data-testid=diff-run]');
    await waitDone(h.page);
    expect(await syscallTable('added')).toEqual(wantTable(d, 'added'));
    expect(await syscallTable('removed')).toEqual(wantTable(d, 'removed'));
    expect(await summary()).toEqual(wantSummary(a, b));
  });

  it('a file dropped on a side is picked for that side and not opened in the work area', async () => {
    await openDiff();
    const b64 = readFileSync(tgz('g-v1')).toString('base64');
    const dt = await h.page.evaluateHandle((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const t = new DataTransfer();
      t.items.add(new File([bytes], 'dropped-v1.tar.gz', { type: 'application/gzip' }));
      return t;
    }, b64);
    for (const type of ['dragenter', 'dragover', 'drop']) await h.page.dispatchEvent('[data-testid=diff-side-b]', type, { dataTransfer: dt });
    expect(await h.page.textContent('[data-testid=diff-name-b]')).toBe('dropped-v1.tar.gz');
    expect(await h.page.getAttribute('[data-testid=status]', 'data-phase')).toBe('empty');
    await h.page.locator('[data-testid=diff-file-a]').setInputFiles(tgz('g-v2'));
    await h.page.click('[data-testid=diff-run]');
    await waitDone(h.page);
    const a = await audit('g-v2');
    expect((await graphClasses()).removed).toEqual([`a${a.graph!.steps.findIndex((s) => s.name === 'check zig version')}`]);
    // By now a load started by the window's drop handler would have left 'empty'.
    expect(await h.page.getAttribute('[data-testid=status]', 'data-phase')).toBe('empty');
  });

  it('bad input is reported on its own side; the loaded package can be side A', async () => {
    const notes = path.join(scratch, 'notes.tar.gz');
    writeFileSync(notes, 'not a tarball at all');
    await openDiff();
    await h.page.locator('[data-testid=diff-file-a]').setInputFiles(notes);
    await h.page.locator('[data-testid=diff-file-b]').setInputFiles(tgz('g-v1'));
    await h.page.click('[data-testid=diff-run]');
    await waitDone(h.page);
    expect(await h.page.getAttribute('[data-testid=diff-side-a]', 'data-state')).toBe('error');
    expect(await h.page.getAttribute('[data-testid=diff-error-a]', 'data-phase')).toBe('archive');
    expect(await h.page.textContent('[data-testid=diff-error-a]')).toContain('notes.tar.gz');
    expect(await h.page.getAttribute('[data-testid=diff-side-b]', 'data-state')).toBe('done');
    expect(await h.page.locator('[data-testid=diff-error-b]').count()).toBe(0);
    expect(await h.page.locator('[data-testid=diff-graph]').count()).toBe(0);

    // Load g-v2 in the work area, then compare it (as A) with v1.
    await h.page.click('[data-testid=diff-close]');
    await h.page.locator('[data-testid=file-input]').first().setInputFiles(tgz('g-v2'));
    await h.page.waitForSelector('[data-testid=status][data-phase=ready]', { timeout: 120_000 });
    await h.page.click('[data-testid=diff-open]');
    expect(await h.page.textContent('[data-testid=diff-name-a]')).toBe('g-v2.tar.gz');
    await h.page.locator('[data-testid=diff-file-b]').setInputFiles(tgz('g-v1'));
    await h.page.click('[data-testid=diff-run]');
    await waitDone(h.page);
    const a = await audit('g-v2');
    const removedId = a.graph!.steps.findIndex((s) => s.name === 'check zig version');
    expect((await graphClasses()).removed).toEqual([`a${removedId}`]);
    // Close shows the work area with the loaded package again.
    await h.page.click('[data-testid=diff-close]');
    await h.page.waitForSelector('[data-testid=graph]');
  });
});
