// Keyboard focus after session actions: the button pressed is often replaced (Step through → Inspector,
// Close session → Step through, a prompt's answer buttons), which drops focus to <body>. These put it on
// the control that does the next thing, once Svelte has drawn it.

import { tick } from 'svelte';

/** Focus the control with this data-testid after the next DOM update (no-op when it is absent). */
export async function focusTestId(id: string): Promise<void> {
  await tick();
  document.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.focus();
}

/** Svelte action: focus the element when it appears (the prompt dialog, so keys and Tab start inside it). */
export function focusOnMount(node: HTMLElement): void {
  node.focus();
}
