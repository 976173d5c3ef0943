// The hooks most e2e files share: one harness (preview server + Chromium page) per file, and after every
// test no uncaught page error and nothing logged as an error.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

/** Registers the hooks; `set` receives the harness once it runs (before the first test). */
export function useHarness(set: (h: Harness) => void): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness();
    set(h);
  });
  afterEach(() => {
    expect(h?.errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await h?.close();
  });
}
