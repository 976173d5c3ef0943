// Build the static site once for the whole e2e run (each test file then serves the same dist/).
import { buildDist } from './harness.ts';

export default function setup(): void {
  if (process.env.SANDBUILD_E2E_NO_BUILD === '1') return;
  buildDist();
  // Test files run in child processes started after this, so they inherit the flag.
  process.env.SANDBUILD_E2E_NO_BUILD = '1';
}
