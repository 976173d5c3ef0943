// Monaco panes: the package's files (read-only, build.zig line reveal) and the raw graph JSON.
// (Skeleton: filled in by the #6 work on this panel.)

import type { AppState } from './app.svelte.ts';

export class EditorState {
  constructor(readonly app: AppState) {}
}
