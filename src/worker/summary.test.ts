// summarize's traceHash is the session's rolling trace hash: a step-through session run to the end and the
// summary of its result agree, and the hash follows the records (order and content), not their count.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditPolicy, loadPackageArchive } from '../audit/index.ts';
import { createSession } from '../session/index.ts';
import type { TraceRecord } from '../wasi-vfs/index.ts';
import { summarize, traceHashOf } from './summary.ts';

const archive = new Uint8Array(readFileSync(new URL('../../public/examples/c-exfiltrate.tar.gz', import.meta.url)));

describe('traceHash', () => {
  it('equals the session’s traceHash for the same kept records', async () => {
    const s = createSession({ fs: await loadPackageArchive(archive), policy: auditPolicy() });
    const st = s.continueToEnd();
    expect(st.status).toBe('done');
    expect(st.trace.length).toBeGreaterThan(10);
    expect(traceHashOf(st.trace)).toBe(st.traceHash);
    expect(summarize(st.result!, 'interp').traceHash).toBe(st.traceHash);
  }, 120_000);

  it('changes with any record and with their order', () => {
    const a: TraceRecord = { seq: 0, fn: 'fd_write', args: { fd: 1 }, errno: 'success' };
    const b: TraceRecord = { seq: 1, fn: 'path_open', args: { path: 'x' }, errno: 'noent' };
    const base = traceHashOf([a, b]);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(traceHashOf([a, b])).toBe(base);
    expect(traceHashOf([b, a])).not.toBe(base);
    expect(traceHashOf([a, { ...b, errno: 'acces' }])).not.toBe(base);
    expect(traceHashOf([])).not.toBe(base);
  });
});
