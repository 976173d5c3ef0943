// Permalinks in a real browser: a link copied from one browser opens in a FRESH browser (its own process
// and profile) with the same package, options, policy, engine, selection and trace hash. Tampered, too
// long and uncarriable links say why. What the link must reproduce is read from the first page, never
// written down here.

import { mkdtemp, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guestWasm, hostileGraph, packageTarball } from './fixtures.ts';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, screenshot, settle, startHarness, type Harness } from './harness.ts';

const EXAMPLES = path.join(ROOT, 'public', 'examples');

interface Browser2 {
  context: BrowserContext;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/** A second browser: its own Chromium process and an empty profile (no storage shared with the first). */
async function freshBrowser(): Promise<Browser2> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-chromium-fresh-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Run `action` and wait for the run it starts to end (the phase is watched, so a fast run is not missed). */
async function rerun(page: Page, action: () => Promise<unknown>): Promise<string> {
  await page.evaluate(() => {
    const w = window as unknown as { __phases: string[]; __obs?: MutationObserver };
    const el = document.querySelector('[data-testid=status]')!;
    w.__phases = [];
    w.__obs?.disconnect();
    w.__obs = new MutationObserver(() => w.__phases.push(el.getAttribute('data-phase') ?? ''));
    w.__obs.observe(el, { attributes: true, attributeFilter: ['data-phase'] });
  });
  await action();
  await page.waitForFunction(() => (window as unknown as { __phases: string[] }).__phases.includes('running'), undefined, { timeout: 60_000, polling: 20 });
  return settle(page);
}

/** Everything a link must reproduce, as the page shows it. */
async function seen(page: Page) {
  const attr = (sel: string, name: string) => page.locator(sel).first().getAttribute(name);
  const selection = page.locator('[data-testid=selection]');
  const hasSel = (await selection.count()) > 0;
  return {
    pkg: await page.locator('header .pkg').textContent(),
    engine: await page.inputValue('select[aria-label=Engine]'),
    preset: await attr('[data-testid=status-policy]', 'data-preset'),
    policyHash: await attr('[data-testid=status-policy]', 'data-policy-hash'),
    options: (await page.locator('[data-testid=status-options]').count()) > 0 ? await attr('[data-testid=status-options]', 'data-options') : '{}',
    traceHash: await page.textContent('[data-testid=trace-hash]'),
    graphNodes: await attr('[data-testid=graph]', 'data-nodes'),
    sel: hasSel ? { kind: await selection.getAttribute('data-kind'), seq: await selection.getAttribute('data-seq'), fn: await selection.getAttribute('data-fn'), step: await selection.getAttribute('data-step') } : null,
  };
}

async function copyLink(page: Page): Promise<string> {
  await page.click('[data-testid=copy-link]');
  await page.waitForSelector('[data-testid=share-link]');
  return page.inputValue('[data-testid=share-link]');
}

/**
 * Open a link and wait for its run and its selection: in a newly loaded page, or (`pasted`) in the page
 * as it is, where only the fragment changes and the app opens the link on `hashchange`.
 */
async function openLink(page: Page, link: string, selected: boolean, pasted = false): Promise<string> {
  let phase: string;
  if (pasted) phase = await rerun(page, () => page.goto(link));
  else {
    await page.goto('about:blank');
    await page.goto(link);
    phase = await settle(page);
  }
  if (selected) await page.waitForSelector('[data-testid=selection]', { timeout: 30_000 });
  return phase;
}

let h: Harness;
let other: Browser2;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-e2e-link-'));
  h = await startHarness();
  await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(h.url).origin });
  other = await freshBrowser();
});

afterEach(() => {
  expect(h.errors.splice(0)).toEqual([]);
  expect(other.errors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await other?.close();
  await h?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function fresh(): Promise<void> {
  await h.page.goto(h.url);
  await h.page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
}

let exfilLink = '';

describe('permalinks', () => {
  it('reproduce a gallery package, its policy, engine and a denied syscall in a fresh browser', async () => {
    await fresh();
    // The engine before the package: its first run is already on the native engine.
    await h.page.selectOption('select[aria-label=Engine]', 'native');
    await h.page.waitForSelector('[data-testid=samples] [data-sample=c-exfiltrate]');
    await h.page.click('[data-testid=samples] [data-sample=c-exfiltrate]');
    expect(await settle(h.page)).toBe('ready');
    await h.page.click('[role=tab]:has-text("Policy")');
    expect(await rerun(h.page, () => h.page.selectOption('#preset', 'ask'))).toBe('ready');
    // A denied syscall, picked in the trace.
    await h.page.check('[data-testid=denied-only]');
    await h.page.waitForSelector('[data-testid=trace-row].denied');
    await h.page.locator('[data-testid=trace-row]').nth(1).click();
    await h.page.waitForSelector('[data-testid=selection][data-kind=syscall]');
    const before = await seen(h.page);
    expect(before).toMatchObject({ pkg: 'c-exfiltrate', engine: 'native', preset: 'ask', sel: { kind: 'syscall' } });
    expect(before.traceHash).toMatch(/^[0-9a-f]{16}$/);

    exfilLink = await copyLink(h.page);
    // The gallery package (~540 KiB) goes by its page-relative path and hash.
    expect(exfilLink).toMatch(/#v=1&pkg=examples%2Fc-exfiltrate\.tar\.gz\|[0-9a-f]{64}&name=c-exfiltrate&policy=[\w-]+&engine=native&sel=syscall:\d+$/);
    expect(exfilLink).toContain(`sel=syscall:${before.sel!.seq}`);
    expect(await h.page.evaluate(() => navigator.clipboard.readText())).toBe(exfilLink);
    expect(await h.page.textContent('[data-testid=share-notice]')).toContain('copied');
    // The address bar holds the link too.
    expect(h.page.url()).toBe(exfilLink);
    await screenshot(h.page, 'permalink-copied');

    expect(await openLink(other.page, exfilLink, true)).toBe('ready');
    const after = await seen(other.page);
    expect(after).toEqual(before);
    // The trace record is open on the selected call.
    expect(await other.page.locator('[aria-label="Syscall trace"]').textContent()).toContain(`#${before.sel!.seq} ${before.sel!.fn}`);
    await screenshot(other.page, 'permalink-opened');
  });

  it('carry options and a selected step, and the address bar follows the selection', async () => {
    await fresh();
    await h.page.click('[data-testid=samples] [data-sample=f-optional-fetch]');
    expect(await settle(h.page)).toBe('ready');
    await h.page.click('[role=tab]:has-text("Options")');
    expect(await rerun(h.page, () => h.page.selectOption('select[data-option="fetch-assets"]', 'true'))).toBe('ready');
    await h.page.fill('input[aria-label="Search steps"]', 'curl');
    await h.page.press('input[aria-label="Search steps"]', 'Enter');
    await h.page.waitForSelector('[data-testid=selection][data-kind=step]');
    const before = await seen(h.page);
    expect(JSON.parse(before.options!)).toEqual({ 'fetch-assets': 'true' });
    await h.page.click('[role=tab]:has-text("Step")');
    const stepName = await h.page.textContent('[data-testid=details-name]');
    expect(stepName).toContain('curl');
    const link = await copyLink(h.page);
    expect(link).toContain(`&opt=${encodeURIComponent('{"fetch-assets":"true"}')}&`);
    expect(link).toContain(`&sel=step:${before.sel!.step}`);

    // Following: another step selected rewrites the address bar's link.
    await h.page.fill('input[aria-label="Search steps"]', 'install');
    await h.page.press('input[aria-label="Search steps"]', 'Enter');
    await h.page.waitForFunction((s) => document.querySelector('[data-testid=selection]')?.getAttribute('data-step') !== s, before.sel!.step);
    const step2 = await h.page.getAttribute('[data-testid=selection]', 'data-step');
    await h.page.waitForFunction((s) => location.hash.endsWith(`&sel=step:${s}`), step2);

    expect(await openLink(other.page, link, true)).toBe('ready');
    expect(await seen(other.page)).toEqual(before);
    // The step's details are on show.
    expect(await other.page.textContent('[data-testid=details-name]')).toBe(stepName);
  });

  it('carry a small dropped package inline', async () => {
    await fresh();
    const file = path.join(scratch, 'tiny-hostile.tar.gz');
    writeFileSync(file, await packageTarball(await guestWasm({ print: hostileGraph(), syscalls: 7 })));
    await h.page.locator('[data-testid=file-input]').first().setInputFiles(file);
    expect(await settle(h.page)).toBe('ready');
    await h.page.locator('[data-testid=trace-row]').nth(3).click();
    await h.page.waitForSelector('[data-testid=selection][data-kind=syscall]');
    const before = await seen(h.page);
    const link = await copyLink(h.page);
    expect(link).toMatch(/#v=1&pkg=inline:[\w-]+\|[0-9a-f]{64}&name=tiny-hostile\.tar\.gz&/);
    // Pasted into the address bar of the page that shows the previous link.
    expect(other.page.url().startsWith(new URL(link).origin + '/#v=1&pkg=examples')).toBe(true);
    expect(await openLink(other.page, link, true, true)).toBe('ready');
    expect(await seen(other.page)).toEqual(before);
    expect(await other.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('say plainly that a big dropped package cannot ride in a link, and take an https URL for it', async () => {
    await fresh();
    await h.page.locator('[data-testid=file-input]').first().setInputFiles(path.join(EXAMPLES, 'c-exfiltrate.tar.gz'));
    expect(await settle(h.page)).toBe('ready');
    await h.page.click('[data-testid=copy-link]');
    await h.page.waitForSelector('[data-testid=share-notice][data-tone=warn]');
    const notice = (await h.page.textContent('[data-testid=share-notice]')) ?? '';
    expect(notice).toContain('No link');
    expect(notice).toContain('publish the file at an https URL');
    expect(await h.page.locator('[data-testid=share-link]').count()).toBe(0);
    await screenshot(h.page, 'permalink-too-big');
    // With a URL where it is published, the link points there (http is refused: the browser fetches it).
    await h.page.fill('[data-testid=host-url]', 'http://example.org/c.tar.gz');
    await h.page.click('button:has-text("Copy link with this URL")');
    await h.page.waitForFunction(() => document.querySelector('[data-testid=share-notice]')?.textContent?.includes('http:, data:'));
    await h.page.fill('[data-testid=host-url]', 'https://example.org/c.tar.gz');
    await h.page.click('button:has-text("Copy link with this URL")');
    await h.page.waitForSelector('[data-testid=share-link]');
    expect(await h.page.inputValue('[data-testid=share-link]')).toMatch(/#v=1&pkg=https%3A%2F%2Fexample\.org%2Fc\.tar\.gz\|[0-9a-f]{64}&name=c-exfiltrate\.tar\.gz&/);
  });

  it('refuse a tampered link (hash mismatch) and an overlong one with a clear message', async () => {
    expect(exfilLink).not.toBe('');
    const m = /\|([0-9a-f]{64})&/.exec(exfilLink)!;
    const flipped = m[1].slice(0, 10) + (m[1][10] === '0' ? '1' : '0') + m[1].slice(11);
    const tampered = exfilLink.replace(m[1], flipped);
    // Loaded fresh, then another link pasted into the same page (hashchange).
    await other.page.goto(new URL(exfilLink).origin + '/');
    await other.page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
    await other.page.goto(tampered);
    await other.page.waitForSelector('[data-testid=error][data-phase=permalink]');
    expect(await other.page.getAttribute('[data-testid=error]', 'data-kind')).toBe('hash-mismatch');
    const msg = (await other.page.textContent('[data-testid=error]')) ?? '';
    expect(msg).toContain('This link cannot be opened');
    expect(msg).toContain(`the link says ${flipped}`);
    await screenshot(other.page, 'permalink-tampered');

    const long = `${exfilLink.replace(/&sel=.*$/, '')}&opt=${encodeURIComponent(JSON.stringify({ pad: 'x'.repeat(70_000) }))}`;
    await other.page.goto(long);
    await other.page.waitForSelector('[data-testid=error][data-kind=too-large]');
    expect(await other.page.textContent('[data-testid=error]')).toContain('the limit is 65536');

    // A bad package URL never reaches fetch.
    await other.page.goto(exfilLink.replace('pkg=examples%2F', 'pkg=%2F%2Fevil.example%2F'));
    await other.page.waitForSelector('[data-testid=error][data-kind=bad-field]');
    expect(await other.page.textContent('[data-testid=error]')).toContain('pkg url');
  });
});
