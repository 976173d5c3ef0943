// `sandbuild audit --make STEP` end to end (node bin/sandbuild.mjs): the step's outcome, its syscalls and
// denials attributed to it, and the exit status (0 made and clean, 3 something denied, 1 the make failed
// without a denial or the step cannot be made, 2 usage).

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/default-policy.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sandbuild.mjs');
const ex = (name: string) => path.join(ROOT, 'examples', name);

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-cli-make-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The auditing policy, granting custom steps (so the graph verdict alone is clean), plus fs rules first. */
function policyFile(name: string, fsFirst: object[] = []): string {
  const base = auditPolicy();
  const file = path.join(scratch, `${name}.json`);
  writeFileSync(file, JSON.stringify({
    ...base,
    fs: [...fsFirst, ...base.fs],
    capabilities: { ...base.capabilities, rules: [...(base.capabilities?.rules ?? []), { id: 'custom-steps', kinds: ['custom-make'], verdict: 'allow' }] },
  }));
  return file;
}

describe('sandbuild audit --make', () => {
  it('b-asset-pipeline: the step is made, its reads listed apart from configure', async () => {
    const r = await cli('audit', ex('b-asset-pipeline'), '--make', 'validate icons', '--policy', policyFile('grant'));
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toContain('configure-time syscalls: 14, denied: 0');
    expect(lines).toContain('make step 6 "validate icons": ok');
    expect(lines).toContain('make-time syscalls (attributed to step 6): 19, denied: 0');
    expect(lines.at(-2)).toBe('result: clean');
    expect(r.code).toBe(0);
  });

  it('a policy that denies the assets: the make fails, the denial is the step\'s, exit 3', async () => {
    const r = await cli('audit', ex('b-asset-pipeline'), '--make', 'validate icons', '--policy',
      policyFile('no-assets', [{ id: 'no-assets', ops: ['read'], paths: ['assets', 'assets/**'], verdict: 'deny' }]));
    const lines = r.stdout.split('\n');
    expect(lines).toContain('configure-time syscalls: 14, denied: 0');
    expect(lines).toContain('make step 6 "validate icons": FAILED: AccessDenied');
    expect(lines).toContain('make-time syscalls (attributed to step 6): 4, denied: 1');
    expect(lines.filter((l) => l.includes('DENIED #')).map((l) => l.replace(/#\d+ /, ''))).toEqual([
      '  DENIED path_open read /assets (errno acces) by rule no-assets',
    ]);
    expect(lines.at(-2)).toBe('result: DENIED (0 syscalls, 1 make-time syscalls, 0 capability requests)');
    expect(r.code).toBe(3);
  });

  it('a malformed icon: the step\'s own failure message, exit 1', async () => {
    const pkg = path.join(scratch, 'bad-icon');
    cpSync(ex('b-asset-pipeline'), pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'assets/bad.tvgt'), 'GIF89a');
    const r = await cli('audit', pkg, '--make', '6', '--policy', policyFile('grant2'), '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc.make).toMatchObject({ request: '6', step: 6, stepName: 'validate icons', status: 'error', message: 'bad.tvgt: not a TinyVG text file', syscallDenials: [] });
    expect(doc.verdict).toBe('failed');
    expect(r.code).toBe(1);
  });

  it('e-vendored-deps: a dependency\'s custom step', async () => {
    const r = await cli('audit', ex('e-vendored-deps'), '--make', 'beta: check data', '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc.make).toMatchObject({ stepName: 'beta: check data', status: 'ok', syscallDenials: [], missing: [] });
    expect(doc.graph.steps[doc.make.step].package).toBe('beta');
    expect(doc.make.syscalls).toBeGreaterThan(0);
  });

  it('a step that is not custom cannot be made: exit 1 with the runner\'s message; an empty name is usage', async () => {
    const r = await cli('audit', ex('b-asset-pipeline'), '--make', 'install');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--make: step 0 'install' is a top_level step; only custom steps can be made in the sandbox");
    const usage = await cli('audit', ex('b-asset-pipeline'), '--make=');
    expect(usage.code).toBe(2);
  });
});
