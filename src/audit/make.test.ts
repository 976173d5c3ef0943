// `make`: one custom step made in the sandbox after configure (guest/make.zig), on the committed example
// wasm on both engines: its reads go through the policy, the trace attributes them to the step, and its
// denials are listed apart from configure's. MakeAttribution's guards against forged markers are checked
// on synthetic input.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPackage } from '../cli/package-loader.ts';
import type { Engine } from '../interp/api.ts';
import { interpEngine, nativeEngine } from '../interp/index.ts';
import { parsePolicy, type Policy } from '../policy/schema.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { auditPolicy } from './default-policy.ts';
import { denyingDecision } from './denials.ts';
import { MakeAttribution, type AttributedRecord } from './make.ts';
import { hasDenials, runAudit, type AuditRequest } from './run-audit.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function audit(name: string, engine: Engine, extra: Partial<AuditRequest> = {}) {
  const policy = extra.policy ?? auditPolicy();
  const { fs } = await loadPackage(path.join(ROOT, 'examples', name), policy);
  return runAudit({ fs, policy, engine, ...extra });
}

/** The auditing policy with a first rule that denies reads below `paths`. */
function denyReads(id: string, paths: string[]): Policy {
  const base = auditPolicy();
  return parsePolicy({ ...base, fs: [{ id, ops: ['read'], paths, verdict: 'deny' }, ...base.fs] });
}

/** Paths the step opened, as the policy judged them. */
const opened = (rs: TraceRecord[]) => rs.filter((r) => r.fn === 'path_open').map((r) => r.decisions?.[0]?.path);

describe.each([
  ['interp', interpEngine],
  ['native', nativeEngine],
])('make on %s', (_, engine) => {
  it('b-asset-pipeline: "validate icons" reads the icons, and the trace attributes the reads to the step', async () => {
    const plain = await audit('b-asset-pipeline', engine);
    const r = await audit('b-asset-pipeline', engine, { make: 'validate icons' });
    expect(r.outcome).toEqual({ status: 'exit', code: 0 });
    // Making happens after the graph is printed: the graph is the one a plain audit sees.
    expect(r.graph).toEqual(plain.graph);
    const id = r.graph!.steps.find((s) => s.name === 'validate icons')!.id;
    expect(r.graph!.steps[id].kind).toBe('custom');
    const m = r.make!;
    expect(m).toMatchObject({ request: 'validate icons', step: id, status: 'ok', denials: [], missing: [] });
    expect(opened(m.syscalls)).toEqual(['assets', 'assets/close.tvgt', 'assets/logo.tvgt']);
    expect(m.syscalls.filter((s) => s.fn === 'path_open').map((s) => s.decisions?.[0]?.rule)).toEqual(['read-package', 'read-package', 'read-package']);
    expect(m.syscalls.every((s) => s.step === id)).toBe(true);
    // The split is exact: the step's records are the tail of the trace, configure's carry no step.
    const trace = r.trace as AttributedRecord[];
    const first = trace.findIndex((t) => t.step !== undefined);
    expect(trace.slice(first)).toEqual(m.syscalls);
    expect(trace.slice(0, first).every((t) => t.step === undefined)).toBe(true);
    expect(m.syscallTotal).toBe(r.traceTotal - first);
    // Configure itself never opens the assets.
    expect(opened(trace.slice(0, first))).not.toContain('assets');
    expect(r.syscallDenials).toEqual([]);
    expect(r.stderr).toBe(`sandbuild:make-begin ${id}\nsandbuild:make-end ${id} ok\n`);
  });

  it('b-asset-pipeline: a policy that denies the assets makes the make fail, with the denial on the step', async () => {
    const r = await audit('b-asset-pipeline', engine, { make: 'validate icons', policy: denyReads('no-assets', ['assets', 'assets/**']) });
    expect(r.outcome).toEqual({ status: 'exit', code: 0 });
    const id = r.graph!.steps.find((s) => s.name === 'validate icons')!.id;
    const m = r.make!;
    expect(m.status).toBe('error');
    // std.fs maps WASI `acces` to error.AccessDenied; Step.make reports the error name.
    expect(m.message).toBe('AccessDenied');
    expect(m.denials.map((d) => ({ fn: d.fn, errno: d.errno, step: (d as AttributedRecord).step, ...denyingDecision(d) }))).toEqual([
      { fn: 'path_open', errno: 'acces', step: id, op: 'read', path: 'assets', guestPath: '/assets', verdict: 'deny', rule: 'no-assets' },
    ]);
    // Configure never read the assets, so it has no denial of its own.
    expect(r.syscallDenials).toEqual([]);
    expect(hasDenials(r)).toBe(true);
  });

  it('e-vendored-deps: a dependency\'s custom step reads its own data through its build root', async () => {
    const r = await audit('e-vendored-deps', engine, { make: 'beta: check data' });
    const step = r.graph!.steps.find((s) => s.name === 'beta: check data')!;
    expect(step).toMatchObject({ kind: 'custom', package: 'beta' });
    const m = r.make!;
    expect(m).toMatchObject({ step: step.id, status: 'ok', denials: [] });
    expect(opened(m.syscalls)).toEqual(['deps/beta/data/words.txt']);

    const denied = await audit('e-vendored-deps', engine, { make: String(step.id), policy: denyReads('no-beta-data', ['deps/beta/data/**']) });
    expect(denied.make).toMatchObject({ request: String(step.id), step: step.id, status: 'error', message: 'AccessDenied' });
    expect(denied.make!.denials.map((d) => denyingDecision(d)?.rule)).toEqual(['no-beta-data']);
    expect(denied.syscallDenials).toEqual([]);
  });

  it('a step that is not custom, or does not exist, is not made: the runner stops before the graph', async () => {
    const install = await audit('b-asset-pipeline', engine, { make: 'install' });
    expect(install.outcome).toEqual({ status: 'exit', code: 1 });
    expect(install.graph).toBeUndefined();
    expect(install.make).toMatchObject({ status: 'not-run', syscallTotal: 0 });
    expect(install.make!.message).toBe("sandbuild runner: --make: step 0 'install' is a top_level step; only custom steps can be made in the sandbox");
    const none = await audit('b-asset-pipeline', engine, { make: 'no such step' });
    expect(none.make).toMatchObject({ status: 'not-run', message: "sandbuild runner: --make: no step is named or numbered 'no such step'" });
  });
});

describe('MakeAttribution', () => {
  const enc = new TextEncoder();
  let seq = 0;
  const rec = (fn = 'fd_write'): TraceRecord => ({ seq: seq++, fn, args: {}, errno: 'success' });

  it('a begin marker before any stdout (configure forging it) is ignored', () => {
    const a = new MakeAttribution('x', 100);
    a.stderr(enc.encode('sandbuild:make-begin 3\n'));
    expect(a.record(rec())).toBe(false);
    a.stdout(enc.encode('{"version":1}\n'));
    a.stderr(enc.encode('sandbuild:make-begin 4\n'));
    expect(a.record(rec())).toBe(true);
    expect(a.result(true, '')).toMatchObject({ step: 4, status: 'error', message: 'the runner printed no make-end marker', syscallTotal: 1 });
  });

  it('a forged make-end does not end attribution; the last end line of the step decides', () => {
    const a = new MakeAttribution('x', 100);
    a.stdout(enc.encode('{}'));
    a.stderr(enc.encode('sandbuild:make-begin 2\n'));
    a.record(rec());
    a.stderr(enc.encode('sandbuild:make-end 2 ok\nsandbuild:make-begin 7\n'));
    expect(a.record(rec('path_open'))).toBe(true);
    // Split across writes, as a line may be.
    a.stderr(enc.encode('sandbuild:make-end 2 err'));
    a.stderr(enc.encode('or FileNotFound\n'));
    expect(a.result(true, '')).toMatchObject({ step: 2, status: 'error', message: 'FileNotFound', syscallTotal: 2 });
  });

  it('a run that did not exit cleanly after make began is a trap, whatever it printed', () => {
    const a = new MakeAttribution('x', 100);
    a.stdout(enc.encode('{}'));
    a.stderr(enc.encode('sandbuild:make-begin 1\nsandbuild:make-end 1 ok\n'));
    expect(a.result(false, '')).toMatchObject({ step: 1, status: 'trap' });
  });

  it('keeps at most maxListed records but counts all', () => {
    const a = new MakeAttribution('x', 2);
    a.stdout(enc.encode('{}'));
    a.stderr(enc.encode('sandbuild:make-begin 0\n'));
    for (let i = 0; i < 5; i++) a.record(rec());
    const m = a.result(true, '');
    expect(m.syscallTotal).toBe(5);
    expect(m.syscalls).toHaveLength(2);
  });
});
