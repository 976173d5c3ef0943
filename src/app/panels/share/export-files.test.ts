// The app's trace JSONL is byte-for-byte the CLI's (Trace.toJsonl), whole or cut by the trace cap; export
// names follow the package.

import { describe, expect, it } from 'vitest';
import { Trace } from '../../../wasi-vfs/trace.ts';
import { exportBase, exportFileName, traceJsonl } from './export-files.ts';

function fill(t: Trace, n: number): void {
  for (let i = 0; i < n; i++) {
    const r = t.begin(i % 3 === 0 ? 'path_open' : 'fd_read');
    r.args = { fd: 3, path: `dir/file-${i}.txt` };
    if (i % 5 === 0) r.decisions = [{ op: 'read', path: `../secret-${i}`, verdict: 'deny', rule: 'deny-escape' }];
    t.end(r);
  }
}

describe('traceJsonl', () => {
  it('matches Trace.toJsonl for a whole trace', () => {
    const t = new Trace();
    fill(t, 40);
    expect(t.dropped).toBe(0);
    expect(traceJsonl(t.records, t.total)).toBe(t.toJsonl());
    expect(traceJsonl(t.records, t.total).split('\n').filter(Boolean)).toHaveLength(40);
  });

  it('matches Trace.toJsonl when the cap dropped records (the truncated line)', () => {
    const t = new Trace({ maxBytes: 600 });
    fill(t, 60);
    expect(t.dropped).toBeGreaterThan(0);
    expect(traceJsonl(t.records, t.total)).toBe(t.toJsonl());
    const last = JSON.parse(t.toJsonl().trim().split('\n').at(-1)!);
    expect(last).toEqual({ truncated: true, dropped: t.dropped, total: 60 });
  });

  it('is empty for no syscalls', () => {
    expect(traceJsonl([], 0)).toBe('');
  });
});

describe('export names', () => {
  it('are named after the package, without archive suffixes or unsafe characters', () => {
    expect(exportFileName('c-exfiltrate.tar.gz', 'svg')).toBe('c-exfiltrate.graph.svg');
    expect(exportFileName('c-exfiltrate', 'png')).toBe('c-exfiltrate.graph.png');
    expect(exportFileName('pkg.TGZ', 'jsonl')).toBe('pkg.trace.jsonl');
    expect(exportBase('../../etc/passwd')).toBe('etc_passwd');
    expect(exportBase('<script>x</script>.tar')).toBe('script_x_script_');
    expect(exportBase(null)).toBe('package');
    expect(exportBase('....')).toBe('package');
  });
});
