// Regression and determinism check over every example under the default auditing policy, on both engines:
// verdicts and graph sizes as measured before host paths became policy decisions (the `deny-host-paths` and
// `build-outputs` rules, decisions before existence checks); only c-exfiltrate has syscall denials, and
// the new rules change nothing in the other packages' traces.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPackage } from '../cli/package-loader.ts';
import type { Engine } from '../interp/api.ts';
import { interpEngine, nativeEngine } from '../interp/index.ts';
import { parsePolicy, type Policy } from '../policy/schema.ts';
import { auditPolicy } from './default-policy.ts';
import { denyingDecision } from './denials.ts';
import { syscallKey } from './diff.ts';
import { hasDenials, runAudit, type AuditResult } from './run-audit.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function audit(name: string, engine: Engine, policy: Policy = auditPolicy()): Promise<AuditResult> {
  const { fs } = await loadPackage(path.join(ROOT, 'examples', name), policy);
  return runAudit({ fs, policy, engine });
}

/** [example, graph steps, `sandbuild audit` verdict] (exit 0 clean, 3 denied), as measured on 2026-11-28. */
const BASELINE: [string, number, 'clean' | 'denied'][] = [
  ['a-hello-lib', 13, 'clean'],
  ['b-asset-pipeline', 10, 'denied'],
  ['c-exfiltrate', 7, 'denied'],
  ['d-system-deps', 10, 'denied'],
  ['e-vendored-deps', 14, 'denied'],
  ['f-optional-fetch', 6, 'clean'],
  ['g-v1', 9, 'clean'],
  ['g-v2', 10, 'denied'],
];

describe.each(BASELINE)('%s under the default policy', (name, steps, verdict) => {
  it('gives the same graph size and verdict on interp and native, with identical traces', async () => {
    const [i, n] = await Promise.all([audit(name, interpEngine), audit(name, nativeEngine)]);
    for (const r of [i, n]) {
      expect(r.outcome).toEqual({ status: 'exit', code: 0 });
      expect(r.graph?.steps.length).toBe(steps);
      expect(hasDenials(r) ? 'denied' : 'clean').toBe(verdict);
    }
    // Byte-identical traces (no stacks are captured), decisions with their guest paths included.
    expect(JSON.stringify(n.trace)).toBe(JSON.stringify(i.trace));
    expect(n.stdout).toBe(i.stdout);
    if (name !== 'c-exfiltrate') {
      // The package reads only its own files: no syscall denials, no missing lookups (capability denials
      // are the graph's, unchanged).
      expect(i.syscallDenials).toEqual([]);
      expect(i.missing).toEqual([]);
    }
  });
});

describe('the host-path rules', () => {
  /** The default policy as it was before: read the package, nothing else named. */
  const withoutHostRules = (): Policy => {
    const p = auditPolicy();
    return parsePolicy({ ...p, fs: p.fs.filter((r) => r.id !== 'deny-host-paths' && r.id !== 'build-outputs') });
  };

  it.each(BASELINE.filter(([n]) => n !== 'c-exfiltrate').map(([n]) => n))('change nothing in %s', async (name) => {
    const [now, before] = [await audit(name, interpEngine), await audit(name, interpEngine, withoutHostRules())];
    expect(now.trace.map(syscallKey)).toEqual(before.trace.map(syscallKey));
    expect(now.stdout).toBe(before.stdout);
  });

  it.each([
    ['interp', interpEngine],
    ['native', nativeEngine],
  ])('c-exfiltrate: the $HOME/.ssh/id_rsa read is a denied syscall with its rule (%s)', async (_, engine) => {
    // No environment is offered, so the script falls back to HOME=/root.
    const r = await audit('c-exfiltrate', engine);
    const rows = r.syscallDenials.map((d) => ({ fn: d.fn, errno: d.errno, ...denyingDecision(d) }));
    expect(rows[0]).toEqual({
      fn: 'path_open', errno: 'acces', op: 'read', path: 'root/.ssh/id_rsa', guestPath: '/root/.ssh/id_rsa', verdict: 'deny', rule: 'deny-host-paths',
    });
    expect(rows.map((x) => `${x.op} ${x.guestPath} ${x.rule}`)).toEqual([
      'read /root/.ssh/id_rsa deny-host-paths',
      'read /root/.aws/credentials deny-host-paths',
      'read /../.env sandbox:outside-package',
      'read /../../.npmrc sandbox:outside-package',
      'create /../.cache-loot sandbox:outside-package',
      'create /root/.config/autostart/tiny.desktop sandbox:outside-package',
    ]);
    expect(r.missing).toEqual([]);
    // Without the rule the same read is only a missing lookup: the rule is what turns it into a denial.
    const before = await audit('c-exfiltrate', engine, withoutHostRules());
    expect(before.missing.map((m) => m.guestPath)).toEqual(['/root/.ssh/id_rsa', '/root/.aws/credentials']);
  });
});
