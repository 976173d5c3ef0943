// What the step-through e2e tests share: wait for the session bar to settle at a stop, and compare the
// paused view with a stop of a session driven in the test process (src/session on the same package).

import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { formatCall } from '../src/app/panels/trace/format.ts';
import type { SessionState } from '../src/session/index.ts';

export interface Shown {
  status: string;
  seq: number;
  total: number;
  hash: string;
}

/** Wait until the session bar shows `status` at `seq` with no call in flight; read what it shows. */
export async function settled(page: Page, status: string, seq: number): Promise<Shown> {
  await page.waitForFunction(
    ([st, k]) => {
      const el = document.querySelector('[data-testid=session-status]');
      return el?.getAttribute('data-busy') === 'false' && el.getAttribute('data-status') === st && el.getAttribute('data-seq') === String(k);
    },
    [status, seq] as const,
    { timeout: 60_000, polling: 50 },
  );
  const el = page.locator('[data-testid=session-status]');
  return { status, seq, total: Number(await el.getAttribute('data-total')), hash: (await el.getAttribute('data-hash')) ?? '' };
}

/** The paused view (and the trace panel's selected row) must show exactly the reference session's stop. */
export async function expectPausedAt(page: Page, st: SessionState): Promise<Shown> {
  expect(st.status).toBe('paused');
  const shown = await settled(page, 'paused', st.seq);
  expect(await page.textContent('[data-testid=session-seq]')).toBe(`#${st.seq}`);
  expect(await page.textContent('[data-testid=session-fn]')).toBe(st.call!.fn);
  expect(JSON.parse((await page.getAttribute('[data-testid=session-args]', 'data-args'))!)).toEqual(st.call!.record.args);
  const argNames = await page.$$eval('[data-testid=session-args] tr', (rows) => rows.map((r) => r.getAttribute('data-arg')));
  expect(argNames).toEqual(Object.keys(st.call!.record.args));
  expect(await page.getAttribute('[data-testid=session-errno]', 'data-errno')).toBe(st.call!.record.errno);
  expect(await page.getAttribute('[data-testid=session-decision]', 'data-verdict')).toBe(st.decision?.verdict ?? '');
  if (st.decision) expect(await page.textContent('[data-testid=session-rule]')).toBe(st.decision.rule);
  expect(shown.total).toBe(st.traceTotal);
  expect(shown.hash).toBe(st.traceHash);
  // The trace panel holds the session's trace, with the paused record selected.
  expect(await page.textContent('[data-testid=trace-count]')).toContain(`${st.traceTotal} recorded`);
  const picked = page.locator('[data-testid=trace-row].picked');
  expect(await picked.locator('.seq').textContent()).toBe(String(st.seq));
  expect(await picked.locator('.call').textContent()).toBe(formatCall(st.call!.record));
  return shown;
}

/** Wait for the prompt and check it asks the reference session's question. */
export async function expectAsked(page: Page, st: SessionState): Promise<void> {
  expect(st.status).toBe('ask');
  await settled(page, 'ask', st.seq);
  const q = st.question!;
  expect(await page.textContent('[data-testid=session-question]')).toBe(q.text);
  expect(await page.getAttribute('[data-testid=session-prompt]', 'data-path')).toBe(q.path);
  expect(await page.getAttribute('[data-testid=session-prompt]', 'data-op')).toBe(q.op);
}
