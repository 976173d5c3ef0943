// The step-through inspector in Chromium on c-exfiltrate: every seq, function, args, errno and decision the
// page shows is checked against a session driven in this process (src/session on the same tarball and
// policy), and going back must land on the forward run's state (same seq, args and trace hash).

import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_POLICY } from '../src/app/panels/policy/presets.ts';
import { loadPackageArchive, runAudit } from '../src/audit/index.ts';
import { interpEngine } from '../src/interp/index.ts';
import { createSession, type Session } from '../src/session/index.ts';
import { openPackage, ROOT, screenshot, settle, type Harness } from './harness.ts';
import { spinPackage } from './session-fixtures.ts';
import { expectPausedAt as pausedAt, settled as settledOn } from './session-helpers.ts';
import { useHarness } from './suite.ts';

const TARBALL = path.join(ROOT, 'public', 'examples', 'c-exfiltrate.tar.gz');

let h: Harness;
let ref: Session;
let total: number;

useHarness((x) => (h = x));

beforeAll(async () => {
  const bytes = new Uint8Array(readFileSync(TARBALL));
  // The app opens its session with the Audit preset and no options; so does the reference.
  ref = createSession({ fs: await loadPackageArchive(bytes), policy: AUDIT_POLICY });
  total = runAudit({ fs: await loadPackageArchive(bytes), policy: AUDIT_POLICY, engine: interpEngine }).traceTotal;
});

const settled = (status: string, seq: number) => settledOn(h.page, status, seq);
const expectPausedAt = (st: Parameters<typeof pausedAt>[1]) => pausedAt(h.page, st);

describe('step-through inspector', () => {
  it('steps with n, continues to the next denied call, and steps back with p to the forward state', async () => {
    const p = h.page;
    await p.goto(h.url);
    await p.waitForSelector('[data-testid=file-input]', { state: 'attached' });
    expect(await openPackage(p, TARBALL)).toBe('ready');
    const before = await p.textContent('[data-testid=trace-count]');
    expect(before).toContain(`${total} recorded`);

    await p.click('[data-testid=session-start]');
    await settled('ready', -1);
    expect(await p.textContent('[data-testid=trace-count]')).toContain('0 recorded');
    // The shortcuts are shown next to their buttons.
    expect(await p.textContent('[data-testid=session-next] kbd')).toBe('n');
    expect(await p.textContent('[data-testid=session-back] kbd')).toBe('p');
    expect(await p.textContent('[data-testid=session-denied] kbd')).toBe('c');
    expect(await p.isDisabled('[data-testid=session-back]')).toBe(true);
    // The status bar's numbers are the last full run's while the session is open, and says so.
    expect(await p.isVisible('[data-testid=status-last-run]')).toBe(true);

    // n, n, n on the keyboard.
    for (let i = 0; i < 3; i++) {
      await p.keyboard.press('n');
      await expectPausedAt(ref.stepToNextSyscall());
    }

    // c: the first denial, the SSH key read, with its rule, stack, source line and memory.
    await p.keyboard.press('c');
    const denied = ref.continueToNextDenied();
    expect(denied.decision?.verdict).toBe('deny');
    await expectPausedAt(denied);
    expect(await p.getAttribute('[data-testid=session-decision]', 'class')).toContain('deny');
    const stack = (await p.textContent('[data-testid=session-stack]')) ?? '';
    for (const f of denied.stack) if (f.name) expect(stack).toContain(f.name);
    const where = denied.attribution!;
    expect(where.file).toBe('build.zig');
    expect(await p.textContent('[data-testid=session-attribution]')).toBe(`build.zig:${where.line} in the root package`);
    expect(await p.locator('[data-testid=session-stack] li.hit').textContent()).toContain(`build.zig:${where.line}`);
    const regions = await p.$$eval('[data-testid=session-memory] .region', (els) => els.map((e) => e.getAttribute('data-label')));
    expect(regions).toEqual(denied.memory.map((m) => m.label));
    const pathRegion = denied.memory.find((m) => m.label === 'path')!;
    expect(await p.textContent('[data-testid=session-memory] .region[data-label=path] pre')).toBe(pathRegion.hex.join('\n'));
    await screenshot(p, 'session-paused');

    // One more forwards (k+1), then p: back to k, the same state as reached forwards.
    const atK = await settled('paused', denied.seq);
    await p.keyboard.press('n');
    await expectPausedAt(ref.stepToNextSyscall());
    await p.keyboard.press('p');
    const back = ref.stepBack();
    expect(back.seq).toBe(denied.seq);
    expect(back.traceHash).toBe(denied.traceHash);
    expect(back.call!.record).toEqual(denied.call!.record);
    const shownBack = await expectPausedAt(back);
    expect(shownBack).toEqual(atK);

    // Run to #k from the box (a replay from the start when k is behind).
    await p.fill('[data-testid=session-runto-input]', '2');
    await p.click('[data-testid=session-runto]');
    await expectPausedAt(ref.runToSyscall(2));

    // Click an earlier trace row: the bar offers to run there (a replay).
    await p.click('[data-testid=trace-row]:has(.seq:text-is("1"))');
    await p.click('[data-testid=session-runto-picked]');
    await expectPausedAt(ref.runToSyscall(1));

    // Run to the end, then close: the normal run's trace comes back.
    await p.click('[data-testid=session-run]');
    const end = ref.continueToEnd();
    expect(end.status).toBe('done');
    const done = await settled('done', end.seq);
    expect(done.hash).toBe(end.traceHash);
    expect(await p.textContent('[data-testid=session-done]')).toContain(`${end.seq} syscalls`);
    await p.click('[data-testid=session-close]');
    await p.waitForSelector('[data-testid=session-bar]', { state: 'detached' });
    expect(await p.textContent('[data-testid=trace-count]')).toBe(before);
    expect(await p.locator('[data-testid=status-last-run]').count()).toBe(0);
  });

  it('asks to switch to interp when the engine is native', async () => {
    const p = h.page;
    await p.selectOption('select[aria-label=Engine]', 'native');
    expect(await settle(p)).toBe('ready');
    await p.click('[data-testid=session-start]');
    await p.waitForSelector('[data-testid=session-needs-interp]');
    await p.click('[data-testid=session-switch-interp]');
    await settled('ready', -1);
    expect(await p.inputValue('select[aria-label=Engine]')).toBe('interp');
    // A normal re-run closes the session.
    await p.click('header button:has-text("Re-run")');
    await p.waitForSelector('[data-testid=session-bar]', { state: 'detached' });
  });
});

describe('pause', () => {
  it('pauses a long stretch without syscalls between slices, then steps on to the first syscall', async () => {
    // 10^8 loop turns, about 3·10^8 instructions: many slices (RUN_SLICE) before the only syscall.
    const tgz = await spinPackage(100_000_000);
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sandbuild-insp-')), 'spin.tar.gz');
    writeFileSync(file, tgz);
    const spin = createSession({ fs: await loadPackageArchive(tgz), policy: AUDIT_POLICY });
    const p = h.page;
    await p.goto(h.url);
    await p.waitForSelector('[data-testid=file-input]', { state: 'attached' });
    expect(await openPackage(p, file)).toBe('ready');
    await p.click('[data-testid=session-start]');
    await settled('ready', -1);
    await p.click('[data-testid=session-run]');
    await p.click('[data-testid=session-pause]', { timeout: 60_000 });
    await settled('running', -1);
    const fuel = Number(await p.getAttribute('[data-testid=session-status]', 'data-fuel'));
    const end = spin.continueToEnd();
    expect(fuel).toBeGreaterThan(0);
    expect(fuel).toBeLessThan(end.fuelUsed);
    expect(await p.textContent('[data-testid=session-between]')).toContain('before the first one');
    expect(await p.isDisabled('[data-testid=session-back]')).toBe(true);
    // n from the middle of the loop: the first syscall, the graph written to stdout.
    spin.restart();
    await p.keyboard.press('n');
    const first = spin.stepToNextSyscall();
    await expectPausedAt(first);
    expect(await p.textContent('[data-testid=session-memory]')).toContain('iovs[0]');
    await p.click('[data-testid=session-run]');
    await settled('done', spin.continueToEnd().seq);
  });
});
