// Step-through inspector state (interp engine): session controls, the paused call, prompts.
// (Skeleton: filled in by the #6 work on this panel.)

import type { AppState } from './app.svelte.ts';

export class SessionUi {
  constructor(readonly app: AppState) {}
}
