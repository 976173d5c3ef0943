// Live permission prompts in Chromium (issue #6 item 2): c-exfiltrate under the Ask preset asks before
// reading the host's SSH key and AWS credentials. The test answers "allow once" to the first and "deny" to
// the second and checks, against a session driven in this process on the same package and policy, what
// the guest got back (errno and verdict); then "allow always" adds a rule that can be adopted.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../src/app/panels/policy/presets.ts';
import { loadPackageArchive } from '../src/audit/index.ts';
import type { Policy } from '../src/policy/index.ts';
import { createSession, type Session } from '../src/session/index.ts';
import { openPackage, ROOT, screenshot, settle, type Harness } from './harness.ts';
import { expectAsked, expectPausedAt, settled } from './session-helpers.ts';
import { useHarness } from './suite.ts';

const TARBALL = path.join(ROOT, 'public', 'examples', 'c-exfiltrate.tar.gz');
const ASK: Policy = PRESETS.find((p) => p.id === 'ask')!.policy;

let h: Harness;
let ref: Session;

useHarness((x) => (h = x));

beforeAll(async () => {
  ref = createSession({ fs: await loadPackageArchive(new Uint8Array(readFileSync(TARBALL))), policy: ASK });
});

describe('live prompts', () => {
  it('answers allow once, then deny, and the guest gets what was answered', async () => {
    const p = h.page;
    await p.goto(h.url);
    await p.waitForSelector('[data-testid=file-input]', { state: 'attached' });
    expect(await openPackage(p, TARBALL)).toBe('ready');
    await p.click('[role=tab]:has-text("Policy")');
    await p.selectOption('#preset', 'ask');
    expect(await settle(p)).toBe('ready');

    await p.click('[data-testid=session-start]');
    await settled(p, 'ready', -1);
    await p.click('[data-testid=session-run]');

    // First question: the SSH key. Allow once: the lookup goes ahead (the sandbox has no such file).
    const q1 = ref.continueToEnd();
    await expectAsked(p, q1);
    expect(q1.question!.path).toBe('root/.ssh/id_rsa');
    expect(await p.isDisabled('[data-testid=session-next]')).toBe(true);
    await screenshot(p, 'session-prompt');
    await p.click('[data-testid=session-allow-once]');
    const once = ref.answer('once');
    expect(once.decision).toMatchObject({ verdict: 'allow', path: q1.question!.path });
    expect(once.call!.record.errno).toBe('noent');
    await expectPausedAt(p, once);
    await p.waitForSelector('[data-testid=session-prompt]', { state: 'detached' });

    // Second question: the AWS credentials. Deny: the guest gets acces.
    await p.click('[data-testid=session-run]');
    const q2 = ref.continueToEnd();
    await expectAsked(p, q2);
    expect(q2.question!.path).toBe('root/.aws/credentials');
    await p.click('[data-testid=session-deny]');
    const denied = ref.answer('deny');
    expect(denied.decision).toMatchObject({ verdict: 'deny', path: q2.question!.path });
    expect(denied.call!.record.errno).toBe('acces');
    await expectPausedAt(p, denied);
    expect(await p.getAttribute('[data-testid=session-decision]', 'class')).toContain('deny');

    // On to the end: the same trace as the reference run with the same answers.
    await p.click('[data-testid=session-run]');
    const end = ref.continueToEnd();
    expect(end.status).toBe('done');
    const done = await settled(p, 'done', end.seq);
    expect(done.hash).toBe(end.traceHash);
    // No "always": nothing to adopt.
    expect(await p.locator('[data-testid=session-offer]').count()).toBe(0);
  });

  it('"allow always" adds a rule; a restart asks only the other question; adopting makes it the policy', async () => {
    const p = h.page;
    ref.restart();
    await p.click('[data-testid=session-restart]');
    await settled(p, 'ready', -1);
    await p.click('[data-testid=session-run]');
    const q1 = ref.continueToEnd();
    await expectAsked(p, q1);
    await p.click('[data-testid=session-allow-always]');
    const always = ref.answer('always');
    await expectPausedAt(p, always);
    const rule = ref.policy.fs[0];
    expect(rule).toMatchObject({ verdict: 'allow', ops: ['read'], paths: [q1.question!.path] });
    expect(await p.textContent('[data-testid=session-offer]')).toContain(rule.id);

    // Restart runs with the edited policy: the SSH key is no longer asked about.
    await p.click('[data-testid=session-restart]');
    ref.restart();
    await settled(p, 'ready', -1);
    await p.click('[data-testid=session-run]');
    const next = ref.continueToEnd();
    expect(next.question!.path).toBe('root/.aws/credentials');
    await expectAsked(p, next);
    await p.click('[data-testid=session-deny]');
    await expectPausedAt(p, ref.answer('deny'));

    // Adopt: the app's policy becomes the session's, and the normal run re-runs with it (closing the session).
    await p.click('[data-testid=session-adopt]');
    expect(await settle(p)).toBe('ready');
    await p.waitForSelector('[data-testid=session-bar]', { state: 'detached' });
    await p.click('[role=tab]:has-text("Policy")');
    expect(await p.inputValue('#preset')).toBe('custom');
    // The run used it: the SSH key read is allowed now (a lookup that finds nothing), the credentials still not.
    await p.fill('input[aria-label="Filter by path"]', 'id_rsa');
    await p.waitForSelector('[data-testid=trace-row]');
    const rows = await p.$$eval('[data-testid=trace-row]', (els) => els.map((e) => e.textContent ?? ''));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toContain(`allow ${rule.id}`);
  });
});
