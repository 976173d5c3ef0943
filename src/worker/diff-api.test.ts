// The version diff call: in-process against src/audit (the same VersionDiff as diffAudits on two direct
// runs), one version's bad input reported on that side only, and a round trip through the client over a
// MessageChannel (the archives transfer as copies, progress comes through the proxy).
import { readFileSync } from 'node:fs';
import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { guestWasm, packageTarball } from '../../e2e/fixtures.ts';
import { auditPolicy, diffAudits, loadPackageArchive, runAudit } from '../audit/index.ts';
import { interpEngine } from '../interp/index.ts';
import { api } from './api.ts';
import { AuditClient } from './client.ts';
import { assertPlain } from './test-support.ts';
import type { DiffProgress, DiffRequest } from './types.ts';

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/examples/${name}.tar.gz`, import.meta.url)));
const policy = auditPolicy();
const req: DiffRequest = { options: {}, policy, engine: 'interp', fuel: 20_000_000_000 };

async function direct(bytes: Uint8Array) {
  return runAudit({ fs: await loadPackageArchive(bytes), policy, engine: interpEngine, fuel: req.fuel });
}

describe('worker diff', () => {
  it('g-v1 -> g-v2 gives diffAudits of the two runs, both graphs and summaries, as plain data', async () => {
    const [v1, v2] = [example('g-v1'), example('g-v2')];
    const progress: DiffProgress[] = [];
    const r = await api.diff({ name: 'g-v1.tar.gz', archive: v1 }, { name: 'g-v2.tar.gz', archive: v2 }, req, (p) => progress.push(p));
    if (!r.ok) throw new Error(r.error.message);
    assertPlain(r.value);
    const { a, b, diff } = r.value;
    expect([a.name, b.name]).toEqual(['g-v1.tar.gz', 'g-v2.tar.gz']);
    expect(a.error ?? b.error).toBeUndefined();
    const [da, db] = await Promise.all([direct(v1), direct(v2)]);
    expect(diff).toEqual(diffAudits(da, db));
    expect(a.graph).toEqual(da.graph);
    expect(b.graph).toEqual(db.graph);
    expect([a.summary?.stepCount, b.summary?.stepCount]).toEqual([da.graph!.steps.length, db.graph!.steps.length]);
    expect(b.summary?.capDenials).toEqual(db.capDenials);
    // The added step, seen through the plain result.
    expect(diff!.graph!.added.map((id) => b.graph!.steps[id].name)).toEqual(['check zig version']);
    expect(diff!.capsAddedDenied.map((c) => c.cap.kind)).toEqual(['exec', 'net']);
    // Side A runs (and ends) before side B starts; each ends 'done' with its syscall count.
    const states = progress.map((p) => `${p.side}:${p.state}`).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['a:loading', 'a:running', 'a:done', 'b:loading', 'b:running', 'b:done']);
    expect(progress.filter((p) => p.state === 'done').map((p) => p.syscalls)).toEqual([da.traceTotal, db.traceTotal]);
  });

  it('a broken archive, a package without build.wasm and a trap are each reported on their side', async () => {
    const good = example('g-v1');
    const notArchive = new TextEncoder().encode('just some text, not a tarball');
    let r = await api.diff({ name: 'notes.txt', archive: notArchive }, { name: 'g-v1', archive: good }, req);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.a.error?.phase).toBe('archive');
    expect(r.value.a.summary).toBeUndefined();
    expect(r.value.b.error).toBeUndefined();
    expect(r.value.b.graph?.steps.length).toBeGreaterThan(0);
    expect(r.value.diff).toBeUndefined();

    r = await api.diff({ name: 'g-v1', archive: good }, { name: 'bare', archive: await packageTarball(null) }, req);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.a.error).toBeUndefined();
    expect(r.value.b.error).toMatchObject({ phase: 'package', kind: 'no-wasm' });

    const trapping = await packageTarball(await guestWasm({ trap: true }));
    r = await api.diff({ name: 'g-v1', archive: good }, { name: 'trap', archive: trapping }, req);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.b.error).toMatchObject({ phase: 'trap', kind: 'unreachable' });
    expect(r.value.b.summary?.outcome.status).toBe('trap');
    // Both ran, so the comparison exists; it says why there is no graph diff.
    expect(r.value.diff?.graph).toBeUndefined();
    expect(r.value.diff?.graphMissing).toMatch(/^new: the build logic trapped/);

    const exiting = await packageTarball(await guestWasm({ exit: 2, stderr: 'error: no\n' }));
    r = await api.diff({ name: 'exit', archive: exiting }, { name: 'g-v1', archive: good }, req);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.a.error).toMatchObject({ phase: 'trap', kind: 'exit', message: 'the build script exited with code 2' });
    expect(r.value.a.stderr).toBe('error: no\n');
  });

  it('refuses a bad engine or policy as a whole', async () => {
    const a = { name: 'a', archive: example('g-v1') };
    const bad = await api.diff(a, a, { ...req, engine: 'v8' as 'interp' });
    expect(bad).toMatchObject({ ok: false, error: { phase: 'state', kind: 'bad-engine' } });
    const badPolicy = await api.diff(a, a, { ...req, policy: { nonsense: true } as unknown as DiffRequest['policy'] });
    expect(badPolicy).toMatchObject({ ok: false, error: { phase: 'policy' } });
  });

  it('through the client over a MessageChannel: copies cross, progress arrives, the caller keeps its bytes', async () => {
    const client = new AuditClient(() => {
      const { port1, port2 } = new MessageChannel();
      expose(api, port2);
      return Object.assign(port1, { terminate: () => (port1.close(), port2.close()) }) as unknown as Worker;
    });
    const [v2, v1] = [example('g-v2'), example('g-v1')];
    const seen: DiffProgress[] = [];
    const r = await client.diff({ name: 'v2', archive: v2 }, { name: 'v1', archive: v1 }, { ...req, engine: 'native', fuel: undefined }, (p) => seen.push(p));
    if (!r.ok) throw new Error(r.error.message);
    expect(v2.length).toBeGreaterThan(0);
    expect(v1.length).toBeGreaterThan(0);
    const d = r.value.diff!;
    expect(d.graph!.removed.map((id) => r.value.a.graph!.steps[id].name)).toEqual(['check zig version']);
    expect(d.regressed).toBe(false);
    await expect.poll(() => seen.some((p) => p.side === 'b' && p.state === 'done')).toBe(true);
    client.dispose();
  });
});
