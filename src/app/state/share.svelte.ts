// Permalinks (copy link, open a link) and exports (graph SVG/PNG, trace JSONL).
// (Skeleton: filled in by the #6 work on this panel.)

import type { AppState } from './app.svelte.ts';

export class ShareState {
  constructor(readonly app: AppState) {}
}
