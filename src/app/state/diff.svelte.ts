// Version diff: two packages (or the v1/v2 example pair) under the same options and policy.
// (Skeleton: filled in by the #6 work on this panel.)

import type { AppState } from './app.svelte.ts';

export class DiffState {
  /** The diff view replaces the work area while open. */
  open = $state(false);

  constructor(readonly app: AppState) {}
}
