import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../wasi-vfs/index.ts';
import { BATCH_MAX_RECORDS, EventBatcher } from './batcher.ts';
import type { EventBatch } from './types.ts';

const rec = (seq: number, denied = false): TraceRecord => ({
  seq, fn: 'path_open', args: {}, errno: denied ? 'acces' : 'success',
  decisions: denied ? [{ op: 'read', path: 'x', verdict: 'deny', rule: 'r' }] : undefined,
});

describe('EventBatcher', () => {
  it('sends at most one message per interval, however many records arrive', () => {
    let now = 0;
    const sent: EventBatch[] = [];
    const b = new EventBatcher((x) => sent.push(x), () => now, 100);
    for (let i = 0; i < 1000; i++) {
      now += 0.5; // 1,000 syscalls over 500 ms
      b.records([rec(i, i % 10 === 0)]);
    }
    b.flush('done');
    // 500 ms at one message per 100 ms, plus the final one.
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent.flatMap((x) => x.trace).map((r) => r.seq)).toEqual([...Array(1000).keys()]);
    expect(sent.at(-1)!.status).toEqual({ state: 'done', progress: { syscalls: 1000, denied: 100, fuelUsed: 0, elapsedMs: 500 } });
  });

  it('reports the fuel the running instance has used', () => {
    const sent: EventBatch[] = [];
    const b = new EventBatcher((x) => sent.push(x), () => 0, 100);
    let used = 0;
    b.fuel = () => used;
    used = 12_345;
    b.records([rec(0)]);
    b.flush('done');
    expect(sent.at(-1)!.status.progress.fuelUsed).toBe(12_345);
  });

  it('caps the records per message', () => {
    const sent: EventBatch[] = [];
    const b = new EventBatcher((x) => sent.push(x), () => 0, 100);
    b.records(Array.from({ length: BATCH_MAX_RECORDS + 5 }, (_, i) => rec(i)));
    expect(sent.length).toBe(1);
    b.flush('done');
    expect(sent.map((x) => x.trace.length)).toEqual([BATCH_MAX_RECORDS + 5, 0]);
  });

  it('always sends the final batch, with output and the graph', () => {
    const sent: EventBatch[] = [];
    const b = new EventBatcher((x) => sent.push(x), () => 0, 100);
    b.flush('running');
    expect(sent).toEqual([]);
    b.out('{}');
    b.err('warning');
    b.flush('done');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ stdout: '{}', stderr: 'warning', status: { state: 'done' } });
  });
});
