import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../wasi-vfs/index.ts';
import { ESCAPE_RULE } from '../../../worker/denied.ts';
import { formatCall, formatDecision, formatResult } from './format.ts';
import { TraceIndex, recordPaths } from './trace-index.ts';

const rec = (seq: number, fn: string, path: string, verdict?: 'allow' | 'deny', errno = verdict === 'deny' ? 'acces' : 'success'): TraceRecord => ({
  seq, fn, errno,
  args: { fd: { fd: 3, path: '/' }, path, rights: ['fd_read'] },
  decisions: verdict ? [{ op: 'read', path, verdict, rule: verdict === 'deny' ? 'no-secrets' : 'fs[0]' }] : undefined,
});

const batch: TraceRecord[] = [
  rec(0, 'path_open', 'src/main.zig', 'allow'),
  rec(1, 'path_open', '.env', 'deny'),
  rec(2, 'fd_read', 'src/main.zig'),
  // A sandbox escape, as the host records it: errno perm, decided by the sandbox rule.
  { ...rec(3, 'path_open', '../.npmrc', undefined, 'perm'), decisions: [{ op: 'read', path: '../.npmrc', verdict: 'deny', rule: ESCAPE_RULE }] },
];

describe('TraceIndex', () => {

  it('filters denied calls, by function and by path, and keeps up with appends', () => {
    const t = new TraceIndex();
    t.append(batch.slice(0, 2));
    t.setFilter({ deniedOnly: true, fn: '', path: '' });
    expect(t.size).toBe(1);
    t.append(batch.slice(2));
    // The sandbox escape (errno perm) counts as denied too.
    expect([...Array(t.size).keys()].map((k) => t.at(k).seq)).toEqual([1, 3]);
    t.setFilter({ deniedOnly: false, fn: 'fd_read', path: '' });
    expect(t.size).toBe(1);
    t.setFilter({ deniedOnly: false, fn: '', path: 'MAIN' });
    expect([...Array(t.size).keys()].map((k) => t.at(k).seq)).toEqual([0, 2]);
    t.setFilter({ deniedOnly: false, fn: '', path: '' });
    expect(t.size).toBe(4);
    expect(t.denied).toBe(2);
    expect(t.fnCounts.get('path_open')).toBe(3);
  });

  it('finds a record by seq, also when seqs have gaps (trace cap)', () => {
    const t = new TraceIndex();
    t.append([batch[0], batch[1], { ...batch[3], seq: 7 }]);
    expect(t.bySeq(1)?.fn).toBe('path_open');
    expect(t.bySeq(7)?.errno).toBe('perm');
    expect(t.bySeq(3)).toBeUndefined();
    expect(t.bySeq(8)).toBeUndefined();
    expect(t.bySeq(-1)).toBeUndefined();
  });

  it('truncates from a seq (session deltas): counts, filter and lookups match an index built from the prefix', () => {
    const t = new TraceIndex();
    t.setFilter({ deniedOnly: true, fn: '', path: '' });
    t.append(batch);
    t.truncate(2);
    const want = new TraceIndex();
    want.setFilter({ deniedOnly: true, fn: '', path: '' });
    want.append(batch.slice(0, 2));
    expect(t.records).toEqual(want.records);
    expect([t.size, t.denied, [...t.fnCounts]]).toEqual([want.size, want.denied, [...want.fnCounts]]);
    expect(t.bySeq(3)).toBeUndefined();
    // Appending again after a cut (a replay that went forwards) counts the new records once.
    t.append(batch.slice(2));
    t.setFilter({ deniedOnly: false, fn: '', path: '' });
    expect([t.size, t.denied, t.fnCounts.get('path_open'), t.fnCounts.get('fd_read')]).toEqual([4, 2, 3, 1]);
    t.truncate(0);
    expect([t.size, t.denied, t.fnCounts.size]).toEqual([0, 0, 0]);
    // A seq past the end drops nothing.
    t.append(batch);
    t.truncate(99);
    expect(t.size).toBe(4);
  });

  it('finds paths in nested fd arguments and decisions', () => {
    expect(recordPaths(batch[1])).toEqual(['/', '.env', '.env']);
  });

  it('appends 10^5 records in batches and keeps only the filtered ones', () => {
    const t = new TraceIndex();
    t.setFilter({ deniedOnly: true, fn: '', path: '' });
    const many = Array.from({ length: 100_000 }, (_, i) => rec(i, 'fd_read', 'x', i % 100 === 0 ? 'deny' : 'allow'));
    for (let i = 0; i < many.length; i += 5000) t.append(many.slice(i, i + 5000));
    expect(t.size).toBe(1000);
  });
});

describe('format', () => {
  it('prints a call on one line without rights masks', () => {
    const r: TraceRecord = { seq: 1, fn: 'path_open', errno: 'acces', args: { fd: { fd: 3, path: '/' }, path: '../.env', oflags: ['creat', 'trunc'], fdflags: [], rights: ['fd_read'] } };
    expect(formatCall(r)).toBe('path_open(3</>, "../.env", oflags=creat|trunc)');
    expect(formatResult({ ...r, errno: 'success', out: { fd: 4 } })).toBe('success (fd=4)');
  });

  it('escapes control characters and clips long strings', () => {
    const r: TraceRecord = { seq: 1, fn: 'path_open', errno: 'noent', args: { path: `a\nb${'x'.repeat(200)}` } };
    const s = formatCall(r);
    expect(s).not.toContain('\n');
    expect(s).toContain('\\x0a');
    expect(s.length).toBeLessThan(100);
  });

  it('names the denying rule, the sandbox for escapes', () => {
    expect(formatDecision(batch[1])).toEqual({ verdict: 'deny', text: 'no-secrets' });
    expect(formatDecision(batch[3]).text).toBe(ESCAPE_RULE);
    expect(formatDecision(batch[0])).toEqual({ verdict: 'allow', text: 'fs[0]' });
    expect(formatDecision(batch[2])).toEqual({ verdict: '', text: '' });
  });
});
