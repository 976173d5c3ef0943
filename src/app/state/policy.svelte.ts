// The active policy and the text being edited. An applied edit becomes the policy only once it parses.

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

  /** Adopt the learned policy as the active one. */
  acceptLearned(): void {
    if (!this.learned) return;
    this.policy = this.learned;
    this.presetId = 'custom';
    this.text = JSON.stringify(this.learned, null, 2);
    this.error = null;
  }
}
