// Time travel from checkpoints: the state at k (seq, record, trace hash, memory view, stack) is the same
// reached forwards or by going back through a checkpoint; prompt answers across checkpoints replay; the
// memory cap evicts. On the c-exfiltrate example (every k), the stress package (sampled k) and the ask guest.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/default-policy.ts';
import { loadPackageArchive } from '../audit/package.ts';
import { parsePolicy } from '../policy/schema.ts';
import { MemFS } from '../wasi-vfs/fs.ts';
import { createSession, type Session, type SessionOptions, type SessionState } from './session.ts';
import { stateKey } from './test-support.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const archive = async (rel: string) => loadPackageArchive(new Uint8Array(readFileSync(path.join(ROOT, rel))));

/** What a finished run produced. */
function resultKey(s: SessionState): string {
  const r = s.result!;
  return JSON.stringify({ outcome: r.outcome, stdout: r.stdout, stderr: r.stderr, denials: r.syscallDenials.map((d) => d.seq), missing: r.missing, graph: r.graph, hash: s.traceHash });
}

describe('checkpoints on the c-exfiltrate example', () => {
  let fs: MemFS;
  beforeAll(async () => {
    fs = await archive('public/examples/c-exfiltrate.tar.gz');
  });

  it('stepping back through a checkpoint at every syscall gives the forward state at every k, and the same end', () => {
    const plain = createSession({ fs, policy: auditPolicy(), checkpoints: false });
    const fwd: string[] = [];
    for (let st = plain.stepToNextSyscall(); st.status === 'paused'; st = plain.stepToNextSyscall()) fwd.push(stateKey(st));
    const end = resultKey(plain.state());

    const s = createSession({ fs, policy: auditPolicy(), checkpoints: { everySyscalls: 1 } });
    expect(resultKey(s.continueToEnd())).toBe(end);
    expect(s.checkpointInfo().seqs).toEqual(fwd.map((_, k) => k));
    const back: string[] = [];
    for (let st = s.stepBack(); st.status === 'paused'; st = s.stepBack()) back.unshift(stateKey(st));
    expect(back).toEqual(fwd);
    // Back from the end to a checkpoint, then on to the end: the same result (denials, stdout, graph, hash).
    for (const k of [5, 12, 0]) {
      s.continueToEnd();
      expect(s.runToSyscall(k).seq).toBe(k);
      expect(resultKey(s.continueToEnd())).toBe(end);
    }
  });

  it('a memory cap evicts checkpoints (spread over the run) and stepping back stays exact', () => {
    // The first checkpoint holds all of memory; later ones mostly share its pages.
    const probe = createSession({ fs, policy: auditPolicy(), checkpoints: { everySyscalls: 1 } });
    probe.runToSyscall(0);
    const first = probe.checkpointInfo().bytes;
    probe.continueToEnd();
    const all = probe.checkpointInfo();
    const step = (all.bytes - first) / (all.seqs.length - 1);
    const cap = Math.floor(first + 3 * step);
    const s = createSession({ fs, policy: auditPolicy(), checkpoints: { everySyscalls: 1, maxBytes: cap } });
    const fwd: string[] = [];
    for (let st = s.stepToNextSyscall(); st.status === 'paused'; st = s.stepToNextSyscall()) fwd.push(stateKey(st));
    const info = s.checkpointInfo();
    expect(info.evicted).toBeGreaterThan(0);
    expect(info.bytes).toBeLessThanOrEqual(cap);
    expect(info.seqs.length).toBeGreaterThan(1);
    expect(info.seqs.at(-1)).toBe(all.seqs.at(-1)); // the newest is kept
    for (let k = fwd.length - 1; k >= 0; k--) expect(stateKey(s.runToSyscall(k))).toBe(fwd[k]);
  });
});

describe('checkpoints on the 5,000-step stress package', () => {
  it('going back to sampled k (in random order) gives the forward state', async () => {
    const fs = await archive('public/stress/stress-5000.tar.gz');
    const opts: SessionOptions = { fs, policy: auditPolicy(), attributor: false };
    const plain = createSession({ ...opts, checkpoints: false });
    const total = plain.continueToEnd().traceTotal;
    const ks = [0, 1, 37, Math.floor(total / 3), Math.floor(total / 2), total - 40, total - 3, total - 2];
    const fwd = new Map<number, string>();
    const ref = createSession({ ...opts, checkpoints: false });
    for (const k of ks) fwd.set(k, stateKey(ref.runToSyscall(k)));

    const s = createSession(opts);
    const end = resultKey(s.continueToEnd());
    expect(s.checkpointInfo().seqs.length).toBeGreaterThan(3);
    for (const k of [ks[6], ks[2], ks[7], ks[4], ks[0], ks[5], ks[3], ks[1]]) expect(stateKey(s.runToSyscall(k))).toBe(fwd.get(k));
    s.continueToEnd();
    s.runToSyscall(ks[4]); // back, through a checkpoint
    expect(resultKey(s.continueToEnd())).toBe(end);
  }, 120_000);
});

describe('prompts across checkpoints', () => {
  let askWasm: Uint8Array;
  beforeAll(async () => {
    const wabt = await (await import('wabt')).default();
    const m = wabt.parseWat('ask-guest.wat', readFileSync(path.join(import.meta.dirname, 'testdata/ask-guest.wat'), 'utf8'));
    askWasm = new Uint8Array(m.toBinary({ write_debug_names: true }).buffer);
  });
  const askSession = (checkpoints: SessionOptions['checkpoints']): Session => {
    const fs = new MemFS({ now: () => 0n });
    fs.createFile(fs.root, 'secret.txt', new TextEncoder().encode('hunter2'));
    const policy = parsePolicy({
      version: 1, default: 'deny', clock: { mode: 'fixed' }, random: { mode: 'seeded', seed: 7 },
      fs: [{ id: 'ask-secret', ops: ['read'], paths: ['secret.txt'], verdict: 'ask' }],
    });
    return createSession({ fs, wasm: askWasm, policy, checkpoints });
  };

  it('answers given before and after a checkpoint replay, and the asks show again as asks', () => {
    const answerAll = (s: Session, answers: ('once' | 'deny' | 'always')[]) => {
      let st = s.continueToEnd();
      for (const a of answers) {
        expect(st.status).toBe('ask');
        s.answer(a);
        st = s.continueToEnd();
      }
      return st;
    };
    for (const answers of [['once', 'deny'], ['always']] as const) {
      const plain = askSession(false);
      const endPlain = answerAll(plain, [...answers]);
      const fwd: string[] = [];
      for (let k = 0; k < endPlain.seq; k++) fwd.push(stateKey(plain.runToSyscall(k)));

      const s = askSession({ everySyscalls: 1 });
      const end = answerAll(s, [...answers]);
      expect(resultKey(end)).toBe(resultKey(endPlain));
      expect(s.checkpointInfo().seqs.length).toBeGreaterThan(2);
      const back: string[] = [];
      for (let k = end.seq - 1; k >= 0; k--) back.unshift(stateKey(s.runToSyscall(k)));
      expect(back).toEqual(fwd);
      // Back at the first ask: answering the same way again ends the same way.
      expect(resultKey(answerAll(s, [...answers]))).toBe(resultKey(endPlain));
    }
  });

  it('answering otherwise after going back drops the later checkpoints (a new timeline)', () => {
    const s = askSession({ everySyscalls: 1 });
    s.continueToEnd();
    const ask = s.answer('always').seq - 1;
    expect(s.continueToEnd().result!.stdout).toBe('0 0\n');
    expect(s.checkpointInfo().seqs.some((k) => k > ask)).toBe(true);
    expect(s.runToSyscall(ask).status).toBe('ask');
    s.answer('deny');
    expect(s.checkpointInfo().seqs.every((k) => k <= ask + 1)).toBe(true);
    s.continueToEnd();
    s.answer('deny');
    expect(s.continueToEnd().result!.stdout).toBe('2 2\n');
    // And back again on the new timeline, through its own checkpoints.
    const last = s.state().seq - 1;
    const st = s.runToSyscall(last);
    expect(st.status).toBe('paused');
    expect(resultKey(s.continueToEnd())).toContain('2 2');
  });
});
