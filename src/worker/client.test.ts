// The client against the real API over a MessageChannel (the same Comlink protocol as a Worker): bytes
// are transferred, events come through the proxy, and after abort() a fresh "worker" is re-armed with
// the package so the next run needs nothing from the caller.
import { readFileSync } from 'node:fs';
import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/index.ts';
import { api } from './api.ts';
import { AuditClient } from './client.ts';
import type { EventBatch } from './types.ts';

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
});
