// The active policy and the text being edited. An applied edit becomes the policy only once it parses.
// The policy pane edits `text` in Monaco (JSON Schema from src/policy/json-schema.ts); permalinks set
// `policy` and `text` directly.

import { parsePolicyText, PolicyError, type Policy } from '../../policy/index.ts';
import { AUDIT_POLICY, PRESETS } from '../panels/policy/presets.ts';

export class PolicyState {
  policy = $state.raw<Policy>(AUDIT_POLICY);
  presetId = $state('audit');
  text = $state(JSON.stringify(AUDIT_POLICY, null, 2));
  error = $state<string | null>(null);
  /** Set after a learn-mode run. */
  learned = $state.raw<Policy | null>(null);

  usePreset(id: string): boolean {
    const p = PRESETS.find((x) => x.id === id);
    if (!p) return false;
    this.presetId = id;
    this.policy = p.policy;
    this.text = JSON.stringify(p.policy, null, 2);
    this.error = null;
    return true;
  }

  /** Parse the edited text; on success it becomes the active policy. */
  applyText(): boolean {
    try {
      this.policy = parsePolicyText(this.text);
      this.presetId = 'custom';
      this.error = null;
      return true;
    } catch (e) {
      this.error = e instanceof PolicyError ? e.issues.join('\n') : String(e);
      return false;
    }
  }

  /** Load the learned policy into the editor, to be changed and applied (the active policy stays). */
  editLearned(): void {
    if (!this.learned) return;
    this.text = JSON.stringify(this.learned, null, 2);
    this.error = null;
  }

  /** The learned policy is the active one (accepted, or the same rules applied by hand). */
  get learnedActive(): boolean {
    return this.learned !== null && JSON.stringify(this.learned) === JSON.stringify(this.policy);
  }

  /** Adopt the learned policy as the active one. */
  acceptLearned(): void {
    if (this.learned) this.useCustom(this.learned);
  }

  /** Make a policy that is no preset the active one (a learned policy, a session's rules, a link's policy). */
  useCustom(p: Policy): void {
    this.policy = p;
    this.presetId = 'custom';
    this.text = JSON.stringify(p, null, 2);
    this.error = null;
  }
}
