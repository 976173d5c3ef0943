// The client against the real API over a MessageChannel (the same Comlink protocol as a Worker): bytes
// are transferred, events come through the proxy, and after abort() a fresh "worker" is re-armed with
// the package so the next run needs nothing from the caller.
import { readFileSync } from 'node:fs';
import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { auditPolicy, loadPackageArchive, runAudit } from '../audit/index.ts';
import { interpEngine } from '../interp/index.ts';
import { api } from './api.ts';
import { AuditClient } from './client.ts';
import { assertPlain } from './test-support.ts';
import type { EventBatch, Result, SessionView } from './types.ts';

function channelWorker(spawned: { n: number }): Worker {
  spawned.n++;
  const { port1, port2 } = new MessageChannel();
  expose(api, port2);
  return Object.assign(port1, {
    terminate() {
      port1.close();
      port2.close();
    },
  }) as unknown as Worker;
}

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/examples/${name}.tar.gz`, import.meta.url)));

describe('AuditClient', () => {
  it('loads, runs with batched events, and re-arms a fresh worker after abort', async () => {
    const spawned = { n: 0 };
    const client = new AuditClient(() => channelWorker(spawned));
    const bytes = example('c-exfiltrate');
    const loaded = await client.load(bytes);
    expect(loaded.ok && loaded.value.hasWasm).toBe(true);
    // The caller's bytes are not detached by the transfer.
    expect(bytes.length).toBeGreaterThan(0);

    const batches: EventBatch[] = [];
    const r = await client.run({ options: {}, policy: auditPolicy(), engine: 'native' }, (b) => batches.push(b));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    await expect.poll(() => batches.at(-1)?.status.state).toBe('done');
    expect(batches.flatMap((b) => b.trace).length).toBe(r.value.syscalls);

    await client.abort();
    expect(spawned.n).toBe(2);
    const again = await client.run({ options: {}, policy: auditPolicy(), engine: 'native' }, () => {});
    expect(again.ok && again.value.stepCount).toBe(r.value.stepCount);
    client.dispose();
  });

  it('steps a session over the channel: first syscall, first denial, back, restart; abort ends the session', async () => {
    const bytes = example('c-exfiltrate');
    const policy = auditPolicy();
    const whole = runAudit({ fs: await loadPackageArchive(bytes), policy, engine: interpEngine });
    const spawned = { n: 0 };
    const client = new AuditClient(() => channelWorker(spawned));
    expect((await client.sessionStep()).ok || 'no-session').toBe('no-session');
    await client.load(bytes);
    const ok = (r: Result<SessionView>): SessionView => {
      if (!r.ok) throw new Error(r.error.message);
      assertPlain(r.value);
      return r.value;
    };
    expect(ok(await client.openSession({ options: {}, policy, engine: 'interp' })).status).toBe('ready');
    const first = ok(await client.sessionStep());
    expect([first.seq, first.call!.fn]).toEqual([whole.trace[0].seq, whole.trace[0].fn]);
    const denied = ok(await client.sessionNextDenied());
    expect([denied.seq, denied.call!.fn]).toEqual([whole.syscallDenials[0].seq, whole.syscallDenials[0].fn]);
    // The delta crossed the channel: records after the first, up to the denial.
    expect(denied.trace.records.map((r) => r.seq)).toEqual(whole.trace.slice(1, denied.seq + 1).map((r) => r.seq));
    const after = ok(await client.sessionStep());
    const back = ok(await client.sessionBack());
    expect(after.seq).toBe(denied.seq + 1);
    expect({ ...back, trace: null }).toEqual({ ...denied, trace: null });
    expect(ok(await client.sessionRestart())).toMatchObject({ status: 'ready', seq: -1 });
    expect(ok(await client.sessionRunTo(first.seq)).traceHash).toBe(first.traceHash);

    await client.abort();
    expect(spawned.n).toBe(2);
    const gone = await client.sessionState();
    expect(gone.ok || gone.error.kind).toBe('no-session');
    client.dispose();
  });
});
