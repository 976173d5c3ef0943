// Helpers shared by the Monaco pane tests (editor.e2e.ts, learn.e2e.ts): counting runs, reading the
// status bar's denial counts, and typing into a Monaco editor the way a user does.

import type { Page } from 'playwright-core';

/** Count every entry into the 'running' phase from now on (window.__sbRuns), to tell whether a run started. */
export async function armRunCounter(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __sbRuns: number; __sbObs?: MutationObserver };
    w.__sbRuns = 0;
    w.__sbObs?.disconnect();
    const el = document.querySelector('[data-testid=status]')!;
    w.__sbObs = new MutationObserver(() => {
      if (el.getAttribute('data-phase') === 'running') w.__sbRuns++;
    });
    w.__sbObs.observe(el, { attributes: true, attributeFilter: ['data-phase'] });
  });
}

export const runsSinceArmed = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { __sbRuns: number }).__sbRuns);

/** Wait until a run has started since armRunCounter and the page is ready again; returns the phase. */
export async function waitForRerun(page: Page, timeout = 180_000): Promise<string> {
  await page.waitForFunction(
    () => {
      const w = window as unknown as { __sbRuns: number };
      const p = document.querySelector('[data-testid=status]')?.getAttribute('data-phase');
      return w.__sbRuns > 0 && (p === 'ready' || p === 'error');
    },
    undefined,
    { timeout, polling: 50 },
  );
  return (await page.getAttribute('[data-testid=status]', 'data-phase')) ?? '';
}

/** The status bar's "N denied syscalls" and "N denied capabilities". */
export async function statusDenials(page: Page): Promise<{ syscalls: number; capabilities: number }> {
  const text = (await page.textContent('[data-testid=status]')) ?? '';
  const sys = /(\d+) denied syscalls?/.exec(text);
  const caps = /(\d+) denied capabilit(?:y|ies)/.exec(text);
  if (!sys || !caps) throw new Error(`no denial counts in the status bar: ${text}`);
  return { syscalls: Number(sys[1]), capabilities: Number(caps[1]) };
}

/** Wait for the Monaco editor inside `[data-testid=<testid>]` to be mounted. */
export async function monacoReady(page: Page, testid: string): Promise<void> {
  await page.waitForSelector(`[data-testid=${testid}][data-ready=true] .monaco-editor .view-lines`, { timeout: 60_000 });
}

/** Replace the whole text of a Monaco editor as a user would: focus, select all, type (one insertText). */
export async function typeInto(page: Page, testid: string, text: string): Promise<void> {
  await monacoReady(page, testid);
  // Near the top left of the text area: the text itself may be scrolled sideways (a long line).
  await page.click(`[data-testid=${testid}] .monaco-editor`, { position: { x: 80, y: 8 } });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The rendered text of the editor's visible lines (Monaco renders spaces as U+00A0). */
export async function visibleText(page: Page, testid: string): Promise<string> {
  const t = await page.textContent(`[data-testid=${testid}] .monaco-editor .view-lines`);
  return (t ?? '').replace(/\u00a0/g, ' ');
}
