// The Monaco panes (issue #6 item 5): the package's files with build.zig and the selected syscall's line
// revealed, the policy as validated JSON (a schema error is shown and nothing re-runs; a valid edit re-runs
// with the denials it implies), and the raw graph JSON. Expectations come from the audit pipeline and
// src/attribution in this process, on the same tarball.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAttributor } from '../src/attribution/index.ts';
import { auditPolicy, loadPackageArchive, readPackageWasm, runAudit } from '../src/audit/index.ts';
import { interpEngine } from '../src/interp/index.ts';
import { parsePolicy, PolicyError } from '../src/policy/index.ts';
import { listFiles, nodeAt } from '../src/app/panels/editor/file-tree.ts';
import { isDeniedRecord } from '../src/worker/denied.ts';
import { armRunCounter, monacoReady, runsSinceArmed, statusDenials, typeInto, visibleText, waitForRerun } from './editor-support.ts';
import { graphAttrs, openPackage, ROOT, screenshot, type Harness } from './harness.ts';
import { useHarness } from './suite.ts';

const TARBALL = path.join(ROOT, 'public', 'examples', 'c-exfiltrate.tar.gz');
const bytes = () => new Uint8Array(readFileSync(TARBALL));

let h: Harness;

useHarness((x) => (h = x));

async function fresh(): Promise<void> {
  await h.page.goto(h.url);
  await h.page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
  expect(await openPackage(h.page, TARBALL)).toBe('ready');
}

const tab = (name: string) => h.page.click(`[role=tab]:has-text("${name}")`);

describe('Monaco panes', () => {
  it('shows the package files with build.zig open, read-only, and the runner as a size note', async () => {
    const fs = await loadPackageArchive(bytes());
    const files = listFiles(fs.root).filter((f) => f.kind === 'file').map((f) => f.path);
    // The set of files from the tarball itself (system tar), not only from listFiles, which the pane uses too.
    const inTar = execFileSync('tar', ['-tzf', TARBALL], { encoding: 'utf8' }).split('\n').filter((l) => l !== '' && !l.endsWith('/')).map((l) => l.replace(/^\.\//, ''));
    expect([...files].sort()).toEqual(inTar.sort());
    const build = nodeAt(fs.root, 'build.zig');
    if (build?.kind !== 'file') throw new Error('c-exfiltrate has no build.zig');
    const firstLine = new TextDecoder().decode(build.data.view()).split('\n')[0];
    const runner = nodeAt(fs.root, '.sandbuild/build.wasm');
    if (runner?.kind !== 'file') throw new Error('c-exfiltrate has no runner');

    // Monaco is a lazy chunk: loading the page and running a package fetch none of it.
    const requested: string[] = [];
    const onRequest = (r: { url(): string }) => requested.push(r.url());
    h.page.on('request', onRequest);
    const monacoUrls = () => requested.filter((u) => /\/assets\/(monaco|editor\.api|editor\.worker|json\.worker)-/.test(u));
    await fresh();
    expect(monacoUrls()).toEqual([]);
    await tab('Files');
    await monacoReady(h.page, 'files-editor');
    h.page.off('request', onRequest);
    expect(monacoUrls().length).toBeGreaterThan(0);
    // Everything, the editor's workers and fonts included, comes from the static site itself.
    expect(requested.filter((u) => !u.startsWith(h.url) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
    expect(await h.page.textContent('[data-testid=files-open]')).toBe('build.zig');
    expect(await h.page.$$eval('[data-testid=files-pane] button[data-path]', (bs) => bs.map((b) => b.getAttribute('data-path')))).toEqual(files);
    expect(await visibleText(h.page, 'files-editor')).toContain(firstLine);
    // Zig is tokenized (our Monarch grammar): `const` is a keyword token, not plain text.
    const tokenClasses = await h.page.$$eval('[data-testid=files-editor] .view-line span[class^=mtk]', (ss) => [...new Set(ss.map((s) => s.className))]);
    expect(tokenClasses.length).toBeGreaterThan(2);
    // Read-only: typing changes nothing.
    await h.page.click('[data-testid=files-editor] .monaco-editor', { position: { x: 80, y: 8 } });
    await h.page.keyboard.insertText('XYZZY');
    expect(await visibleText(h.page, 'files-editor')).not.toContain('XYZZY');
    await screenshot(h.page, 'editor-files');

    await h.page.click('[data-testid=files-pane] button[data-path=".sandbuild/build.wasm"]');
    const note = (await h.page.textContent('[data-testid=files-binary]')) ?? '';
    expect(note).toContain('.sandbuild/build.wasm');
    expect(note).toContain(`${(runner.data.size / 1024 / 1024).toFixed(1)} MB`);
  });

  it('reveals the build.zig line of the selected denied id_rsa read', async () => {
    // The line src/attribution gives for that record, here.
    const fs = await loadPackageArchive(bytes());
    const wasm = readPackageWasm(fs);
    const r = runAudit({ fs, wasm, policy: auditPolicy(), engine: interpEngine, captureStack: true });
    const rec = r.trace.find((x) => x.fn === 'path_open' && isDeniedRecord(x) && JSON.stringify(x.args).includes('.ssh/id_rsa'));
    expect(rec).toBeDefined();
    const at = createAttributor(wasm).attribute(rec!.stack ?? []);
    expect(at?.file?.replace(/^\.\//, '')).toBe('build.zig');
    const line = at!.line!;
    const build = nodeAt(fs.root, 'build.zig');
    const lineText = build?.kind === 'file' ? new TextDecoder().decode(build.data.view()).split('\n')[line - 1].trim() : '';
    expect(lineText).toContain('readFileAlloc');

    await fresh();
    await h.page.check('[data-testid=denied-only]');
    await h.page.fill('input[aria-label="Filter by path"]', '.ssh/id_rsa');
    const row = h.page.locator('[data-testid=trace-row]', { hasText: 'path_open' }).filter({ hasText: 'id_rsa' }).first();
    await row.click();
    await h.page.waitForSelector(`[data-testid=selection][data-seq="${rec!.seq}"]`);
    await tab('Files');
    await monacoReady(h.page, 'files-editor');
    await h.page.waitForSelector(`[data-testid=files-editor][data-line="${line}"]`);
    expect(await h.page.textContent('[data-testid=files-target]')).toContain(`build.zig:${line}`);
    // Monaco shows that line highlighted, with the cursor on it.
    await h.page.waitForSelector('[data-testid=files-editor] .sb-line');
    expect((await h.page.textContent('[data-testid=files-editor] .line-numbers.active-line-number'))?.trim()).toBe(String(line));
    expect(await visibleText(h.page, 'files-editor')).toContain(lineText);
    await screenshot(h.page, 'editor-files-line');
  });

  it('refuses a policy with a schema error without re-running, and re-runs a valid edit', async () => {
    const fs = await loadPackageArchive(bytes());
    const before = runAudit({ fs, policy: auditPolicy(), engine: interpEngine });
    // Let the build script read $HOME/.ssh (before the audit's deny-host-paths rule): fewer denials.
    const edited = auditPolicy();
    edited.fs.unshift({ id: 'let-ssh', ops: ['read'], paths: ['root/.ssh/**'], where: 'outside', verdict: 'allow' });
    const after = runAudit({ fs: await loadPackageArchive(bytes()), policy: parsePolicy(edited), engine: interpEngine });
    expect(after.syscallDenials.length).toBeLessThan(before.syscallDenials.length);

    await fresh();
    expect(await statusDenials(h.page)).toEqual({ syscalls: before.syscallDenials.length, capabilities: before.capDenials.length });
    await tab('Policy');
    await monacoReady(h.page, 'policy-editor');

    // A schema error: an unknown verdict. The editor marks it; Apply refuses it with the path; no run.
    const bad = structuredClone(edited) as unknown as { fs: { verdict: string }[] };
    bad.fs[0].verdict = 'maybe';
    let parseError = '';
    try {
      parsePolicy(bad);
    } catch (e) {
      parseError = e instanceof PolicyError ? e.issues[0] : '';
    }
    expect(parseError.startsWith('fs.0.verdict')).toBe(true);
    await typeInto(h.page, 'policy-editor', JSON.stringify(bad));
    await h.page.waitForSelector('[data-testid=policy-markers] li', { timeout: 60_000 });
    expect(await h.page.textContent('[data-testid=policy-markers]')).toMatch(/line 1: .*(allow|Value is not accepted)/);
    await armRunCounter(h.page);
    await h.page.click('[data-testid=policy-apply]');
    expect(await h.page.textContent('[data-testid=policy-error]')).toContain(parseError);
    expect(await runsSinceArmed(h.page)).toBe(0);
    expect(await h.page.getAttribute('[data-testid=status]', 'data-phase')).toBe('ready');
    expect(await statusDenials(h.page)).toEqual({ syscalls: before.syscallDenials.length, capabilities: before.capDenials.length });
    await screenshot(h.page, 'editor-policy-error');

    // The valid edit: applied, re-run, and the counts are what the audit gives for it.
    await typeInto(h.page, 'policy-editor', JSON.stringify(edited, null, 1).replace(/\n\s*/g, ' '));
    await h.page.waitForSelector('[data-testid=policy-markers]', { state: 'detached', timeout: 60_000 });
    await armRunCounter(h.page);
    await h.page.click('[data-testid=policy-apply]');
    expect(await waitForRerun(h.page)).toBe('ready');
    expect(await h.page.locator('[data-testid=policy-error]').count()).toBe(0);
    expect(await h.page.getAttribute('[data-testid=status-policy]', 'data-preset')).toBe('custom');
    expect(await statusDenials(h.page)).toEqual({ syscalls: after.syscallDenials.length, capabilities: after.capDenials.length });
    expect((await graphAttrs(h.page))['configure-denied']).toBe(after.syscallDenials.length);
  });

  it('completes policy values from the schema', async () => {
    await fresh();
    await tab('Policy');
    await typeInto(h.page, 'policy-editor', '{"version": 1, "default": ');
    await h.page.keyboard.press('Control+Space');
    const rows = h.page.locator('[data-testid=policy-editor] .suggest-widget .monaco-list-row');
    await rows.first().waitFor({ timeout: 60_000 });
    const labels = (await rows.allTextContents()).join(' ');
    for (const v of ['"allow"', '"deny"', '"ask"']) expect(labels).toContain(v);
    await screenshot(h.page, 'editor-policy-completion');
  });

  it('shows the raw graph JSON and reveals the selected step', async () => {
    const r = runAudit({ fs: await loadPackageArchive(bytes()), policy: auditPolicy(), engine: interpEngine });
    const step = r.graph!.steps.find((s) => s.name === 'run sh')!;
    const text = JSON.stringify(r.graph, null, 2).split('\n');
    const opens = text.findIndex((l, i) => l === '    {' && text[i + 1] === `      "id": ${step.id},`) + 1;
    expect(opens).toBeGreaterThan(0);

    await fresh();
    await h.page.fill('input[aria-label="Search steps"]', 'run sh');
    await h.page.press('input[aria-label="Search steps"]', 'Enter');
    await h.page.waitForSelector(`[data-testid=selection][data-step="${step.id}"]`);
    await tab('JSON');
    await monacoReady(h.page, 'graph-json-editor');
    await h.page.waitForSelector(`[data-testid=graph-json-editor][data-line="${opens}"]`);
    expect((await h.page.textContent('[data-testid=graph-json-editor] .line-numbers.active-line-number'))?.trim()).toBe(String(opens));
    expect(await visibleText(h.page, 'graph-json-editor')).toContain('"name": "run sh"');
    await screenshot(h.page, 'editor-graph-json');
  });
});
