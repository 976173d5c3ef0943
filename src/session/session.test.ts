// The step-through session: stepping, next-denied, run-to, live prompts (the guest's view of each answer),
// and time travel (the state at k is the same reached forwards or by stepping back), on a small WAT guest
// and on the c-exfiltrate example's committed build.wasm.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/default-policy.ts';
import { denyingDecision, ESCAPE_RULE } from '../audit/denials.ts';
import { runAudit } from '../audit/run-audit.ts';
import { loadPackage } from '../cli/package-loader.ts';
import { interpEngine } from '../interp/index.ts';
import { parsePolicy, type PolicyInput } from '../policy/schema.ts';
import { MemFS } from '../wasi-vfs/fs.ts';
import { SessionError } from './errors.ts';
import { cloneFs } from './fs-clone.ts';
import { createSession, type SessionState } from './session.ts';
import { stateKey } from './test-support.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let askWasm: Uint8Array;

beforeAll(async () => {
  const wabt = await (await import('wabt')).default();
  const wat = readFileSync(path.join(import.meta.dirname, 'testdata/ask-guest.wat'), 'utf8');
  const m = wabt.parseWat('ask-guest.wat', wat);
  askWasm = new Uint8Array(m.toBinary({ write_debug_names: true }).buffer);
});

const DET = { clock: { mode: 'fixed' }, random: { mode: 'seeded', seed: 7 } } as const;
const policyWith = (p: Partial<PolicyInput>) => parsePolicy({ version: 1, default: 'deny', ...DET, ...p });

function secretFs(): MemFS {
  const fs = new MemFS({ now: () => 0n });
  fs.createFile(fs.root, 'secret.txt', new TextEncoder().encode('hunter2'));
  return fs;
}

const askSession = (p: Partial<PolicyInput> = {}) =>
  createSession({ fs: secretFs(), wasm: askWasm, policy: policyWith({ fs: [{ id: 'ask-secret', ops: ['read'], paths: ['secret.txt'], verdict: 'ask' }], ...p }) });

describe('live prompts', () => {
  it('"allow once" then "deny": the guest sees success, then acces, and prints both', () => {
    const s = askSession();
    let st = s.continueToEnd();
    expect(st.status).toBe('ask');
    expect(st.question).toMatchObject({ fn: 'path_open', op: 'read', path: 'secret.txt', rule: 'ask-secret' });
    expect(st.question!.text).toContain('wants to read secret.txt');
    // The path the call reads is in the memory view.
    expect(st.memory.find((m) => m.label === 'path')?.text).toBe('secret.txt');
    const firstAsk = st.seq;
    st = s.answer('once');
    expect(st.status).toBe('paused');
    expect(st.call!.record.errno).toBe('success');
    expect(st.call!.result).toBe(0);
    expect(st.decision).toMatchObject({ verdict: 'allow', rule: 'ask-secret(asked)' });
    // "once" holds for one call: the second open asks again.
    st = s.continueToEnd();
    expect(st.status).toBe('ask');
    expect(st.seq).toBeGreaterThan(firstAsk);
    st = s.answer('deny');
    expect(st.call!.record.errno).toBe('acces');
    expect(st.decision).toMatchObject({ verdict: 'deny', rule: 'ask-secret(asked)' });
    st = s.continueToEnd();
    expect(st.status).toBe('done');
    expect(st.result!.outcome).toEqual({ status: 'exit', code: 0 });
    // The guest printed the errnos it saw: 0 (success) and 2 (acces).
    expect(st.result!.stdout).toBe('0 2\n');
    expect(st.trace.filter((r) => r.fn === 'path_open').map((r) => r.errno)).toEqual(['suspended', 'success', 'suspended', 'acces']);
    // The edited policy is unchanged by once/deny.
    expect(s.policy.fs).toHaveLength(1);
  });

  it('"allow always" adds a rule to the edited policy and covers the rest of the run', () => {
    const s = askSession();
    expect(s.continueToEnd().status).toBe('ask');
    s.answer('always');
    const st = s.continueToEnd();
    expect(st.status).toBe('done');
    expect(st.result!.stdout).toBe('0 0\n');
    expect(s.policy.fs[0]).toMatchObject({ ops: ['read'], paths: ['secret.txt'], verdict: 'allow' });
    // Restarting with the edited policy: no prompt at all.
    s.restart();
    const again = s.continueToEnd();
    expect(again.status).toBe('done');
    expect(again.result!.stdout).toBe('0 0\n');
    expect(again.trace.filter((r) => r.fn === 'path_open').map((r) => r.decisions?.[0]?.rule)).toEqual([s.policy.fs[0].id, s.policy.fs[0].id]);
  });

  it('a replay with real randomness is reported as diverging, not shown as the past', () => {
    const s = askSession({ random: { mode: 'real' }, fs: [{ ops: ['read'], paths: ['secret.txt'], verdict: 'allow' }] });
    const end = s.continueToEnd();
    const rnd = end.trace.find((r) => r.fn === 'random_get')!;
    // Going back to the random_get record replays it with other bytes.
    expect(() => s.runToSyscall(rnd.seq)).toThrow(expect.objectContaining({ name: 'SessionError', kind: 'nondeterministic' }));
    // The run ends there and says why; a restart (new history) works again.
    expect(s.state()).toMatchObject({ status: 'done', error: { phase: 'session', kind: 'nondeterministic' } });
    expect(s.restart().status).toBe('ready');
    expect(s.continueToEnd().status).toBe('done');
  });

  it('a fuel budget ends the run with out-of-fuel', () => {
    const s = createSession({ fs: secretFs(), wasm: askWasm, policy: policyWith({}), fuel: 5 });
    const st = s.continueToEnd();
    expect(st.status).toBe('done');
    expect(st.result!.outcome).toEqual({ status: 'out-of-fuel' });
    expect(st.fuelUsed).toBeGreaterThanOrEqual(5);
  });

  it('travelling back to a prompt and answering otherwise starts a new timeline', () => {
    const s = askSession();
    s.continueToEnd();
    const ask = s.answer('always').seq - 1;
    expect(s.continueToEnd().result!.stdout).toBe('0 0\n');
    const st = s.runToSyscall(ask);
    expect(st.status).toBe('ask');
    s.answer('deny');
    s.continueToEnd();
    s.answer('deny');
    expect(s.continueToEnd().result!.stdout).toBe('2 2\n');
  });

  it('answer() without a question is a typed error', () => {
    const s = askSession();
    expect(() => s.answer('once')).toThrow(SessionError);
  });
});

describe('stepping on the WAT guest', () => {
  it('next stops at every syscall in order, with raw args, memory and stack', () => {
    const s = askSession({ fs: [{ ops: ['read'], paths: ['secret.txt'], verdict: 'allow' }] });
    const seen: string[] = [];
    for (let st = s.stepToNextSyscall(); st.status === 'paused'; st = s.stepToNextSyscall()) {
      expect(st.seq).toBe(seen.length);
      seen.push(st.call!.fn);
      if (st.call!.fn === 'fd_write') {
        expect(st.call!.raw).toEqual([1, 400, 1, 408]);
        expect(st.memory.find((m) => m.label === 'iovs[0]')?.text).toBe('0 0\n');
        expect(st.stack.map((f) => f.name)).toEqual(['_start']);
      }
      if (st.call!.fn === 'path_open') expect(st.stack.map((f) => f.name)).toEqual(['_start', 'open_secret']);
    }
    expect(seen).toEqual(['path_open', 'path_open', 'random_get', 'clock_time_get', 'fd_write', 'proc_exit']);
    const end = s.state();
    expect(end.status).toBe('done');
    expect(end.result!.outcome).toEqual({ status: 'exit', code: 0 });
    // traceFrom gives only the newer records; the hash still covers them all.
    const tail = s.state({ traceFrom: 4 });
    expect(tail.trace.map((r) => r.fn)).toEqual(['fd_write', 'proc_exit']);
    expect(tail.traceHash).toBe(end.traceHash);
  });

  it('a fuel slice returns "running" and resume() continues to the same target, also when stepping back', () => {
    const s = askSession({ fs: [{ ops: ['read'], paths: ['secret.txt'], verdict: 'allow' }] });
    let st = s.runToSyscall(4, { slice: 3 });
    let slices = 1;
    while (st.status === 'running') {
      expect(st.target).toEqual({ kind: 'seq', seq: 4 });
      st = s.resume({ slice: 3 });
      slices++;
    }
    expect(slices).toBeGreaterThan(1);
    expect(st).toMatchObject({ status: 'paused', seq: 4 });
    expect(st.call!.fn).toBe('fd_write');
    st = s.stepBack({ slice: 3 });
    while (st.status === 'running') st = s.resume({ slice: 3 });
    expect(st).toMatchObject({ status: 'paused', seq: 3 });
    expect(st.call!.fn).toBe('clock_time_get');
  });

  it('time travel over prompts: the logged answers are replayed behind the target', () => {
    const s = askSession();
    s.continueToEnd();
    s.answer('once');
    s.continueToEnd();
    s.answer('deny');
    const end = s.continueToEnd();
    const fwd: string[] = [];
    const fresh = askSession();
    // Forward reference: stop at every seq, answering the same way.
    for (let k = 0; k < end.seq; k++) {
      let st = fresh.runToSyscall(k);
      if (st.status === 'ask') {
        fwd.push(stateKey(st));
        st = fresh.answer(fwd.length === 1 ? 'once' : 'deny');
        continue;
      }
      fwd.push(stateKey(st));
    }
    // Backwards on the first session, from the end.
    const back: string[] = [];
    for (let k = end.seq - 1; k >= 0; k--) back.unshift(stateKey(s.runToSyscall(k)));
    expect(back.length).toBe(end.seq);
    expect(s.state().seq).toBe(0);
    // The asks show again as asks when travelled to, with the same state.
    expect(back.filter((_, k) => s.runToSyscall(k).status === 'ask')).toHaveLength(2);
    expect(back).toEqual(fwd.slice(0, back.length));
  });
});

describe('the c-exfiltrate example', () => {
  let fs: MemFS;
  const policy = auditPolicy();
  beforeAll(async () => {
    fs = (await loadPackage(path.join(ROOT, 'examples/c-exfiltrate'), policy)).fs;
  });

  it('next-denied stops exactly at the records the audit lists as denials, with their rules', () => {
    const whole = runAudit({ fs: cloneFs(fs), policy, engine: interpEngine });
    const expected = whole.syscallDenials.map((d) => d.seq);
    expect(expected.length).toBeGreaterThan(0);
    const s = createSession({ fs, policy });
    const got: { seq: number; rule?: string; path: unknown }[] = [];
    for (let st = s.continueToNextDenied(); st.status === 'paused'; st = s.continueToNextDenied()) {
      got.push({ seq: st.seq, rule: st.decision?.rule, path: st.call!.record.args.path });
    }
    expect(got.map((g) => g.seq)).toEqual(expected);
    expect(got.map((g) => g.rule)).toEqual(whole.syscallDenials.map((d) => denyingDecision(d)!.rule));
    expect(got.map((g) => g.rule)).toContain(ESCAPE_RULE);
    expect(got.map((g) => g.path)).toContain('../.env');
    const st = s.state();
    expect(st.status).toBe('done');
    expect(st.result!.stdout).toBe(whole.stdout);
  });

  it('the state at k is the same reached forwards or by stepping back', () => {
    const s = createSession({ fs, policy });
    const fwd: string[] = [];
    for (let st = s.stepToNextSyscall(); st.status === 'paused'; st = s.stepToNextSyscall()) fwd.push(stateKey(st));
    const end = s.state();
    expect(end.status).toBe('done');
    expect(fwd.length).toBe(end.traceTotal);
    const back: string[] = [];
    for (let st = s.stepBack(); st.status === 'paused'; st = s.stepBack()) back.unshift(stateKey(st));
    expect(s.state()).toMatchObject({ status: 'ready', seq: -1 });
    expect(back).toEqual(fwd);
    // Run-to forward from the start lands on the same state as well.
    const k = Math.floor(fwd.length / 2);
    expect(stateKey(s.runToSyscall(k))).toBe(fwd[k]);
  });
});
