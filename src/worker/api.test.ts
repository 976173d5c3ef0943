import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../graph/index.ts';
import { auditPolicy } from '../audit/index.ts';
import { api } from './api.ts';
import { isDeniedRecord } from './denied.ts';
import type { EventBatch } from './types.ts';

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/examples/${name}.tar.gz`, import.meta.url)));
const policy = auditPolicy();

describe('worker api', () => {
  it('refuses to run before a package is loaded', async () => {
    await api.cancel();
    const r = await api.run({ options: {}, policy, engine: 'native' }, () => {});
    expect(r).toEqual({ ok: false, error: { phase: 'state', kind: 'not-loaded', message: 'no package is loaded' } });
  });

  it('reports a broken archive as an archive error', async () => {
    const r = await api.load(new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.phase).toBe('archive');
  });

  it('runs an example and streams the trace and the graph in batches', async () => {
    const loaded = await api.load(example('c-exfiltrate'));
    expect(loaded.ok && loaded.value.hasWasm).toBe(true);
    const batches: EventBatch[] = [];
    const r = await api.run({ options: {}, policy, engine: 'interp' }, (b) => batches.push(b));
    if (!r.ok) throw new Error(r.error.message);
    const last = batches.at(-1)!;
    expect(last.status.state).toBe('done');
    expect(last.graph?.steps.length).toBe(r.value.stepCount);
    const records = batches.flatMap((b) => b.trace);
    expect(records.length).toBe(r.value.syscalls);
    expect(records.map((x) => x.seq)).toEqual(records.map((_, i) => i));
    const denied = records.filter(isDeniedRecord);
    expect(denied.length).toBe(r.value.syscallDenials);
    expect(denied.length).toBeGreaterThan(0);
    // The malicious `sh -c "curl …"` step requests exec + net: both denied.
    const sh = last.graph!.steps.find((s) => s.name === 'run sh')!;
    expect(r.value.capDenials.filter((d) => d.step === sh.id).map((d) => d.cap.kind).sort()).toEqual(['exec', 'net']);
    expect(batches.map((b) => b.stdout).join('')).toContain('"version"');
  });

  it('gives the same graph on both engines', async () => {
    await api.load(example('a-hello-lib'));
    const graphs = [];
    for (const engine of ['interp', 'native'] as const) {
      let g: Graph | undefined;
      const r = await api.run({ options: {}, policy, engine }, (b) => (g = b.graph ?? g));
      expect(r.ok).toBe(true);
      graphs.push(g);
    }
    expect(graphs[0]).toEqual(graphs[1]);
  });

  it('reports running out of fuel as an outcome, not a crash', async () => {
    await api.load(example('a-hello-lib'));
    const r = await api.run({ options: {}, policy, engine: 'interp', fuel: 1000 }, () => {});
    expect(r.ok && r.value.outcome).toEqual({ status: 'out-of-fuel' });
  });
});
