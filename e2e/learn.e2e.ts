// Learned policy (issue #6 item 7): a package under the Learn preset, the smallest policy that allows the
// run is shown; Accept makes it the active policy and re-runs; Export downloads
// `sandbuild-policy.<package>.json`, which parsePolicy reads back. The learned policy and the counts under
// it are computed by the audit pipeline in this process too.
// d-system-deps (12 denied capabilities) ends with no denial at all. c-exfiltrate ends with no policy
// denial and no denied capability, but its sandbox escapes (`../.env`, `../.cache-loot`) stay denied:
// the host refuses them before any policy is asked (rule sandbox:outside-package), so no learned policy
// can allow them, and the status bar counts them among the denied syscalls.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditPolicy, ESCAPE_RULE, learnPolicy, loadPackageArchive, runAudit } from '../src/audit/index.ts';
import { interpEngine } from '../src/interp/index.ts';
import { parsePolicy, parsePolicyText } from '../src/policy/index.ts';
import { armRunCounter, statusDenials, waitForRerun } from './editor-support.ts';
import { graphAttrs, openPackage, ROOT, screenshot, type Harness } from './harness.ts';
import { useHarness } from './suite.ts';

const EXAMPLES = path.join(ROOT, 'public', 'examples');

let h: Harness;

useHarness((x) => (h = x));

/** Escapes among a run's syscall denials (the host's own refusals; no policy decides them). */
const escapes = (r: ReturnType<typeof runAudit>) => r.syscallDenials.filter((x) => x.decisions?.some((d) => d.verdict === 'deny' && d.rule === ESCAPE_RULE)).length;

async function learnAcceptExport(name: string): Promise<{ policyDenials: number; escapes: number }> {
  const tarball = path.join(EXAMPLES, `${name}.tar.gz`);
  const load = () => loadPackageArchive(new Uint8Array(readFileSync(tarball)));
  // Here: the audit denies things; learn mode gives a policy; what that policy still denies.
  const audited = runAudit({ fs: await load(), policy: auditPolicy(), engine: interpEngine });
  expect(audited.syscallDenials.length + audited.capDenials.length).toBeGreaterThan(0);
  const learnedRun = runAudit({ fs: await load(), policy: learnPolicy(), engine: interpEngine });
  const learned = learnedRun.learnedPolicy;
  if (!learned) throw new Error('learn mode gave no policy');
  const under = runAudit({ fs: await load(), policy: learned, engine: interpEngine });
  expect(under.capDenials.length).toBe(0);
  // Escapes are the same under any policy: learn mode met them too.
  expect(escapes(under)).toBe(escapes(learnedRun));

  await h.page.goto(h.url);
  await h.page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
  expect(await openPackage(h.page, tarball)).toBe('ready');
  expect(await statusDenials(h.page)).toEqual({ syscalls: audited.syscallDenials.length, capabilities: audited.capDenials.length });

  // Learn: everything the policy decides is allowed while learning, and the learned policy is shown.
  await h.page.click('[role=tab]:has-text("Policy")');
  await armRunCounter(h.page);
  await h.page.selectOption('#preset', 'learn');
  expect(await waitForRerun(h.page)).toBe('ready');
  expect(await h.page.textContent('[data-testid=policy-mode]')).toBe('learn');
  await h.page.waitForSelector('[data-testid=learned]');
  const shown = parsePolicyText((await h.page.textContent('[data-testid=learned-json]')) ?? '');
  expect(shown).toEqual(learned);
  await screenshot(h.page, `learn-${name}-learned`);

  // Export: the project's per-dependency allowlist file, readable by parsePolicy.
  const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.click('[data-testid=learned-export]')]);
  expect(download.suggestedFilename()).toBe(`sandbuild-policy.${name}.json`);
  expect(parsePolicy(JSON.parse(readFileSync(await download.path(), 'utf8')))).toEqual(learned);

  // Accept: it becomes the active (enforce-mode) policy and the re-run has what the audit gives under it.
  await armRunCounter(h.page);
  await h.page.click('[data-testid=learned-accept]');
  expect(await waitForRerun(h.page)).toBe('ready');
  expect(await h.page.textContent('[data-testid=policy-mode]')).toBe('enforce');
  expect(await h.page.getAttribute('[data-testid=status-policy]', 'data-preset')).toBe('custom');
  expect(await h.page.locator('[data-testid=learned] .active').count()).toBe(1);
  expect(await statusDenials(h.page)).toEqual({ syscalls: under.syscallDenials.length, capabilities: 0 });
  const g = await graphAttrs(h.page);
  expect(g.denied).toBe(0);
  expect(g['configure-denied']).toBe(under.syscallDenials.length);
  expect(g.blocked).toBe(under.blocked.length);
  // Whatever is still denied in the trace is an escape, never a policy rule.
  await h.page.check('[data-testid=denied-only]');
  const rows = await h.page.$$eval('[data-testid=trace-row]', (rs) => rs.map((r) => r.textContent ?? ''));
  expect(rows.length).toBe(under.syscallDenials.length);
  for (const r of rows) expect(r).toContain(ESCAPE_RULE);
  await h.page.uncheck('[data-testid=denied-only]');
  await screenshot(h.page, `learn-${name}-accepted`);

  // Edit: loads the learned policy into the editor; the active policy stays until applied.
  await h.page.click('[data-testid=learned-edit]');
  expect(await h.page.locator('[data-testid=learned] .active').count()).toBe(1);
  return { policyDenials: under.syscallDenials.length - escapes(under), escapes: escapes(under) };
}

describe('learned policy', () => {
  it('d-system-deps: learn, export, accept: no denied syscall and no denied capability', async () => {
    expect(await learnAcceptExport('d-system-deps')).toEqual({ policyDenials: 0, escapes: 0 });
    expect(await statusDenials(h.page)).toEqual({ syscalls: 0, capabilities: 0 });
  });

  it('c-exfiltrate: learn, export, accept: no policy denial left, only the sandbox escapes', async () => {
    const r = await learnAcceptExport('c-exfiltrate');
    expect(r.policyDenials).toBe(0);
    expect(r.escapes).toBeGreaterThan(0);
    expect(await statusDenials(h.page)).toEqual({ syscalls: r.escapes, capabilities: 0 });
  });
});
