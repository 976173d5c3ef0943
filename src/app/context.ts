// The app's state, shared with every panel through Svelte context (the Svelte REPL's pattern).
import { getContext, setContext } from 'svelte';
import type { AppState } from './state/app.svelte.ts';

const KEY = Symbol('sandbuild-app');

export function setApp(app: AppState): AppState {
  return setContext(KEY, app);
}

export function getApp(): AppState {
  return getContext<AppState>(KEY);
}
