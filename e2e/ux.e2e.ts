// Regressions from a first-use audit of the playground (issue #6 features): state that leaked from one
// package to the next, a comparison view that hid what the user had just asked for, a session's trace
// exported as a truncated run, the prompt's and the inspector's name for the root package, focus dropped
// to <body> after session actions, the share menu that would not close, the status bar clipped at
// 1280×720, a doubled link error, a stale diff result and empty tabs that did not say why. Every expected
// value is computed in this process from the same tarballs (src/audit, src/session, build.zig.zon).

import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answeredText } from '../src/app/panels/inspector/view-format.ts';
import { AUDIT_POLICY, PRESETS } from '../src/app/panels/policy/presets.ts';
import { loadPackageArchive } from '../src/audit/index.ts';
import { createSession } from '../src/session/index.ts';
import { rootPackageName } from '../src/worker/attribute-records.ts';
import { expectedFor } from './expected.ts';
import { guestWasm, packageTarball } from './fixtures.ts';
import { openPackage, ROOT, screenshot, settle, type Harness } from './harness.ts';
import { settled } from './session-helpers.ts';
import { useHarness } from './suite.ts';

const EXAMPLES = path.join(ROOT, 'public', 'examples');
const EXFIL = path.join(EXAMPLES, 'c-exfiltrate.tar.gz');
const VENDORED = path.join(EXAMPLES, 'e-vendored-deps.tar.gz');
const HELLO = path.join(EXAMPLES, 'a-hello-lib.tar.gz');
const ASK = PRESETS.find((p) => p.id === 'ask')!.policy;

let h: Harness;
let scratch: string;
useHarness((x) => (h = x));

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-ux-'));
});

const bytesOf = (f: string) => new Uint8Array(readFileSync(f));

async function fresh(): Promise<void> {
  await h.page.setViewportSize({ width: 1440, height: 900 });
  await h.page.goto(h.url);
  await h.page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
}

/**
 * Open a package over another one: harness.openPackage's settle() can see the previous run's "ready"
 * before the new load starts, so wait for the header to name the new package first.
 */
async function openAnother(file: string): Promise<string> {
  await h.page.locator('[data-testid=file-input]').first().setInputFiles(file);
  await h.page.waitForFunction((name) => document.querySelector('header .pkg')?.textContent === name, path.basename(file), { timeout: 60_000 });
  return settle(h.page);
}

/** The data-testid (or tag) of the focused element. */
const focused = () => h.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? '');

describe('first-use audit regressions', () => {
  it('a new package starts with clean trace filters and step search', async () => {
    const want = await expectedFor(bytesOf(EXFIL));
    const p = h.page;
    await fresh();
    expect(await openPackage(p, VENDORED)).toBe('ready');
    await p.check('[data-testid=denied-only]');
    await p.fill('input[aria-label="Filter by path"]', 'zon');
    await p.selectOption('[data-testid=package-filter]', 'root');
    await p.fill('input[aria-label="Search steps"]', 'beta');
    expect(await p.textContent('[data-testid=trace-count]')).toMatch(/^0 shown/);

    expect(await openAnother(EXFIL)).toBe('ready');
    expect(await p.isChecked('[data-testid=denied-only]')).toBe(false);
    expect(await p.inputValue('input[aria-label="Filter by path"]')).toBe('');
    expect(await p.inputValue('[data-testid=package-filter]')).toBe('');
    expect(await p.inputValue('input[aria-label="Search steps"]')).toBe('');
    expect(await p.textContent('[data-testid=trace-count]')).toBe(`${want.syscalls} shown · ${want.syscalls} recorded`);
  });

  it('names the root package as the trace does, says what to press after an answer, keeps focus, and drops "allow always" rules with their package', async () => {
    const fs = await loadPackageArchive(bytesOf(EXFIL));
    const rootName = rootPackageName(fs);
    const ref = createSession({ fs, policy: ASK });
    const p = h.page;
    await fresh();
    expect(await openPackage(p, EXFIL)).toBe('ready');
    await p.click('[role=tab]:has-text("Policy")');
    await p.selectOption('#preset', 'ask');
    expect(await settle(p)).toBe('ready');

    await p.click('[data-testid=session-start]');
    await settled(p, 'ready', -1);
    expect(await focused()).toBe('session-next');

    await p.click('[data-testid=session-run]');
    const q = ref.continueToEnd();
    expect(q.status).toBe('ask');
    await settled(p, 'ask', q.seq);
    expect(await focused()).toBe('session-prompt');
    // The question's package is the root ('' in src/session); the prompt names it as the trace rows do.
    expect(q.question!.package).toBe('');
    expect(await p.textContent('[data-testid=session-prompt-package]')).toBe(`${rootName} (root package)`);
    expect(await p.textContent('[data-testid=session-attribution]')).toBe(`${q.question!.where} in the root package`);
    expect(await p.textContent('[data-testid=session-root-name]')).toBe(` (${rootName})`);

    await p.click('[data-testid=session-allow-always]');
    const after = ref.answer('always');
    expect(after.status).toBe('paused');
    await settled(p, 'paused', after.seq);
    const hint = (await p.textContent('[data-testid=session-answered]')) ?? '';
    expect(hint).toBe(answeredText('always', after.seq, after.call!.result));
    expect(hint).toContain(`#${after.seq}`);
    expect(hint).toContain(after.call!.record.errno);
    expect(await focused()).toBe('session-run');
    await screenshot(p, 'ux-answered');
    // The hint is about that stop only.
    await p.keyboard.press('n');
    await settled(p, 'paused', ref.stepToNextSyscall().seq);
    expect(await p.locator('[data-testid=session-answered]').count()).toBe(0);

    await p.click('[data-testid=session-close]');
    await p.waitForSelector('[data-testid=session-start]');
    expect(await focused()).toBe('session-start');
    const offer = p.locator('[data-testid=session-offer]');
    await offer.waitFor();
    expect(await offer.textContent()).toContain(q.question!.path);

    // Another package: the rule was about c-exfiltrate's request, not this one's.
    expect(await openAnother(HELLO)).toBe('ready');
    await p.click('[role=tab]:has-text("Inspect")');
    await p.waitForSelector('[data-testid=session-open]');
    expect(await offer.count()).toBe(0);
  });

  it('opening a package or stepping through leaves the comparison view', async () => {
    const hello = await expectedFor(bytesOf(HELLO));
    const p = h.page;
    await fresh();
    expect(await openPackage(p, EXFIL)).toBe('ready');
    await p.click('[data-testid=diff-open]');
    await p.waitForSelector('[data-testid=diff-view]');
    await p.click('[data-testid=session-start]');
    await settled(p, 'ready', -1);
    expect(await p.locator('[data-testid=diff-view]').count()).toBe(0);
    expect(await p.isVisible('[data-testid=session-bar]')).toBe(true);
    await p.click('[data-testid=session-close]');
    await p.waitForSelector('[data-testid=session-start]');

    await p.click('[data-testid=diff-open]');
    await p.waitForSelector('[data-testid=diff-view]');
    expect(await openAnother(HELLO)).toBe('ready');
    expect(await p.locator('[data-testid=diff-view]').count()).toBe(0);
    expect(Number(await p.getAttribute('[data-testid=graph]', 'data-steps-total'))).toBe(hello.steps);
  });

  it('flags a comparison result as stale after a swap, until Compare runs again', async () => {
    const p = h.page;
    await fresh();
    await p.click('[data-testid=diff-open]');
    expect(await p.isDisabled('[data-testid=diff-swap]')).toBe(true);
    await p.click('[data-testid=diff-example]');
    await p.waitForSelector('[data-testid=diff-view][data-phase=done]', { timeout: 180_000 });
    expect(await p.locator('[data-testid=diff-stale]').count()).toBe(0);
    await p.click('[data-testid=diff-swap]');
    const stale = (await p.textContent('[data-testid=diff-stale]')) ?? '';
    expect(stale).toContain('g-v1.tar.gz → g-v2.tar.gz');
    expect(stale).toContain('g-v2.tar.gz → g-v1.tar.gz');
    await p.click('[data-testid=diff-run]');
    await p.waitForSelector('[data-testid=diff-view][data-phase=done]', { timeout: 180_000 });
    expect(await p.locator('[data-testid=diff-stale]').count()).toBe(0);
    expect(await p.textContent('[data-testid=diff-name-a]')).toBe('g-v2.tar.gz');
    await p.click('[data-testid=diff-close]');
  });

  it("exports an open session's trace as what it is, not as a truncated run", async () => {
    const ref = createSession({ fs: await loadPackageArchive(bytesOf(EXFIL)), policy: AUDIT_POLICY });
    const st = ref.continueToNextDenied();
    expect(st.status).toBe('paused');
    const p = h.page;
    await fresh();
    expect(await openPackage(p, EXFIL)).toBe('ready');
    await p.click('[data-testid=session-start]');
    await settled(p, 'ready', -1);
    await p.keyboard.press('c');
    await settled(p, 'paused', st.seq);
    await p.click('[data-testid=share-toggle]');
    const [dl] = await Promise.all([p.waitForEvent('download'), p.click('[data-testid=export-jsonl]')]);
    const lines = readFileSync((await dl.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq?: number; truncated?: boolean });
    expect(lines.length).toBe(st.traceTotal);
    expect(lines.some((l) => l.truncated)).toBe(false);
    expect(lines.at(-1)!.seq).toBe(st.seq);
    await p.click('[data-testid=session-close]');
  });

  it('closes the share menu on Escape and on a click elsewhere', async () => {
    const p = h.page;
    await fresh();
    expect(await openPackage(p, HELLO)).toBe('ready');
    await p.click('[data-testid=share-toggle]');
    await p.waitForSelector('[data-testid=share-panel]');
    await p.keyboard.press('Escape');
    expect(await p.locator('[data-testid=share-panel]').count()).toBe(0);
    await p.click('[data-testid=share-toggle]');
    await p.waitForSelector('[data-testid=share-panel]');
    // Inside the panel it stays open.
    await p.click('[data-testid=share-panel] strong');
    expect(await p.locator('[data-testid=share-panel]').count()).toBe(1);
    await p.click('[data-testid=trace-list]');
    expect(await p.locator('[data-testid=share-panel]').count()).toBe(0);
  });

  it('keeps the whole status bar on screen at 1280×720 with a syscall selected', async () => {
    const p = h.page;
    await fresh();
    await p.setViewportSize({ width: 1280, height: 720 });
    expect(await openPackage(p, EXFIL)).toBe('ready');
    await p.locator('[data-testid=trace-row]').nth(7).click();
    await p.waitForSelector('[data-testid=selection][data-seq="7"]');
    const bar = (await p.locator('[data-testid=status]').boundingBox())!;
    const policy = (await p.locator('[data-testid=status-policy]').boundingBox())!;
    expect(policy.x).toBeGreaterThanOrEqual(bar.x);
    expect(policy.x + policy.width).toBeLessThanOrEqual(bar.x + bar.width);
    expect(await p.textContent('[data-testid=status-policy]')).toBe('policy: audit');
    await screenshot(p, 'ux-status-1280');
  });

  it('says once that a tampered link cannot be opened', async () => {
    const p = h.page;
    await fresh();
    await p.click('[data-sample=c-exfiltrate]');
    expect(await settle(p)).toBe('ready');
    await p.click('[data-testid=copy-link]');
    const link = await p.inputValue('[data-testid=share-link]');
    const m = /\|([0-9a-f]{64})/.exec(link)!;
    const flipped = (m[1][0] === '0' ? '1' : '0') + m[1].slice(1);
    await p.goto(h.url);
    await p.waitForSelector('[data-testid=file-input]', { state: 'attached' });
    await p.goto(link.replace(m[1], flipped));
    await p.waitForSelector('[data-testid=error][data-kind=hash-mismatch]');
    const text = (await p.textContent('[data-testid=error]')) ?? '';
    expect(text.split('This link cannot be opened').length - 1).toBe(1);
    expect(text).toContain(`the link says ${flipped}`);
  });

  it('says why the Options and JSON tabs are empty when the run printed no graph', async () => {
    const tarball = await packageTarball(await guestWasm({ trap: true }));
    const file = path.join(scratch, 'trap.tar.gz');
    writeFileSync(file, tarball);
    const p = h.page;
    await fresh();
    expect(await openPackage(p, file)).toBe('error');
    expect(await p.getAttribute('[data-testid=error]', 'data-phase')).toBe('trap');
    await p.click('[role=tab]:has-text("Options")');
    expect(await p.textContent('[data-testid=options-empty]')).toContain('the last run printed none');
    await p.click('[role=tab]:has-text("JSON")');
    expect(await p.textContent('[data-testid=graph-json-empty]')).toContain('No graph: the last run printed none');
    expect(await p.isDisabled('button[title="Fit to window"]')).toBe(true);
  });
});
