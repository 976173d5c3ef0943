// Source attribution in the trace panel (issue #6 item 4): drop c-exfiltrate, pick the denied
// $HOME/.ssh/id_rsa read and see which line of which package's build.zig made it; the package filter narrows
// the rows to the counts src/attribution gives in this process for the same tarball; a native run says it
// has no stacks.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAttributor } from '../src/attribution/index.ts';
import { auditPolicy, loadPackageArchive, readPackageWasm, runAudit } from '../src/audit/index.ts';
import { interpEngine } from '../src/interp/index.ts';
import { isDeniedRecord } from '../src/worker/denied.ts';
import { openPackage, ROOT, screenshot, type Harness } from './harness.ts';
import { useHarness } from './suite.ts';

const TARBALL = path.join(ROOT, 'public', 'examples', 'c-exfiltrate.tar.gz');
const SOURCE = path.join(ROOT, 'examples', 'c-exfiltrate');

let h: Harness;

interface Want {
  rootName: string;
  readLine: number;
  total: number;
  root: number;
  rootDenied: number;
  none: number;
}

/** What src/attribution says about the same tarball, computed here (never hard-coded). */
async function expected(): Promise<Want> {
  const fs = await loadPackageArchive(new Uint8Array(readFileSync(TARBALL)));
  const wasm = readPackageWasm(fs);
  const r = runAudit({ fs, wasm, policy: auditPolicy(), engine: interpEngine, captureStack: true });
  const a = createAttributor(wasm);
  const pkgs = r.trace.map((x) => a.attribute(x.stack ?? [])?.package);
  // Every attributed call in c-exfiltrate is in its own build.zig; nothing is names-only.
  expect(pkgs.every((p) => p === '' || p === undefined)).toBe(true);
  const lines = readFileSync(path.join(SOURCE, 'build.zig'), 'utf8').split('\n');
  return {
    rootName: /\.name\s*=\s*"([^"]+)"/.exec(readFileSync(path.join(SOURCE, 'build.zig.zon'), 'utf8'))![1],
    readLine: lines.findIndex((l) => l.includes('readFileAlloc(')) + 1,
    total: r.trace.length,
    root: pkgs.filter((p) => p === '').length,
    rootDenied: r.trace.filter((x, i) => pkgs[i] === '' && isDeniedRecord(x)).length,
    none: pkgs.filter((p) => p === undefined).length,
  };
}

const shown = (n: number) => h.page.waitForFunction((x) => document.querySelector('[data-testid=trace-count]')?.textContent?.startsWith(`${x} shown`), n);
const options = () => h.page.$$eval('[data-testid=package-filter] option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent?.trim() ?? '']));

useHarness((x) => (h = x));

describe('source attribution in the trace', () => {
  it('shows the build.zig line of the denied id_rsa read and filters rows by package', async () => {
    const want = await expected();
    expect(want.readLine).toBeGreaterThan(0);
    expect(want.root).toBeGreaterThan(0);
    expect(want.none).toBeGreaterThan(0);
    await h.page.goto(h.url);
    await h.page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
    expect(await openPackage(h.page, TARBALL)).toBe('ready');
    await shown(want.total);

    // The denied read of $HOME/.ssh/id_rsa: its row names the line, the aside says the package too.
    await h.page.check('[data-testid=denied-only]');
    await h.page.fill('input[aria-label="Filter by path"]', '.ssh/id_rsa');
    const row = h.page.locator('[data-testid=trace-row]', { hasText: 'path_open' }).filter({ hasText: 'id_rsa' }).first();
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('denied');
    expect((await row.locator('[data-testid=trace-row-src]').textContent())?.trim()).toBe(`build.zig:${want.readLine} (${want.rootName})`);
    await row.click();
    const where = h.page.locator('[data-testid=record-attribution]');
    await where.waitFor();
    const text = (await where.textContent()) ?? '';
    expect(text).toContain(`build.zig:${want.readLine}`);
    expect(text).toContain(`${want.rootName} (root package)`);
    expect(want.readLine).toBe(22);
    await screenshot(h.page, 'attribution-id-rsa');

    // The package filter: its options count what src/attribution counts, and picking one narrows the rows.
    await h.page.uncheck('[data-testid=denied-only]');
    await h.page.fill('input[aria-label="Filter by path"]', '');
    await shown(want.total);
    expect(await options()).toEqual([
      ['', 'all packages'],
      ['root', `${want.rootName} (root) (${want.root})`],
      ['none', `no build.zig frame (${want.none})`],
    ]);
    await h.page.selectOption('[data-testid=package-filter]', 'root');
    await shown(want.root);
    await h.page.waitForFunction((n) => document.querySelectorAll('[data-testid=trace-row]').length === n, want.root);
    const srcs = await h.page.$$eval('[data-testid=trace-row-src]', (els) => els.map((e) => e.textContent?.trim() ?? ''));
    expect(srcs.every((s) => s.startsWith('build.zig:') && s.endsWith(`(${want.rootName})`))).toBe(true);
    await h.page.check('[data-testid=denied-only]');
    await shown(want.rootDenied);
    await h.page.uncheck('[data-testid=denied-only]');
    await h.page.selectOption('[data-testid=package-filter]', 'none');
    await shown(want.none);
    const plain = await h.page.$$eval('[data-testid=trace-row-src]', (els) => els.map((e) => e.textContent?.trim() ?? ''));
    expect(plain.every((s) => s === '')).toBe(true);
    await h.page.selectOption('[data-testid=package-filter]', '');
    await shown(want.total);
  }, 240_000);

  it('on the native engine the records have no stack, and the aside says so', async () => {
    const want = await expected();
    await h.page.selectOption('select[aria-label="Engine"]', 'native');
    // The re-run replaces the trace: wait for the native bucket instead of racing the phase.
    await h.page.waitForFunction(
      (n) => [...document.querySelectorAll('[data-testid=package-filter] option')].some((o) => o.textContent?.trim() === `no stack (native engine) (${n})`),
      want.total,
      { timeout: 120_000 },
    );
    expect((await options()).map(([v]) => v)).toEqual(['', 'no-stack']);
    await h.page.locator('[data-testid=trace-row]').first().click();
    expect(await h.page.locator('[data-testid=record-attribution]').textContent()).toContain('no stack on native');
    await h.page.selectOption('select[aria-label="Engine"]', 'interp');
  }, 240_000);
});
