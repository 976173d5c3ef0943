// The step-through session through the worker API, in-process, on the c-exfiltrate example: where the
// first syscall and the first denial are is computed by src/audit's runAudit on the same package, not
// written down here. Every answer must be plain data (what postMessage and a permalink can carry).

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPolicy, denyingDecision, loadPackageArchive, runAudit, type AuditResult } from '../audit/index.ts';
import { interpEngine } from '../interp/index.ts';
import type { TraceRecord } from '../wasi-vfs/index.ts';
import { parsePolicy } from '../policy/index.ts';
import { api } from './api.ts';
import { assertPlain } from './test-support.ts';
import type { Result, SessionView } from './types.ts';

const archive = new Uint8Array(readFileSync(new URL('../../public/examples/c-exfiltrate.tar.gz', import.meta.url)));
const policy = auditPolicy();
const req = { options: {}, policy, engine: 'interp' as const };

function ok(r: Result<SessionView>): SessionView {
  if (!r.ok) throw new Error(`${r.error.phase}/${r.error.kind}: ${r.error.message}`);
  assertPlain(r.value);
  return r.value;
}

/** The client's copy of the trace, kept from deltas only. */
class Mirror {
  records: TraceRecord[] = [];
  apply(v: SessionView): SessionView {
    this.records = this.records.filter((r) => r.seq < v.trace.from).concat(v.trace.records);
    return v;
  }
}

const withoutDelta = ({ trace: _trace, ...rest }: SessionView) => rest;

let whole: AuditResult;

beforeAll(async () => {
  whole = runAudit({ fs: await loadPackageArchive(archive), policy, engine: interpEngine });
  expect(whole.trace.length).toBeGreaterThan(0);
  expect(whole.syscallDenials.length).toBeGreaterThan(0);
});

describe('session calls without a session', () => {
  it('answer state/no-session for every call, and state/not-loaded when opening without a package', async () => {
    await api.cancel();
    const calls = [api.sessionStep(), api.sessionNextDenied(), api.sessionToEnd(), api.sessionRunTo(3), api.sessionBack(), api.sessionRestart(), api.sessionAnswer('once'), api.sessionState()];
    for (const r of await Promise.all(calls)) expect(r).toEqual({ ok: false, error: { phase: 'state', kind: 'no-session', message: 'no session is open (call openSession first)' } });
    expect(await api.closeSession()).toEqual({ ok: true, value: false });
    const r = await api.openSession(req);
    expect(r.ok || r.error).toMatchObject({ phase: 'state', kind: 'not-loaded' });
  });

  it('refuses the native engine (it cannot pause at a syscall)', async () => {
    await api.load(archive);
    const r = await api.openSession({ ...req, engine: 'native' as 'interp' });
    expect(r.ok || r.error).toMatchObject({ phase: 'state', kind: 'bad-engine' });
  });
});

describe('a session on c-exfiltrate', () => {
  beforeAll(async () => {
    expect((await api.load(archive)).ok).toBe(true);
  });

  it('opens ready, steps to the first syscall, and stops at the audit’s first denial', async () => {
    const m = new Mirror();
    const open = m.apply(ok(await api.openSession(req)));
    expect(open).toMatchObject({ status: 'ready', seq: -1, traceTotal: 0, trace: { from: 0, records: [] } });
    const first = m.apply(ok(await api.sessionStep()));
    expect(first.status).toBe('paused');
    expect(first.seq).toBe(whole.trace[0].seq);
    expect(first.call!.fn).toBe(whole.trace[0].fn);
    expect(first.call!.record.errno).toBe(whole.trace[0].errno);
    expect(first.trace).toMatchObject({ from: 0, records: [{ seq: first.seq, fn: first.call!.fn }] });

    const denial = whole.syscallDenials[0];
    const d = m.apply(ok(await api.sessionNextDenied()));
    expect(d.status).toBe('paused');
    expect(d.seq).toBe(denial.seq);
    expect(d.call!.fn).toBe(denial.fn);
    expect(d.decision).toEqual(denyingDecision(denial));
    // Only the new records came: the mirror holds exactly seq 0..d.seq, as the full run did.
    expect(d.trace.from).toBe(first.seq + 1);
    expect(m.records.map((r) => [r.seq, r.fn, r.errno])).toEqual(whole.trace.slice(0, d.seq + 1).map((r) => [r.seq, r.fn, r.errno]));
    expect(d.stack.length).toBeGreaterThan(0);
    // The records sent carry the same attribution a normal run's batches do (the trace panel's filter).
    expect(m.records.at(-1)!.attribution).toMatchObject({ root: true, file: 'build.zig', line: d.attribution!.line });
    expect(d.memory.length).toBeGreaterThan(0);
    expect(d.memory.every((r) => r.bytes.length <= r.len)).toBe(true);
  });

  it('back returns the identical state, and the mirror is cut, not resent', async () => {
    const m = new Mirror();
    m.apply(ok(await api.openSession(req)));
    m.apply(ok(await api.sessionRunTo(whole.syscallDenials[0].seq)));
    const k = m.apply(ok(await api.sessionStep()));
    const atK = structuredClone(m.records);
    const next = m.apply(ok(await api.sessionStep()));
    expect(next.seq).toBe(k.seq + 1);
    const back = m.apply(ok(await api.sessionBack()));
    expect(back.trace).toEqual({ from: k.seq + 1, records: [] });
    expect(withoutDelta(back)).toEqual(withoutDelta(k));
    expect(m.records).toEqual(atK);
    // Run-to forwards from the start lands on the same state too.
    m.apply(ok(await api.sessionRunTo(-1)));
    expect(m.records).toEqual([]);
    const again = m.apply(ok(await api.sessionRunTo(k.seq)));
    expect(withoutDelta(again)).toEqual(withoutDelta(k));
    expect(m.records).toEqual(atK);
  });

  it('runs to the end with the audit’s result, restarts, and resends the trace on request', async () => {
    const m = new Mirror();
    m.apply(ok(await api.openSession(req)));
    let v = m.apply(ok(await api.sessionStep()));
    const denials: number[] = [];
    for (v = m.apply(ok(await api.sessionNextDenied())); v.status === 'paused'; v = m.apply(ok(await api.sessionNextDenied()))) denials.push(v.seq);
    expect(denials).toEqual(whole.syscallDenials.map((d) => d.seq));
    expect(v.status).toBe('done');
    expect(v.seq).toBe(whole.traceTotal);
    expect(v.result!.summary).toMatchObject({ syscalls: whole.traceTotal, syscallDenials: whole.syscallDenials.length, stepCount: whole.graph!.steps.length, outcome: whole.outcome });
    expect(v.result!.graph).toEqual(whole.graph);
    expect(m.records.map((r) => r.seq)).toEqual(whole.trace.map((r) => r.seq));
    const full = ok(await api.sessionState(0));
    expect(full.trace).toEqual({ from: 0, records: m.records });
    expect(full.traceHash).toBe(v.traceHash);

    const fresh = m.apply(ok(await api.sessionRestart()));
    expect(fresh).toMatchObject({ status: 'ready', seq: -1, traceTotal: 0, trace: { from: 0, records: [] } });
    expect(m.records).toEqual([]);
    const first = m.apply(ok(await api.sessionStep()));
    expect(first.seq).toBe(whole.trace[0].seq);
  });

  it('runs to the end in slices: each cut-short answer is running, and the end equals one unsliced run', async () => {
    const m = new Mirror();
    m.apply(ok(await api.openSession(req)));
    let v = m.apply(ok(await api.sessionToEnd(20_000)));
    let slices = 1;
    while (v.status === 'running') {
      expect(v.call).toBeUndefined();
      v = m.apply(ok(await api.sessionToEnd(20_000)));
      slices++;
    }
    expect(v.status).toBe('done');
    // The examples run a few hundred thousand instructions: a 20k slice must have cut the run.
    expect(slices).toBeGreaterThan(2);
    expect(slices).toBeGreaterThanOrEqual(Math.floor(v.fuelUsed / 20_000));
    expect(m.records.map((r) => [r.seq, r.fn, r.errno])).toEqual(whole.trace.map((r) => [r.seq, r.fn, r.errno]));
    expect(v.result!.summary.syscalls).toBe(whole.traceTotal);
    expect(await api.sessionToEnd(0)).toMatchObject({ ok: false, error: { phase: 'session', kind: 'bad-argument' } });
    expect(await api.sessionToEnd(1.5)).toMatchObject({ ok: false, error: { phase: 'session', kind: 'bad-argument' } });
  });

  it('moves in slices with resume: back and next-denied reach the same state as in one call', async () => {
    const m = new Mirror();
    m.apply(ok(await api.openSession(req)));
    const d = m.apply(ok(await api.sessionNextDenied()));
    const atD = structuredClone(m.records);
    m.apply(ok(await api.sessionStep()));
    // Back is a replay from the start: in slices of 20k instructions it takes several answers.
    let v = m.apply(ok(await api.sessionBack(20_000)));
    let answers = 1;
    while (v.status === 'running') {
      v = m.apply(ok(await api.sessionResume(20_000)));
      answers++;
    }
    expect(answers).toBeGreaterThan(1);
    expect(withoutDelta(v)).toEqual(withoutDelta(d));
    expect(m.records).toEqual(atD);
    // From the start again, next-denied in slices: the same stop.
    m.apply(ok(await api.sessionRunTo(-1)));
    v = m.apply(ok(await api.sessionNextDenied(20_000)));
    expect(v.status).toBe('running');
    while (v.status === 'running') v = m.apply(ok(await api.sessionResume(20_000)));
    expect(withoutDelta(v)).toEqual(withoutDelta(d));
    expect(m.records).toEqual(atD);
    expect(await api.sessionStep(-3)).toMatchObject({ ok: false, error: { phase: 'session', kind: 'bad-argument' } });
  });

  it('reports session errors with phase session, and a closed session with state/no-session', async () => {
    ok(await api.openSession(req));
    expect(await api.sessionAnswer('once')).toMatchObject({ ok: false, error: { phase: 'session', kind: 'no-question' } });
    expect(await api.sessionRunTo(1.5)).toMatchObject({ ok: false, error: { phase: 'session', kind: 'bad-argument' } });
    expect(await api.sessionAnswer('maybe' as 'once')).toMatchObject({ ok: false, error: { phase: 'session', kind: 'bad-argument' } });
    expect(await api.closeSession()).toEqual({ ok: true, value: true });
    expect(await api.sessionStep()).toMatchObject({ ok: false, error: { phase: 'state', kind: 'no-session' } });
  });

  it('pauses at a live prompt; "deny" and "always" reach the guest, and "always" edits the policy restart uses', async () => {
    // The audit policy with its host-path denial turned into a question.
    const asking = parsePolicy({ ...structuredClone(policy), fs: policy.fs.map((r) => (r.id === 'deny-host-paths' ? { ...r, verdict: 'ask' } : r)) });
    const hostReads = whole.syscallDenials.filter((d) => denyingDecision(d)?.rule === 'deny-host-paths');
    expect(hostReads.length).toBeGreaterThanOrEqual(2);
    let v = ok(await api.openSession({ ...req, policy: asking }));
    v = ok(await api.sessionToEnd());
    expect(v.status).toBe('ask');
    const q1 = v.question!;
    expect([q1.fn, q1.path]).toEqual([hostReads[0].fn, hostReads[0].args.path]);
    expect(q1.rule).toBe('deny-host-paths');
    v = ok(await api.sessionAnswer('deny'));
    expect(v.status).toBe('paused');
    expect(v.call!.record.errno).toBe('acces');
    v = ok(await api.sessionToEnd());
    expect(v.status).toBe('ask');
    const q2 = v.question!;
    expect(q2.path).toBe(hostReads[1].args.path);
    const rulesBefore = v.policy.fs.length;
    v = ok(await api.sessionAnswer('always'));
    // Allowed, the guest goes on to look for a file the package does not have.
    expect(v.call!.record.errno).toBe('noent');
    expect(v.policy.fs.length).toBe(rulesBefore + 1);
    expect(v.policy.fs.some((r) => r.verdict === 'allow' && r.paths.includes(q2.path))).toBe(true);
    // A restart runs with the edited policy: the first question is asked again, the second never.
    ok(await api.sessionRestart());
    const asked: string[] = [];
    for (v = ok(await api.sessionToEnd()); v.status === 'ask'; v = ok(await api.sessionToEnd())) {
      asked.push(v.question!.path);
      ok(await api.sessionAnswer('deny'));
    }
    expect(v.status).toBe('done');
    expect(asked).toContain(q1.path);
    expect(asked).not.toContain(q2.path);
  });
});
