import { describe, expect, it } from 'vitest';
import type { TraceAttribution, TraceRecord } from '../../../wasi-vfs/index.ts';
import { attributionDetail, attributionText, KEY_NO_STACK, KEY_NONE, KEY_ROOT, KEY_SOME_BUILD_ZIG, packageKey } from './packages.ts';
import { TraceIndex } from './trace-index.ts';

const STACK = [{ func: 1, name: '_start', offset: 10 }];
const rec = (seq: number, attribution?: TraceAttribution, opts: { stack?: boolean; denied?: boolean } = {}): TraceRecord => ({
  seq,
  fn: 'path_open',
  args: { path: `f${seq}` },
  errno: opts.denied ? 'acces' : 'success',
  ...(opts.denied ? { decisions: [{ op: 'read', path: `f${seq}`, verdict: 'deny' as const, rule: 'r' }] } : {}),
  ...(opts.stack === false ? {} : { stack: STACK }),
  ...(attribution ? { attribution } : {}),
});

const root = (line: number): TraceAttribution => ({ package: 'tiny', root: true, file: 'build.zig', line, via: 'dwarf' });
const alpha: TraceAttribution = { package: 'alpha', file: 'deps/alpha/build.zig', line: 4, via: 'dwarf' };
// A dependency whose folder happens to share the root package's name is still its own bucket.
const tinyDep: TraceAttribution = { package: 'tiny', file: 'deps/tiny/build.zig', line: 2, via: 'dwarf' };
const named: TraceAttribution = { name: 'build.checkData', via: 'name' };

const trace: TraceRecord[] = [
  rec(0), // runner: stack, no build.zig frame
  rec(1, root(22), { denied: true }),
  rec(2, root(22), { denied: true }),
  rec(3, alpha),
  rec(4, root(31)),
  rec(5, tinyDep, { denied: true }),
  rec(6, named),
  rec(7),
];

const shownSeqs = (t: TraceIndex) => [...Array(t.size).keys()].map((k) => t.at(k).seq);

describe('package buckets', () => {
  it('puts every record in exactly one bucket', () => {
    expect(trace.map(packageKey)).toEqual([KEY_NONE, KEY_ROOT, KEY_ROOT, 'dep:alpha', KEY_ROOT, 'dep:tiny', KEY_SOME_BUILD_ZIG, KEY_NONE]);
    expect(packageKey(rec(9, undefined, { stack: false }))).toBe(KEY_NO_STACK);
  });

  it('counts them in select order: root, dependencies by name, then the unnamed buckets', () => {
    const t = new TraceIndex();
    t.append(trace);
    t.append([rec(8, undefined, { stack: false })]);
    expect(t.packages.list().map((b) => [b.label, b.count])).toEqual([
      ['tiny (root)', 3],
      ['alpha', 1],
      ['tiny', 1],
      ['a build.zig (no DWARF: package unknown)', 1],
      ['no build.zig frame', 2],
      ['no stack (native engine)', 1],
    ]);
    expect(t.packages.list().reduce((n, b) => n + b.count, 0)).toBe(t.records.length);
  });
});

describe('TraceIndex package filter', () => {
  it('narrows to one package, combines with the other filters, and keeps up with appends', () => {
    const t = new TraceIndex();
    t.append(trace.slice(0, 4));
    t.setFilter({ deniedOnly: false, fn: '', path: '', package: KEY_ROOT });
    expect(shownSeqs(t)).toEqual([1, 2]);
    t.append(trace.slice(4));
    expect(shownSeqs(t)).toEqual([1, 2, 4]);
    t.setFilter({ deniedOnly: true, fn: '', path: '', package: KEY_ROOT });
    expect(shownSeqs(t)).toEqual([1, 2]);
    t.setFilter({ deniedOnly: true, fn: '', path: '', package: 'dep:tiny' });
    expect(shownSeqs(t)).toEqual([5]);
    t.setFilter({ deniedOnly: false, fn: '', path: 'f3', package: 'dep:alpha' });
    expect(shownSeqs(t)).toEqual([3]);
    t.setFilter({ deniedOnly: false, fn: '', path: '', package: KEY_NONE });
    expect(shownSeqs(t)).toEqual([0, 7]);
    // '' (and an absent field, as older callers pass) means every package.
    t.setFilter({ deniedOnly: false, fn: '', path: '', package: '' });
    expect(t.size).toBe(trace.length);
    t.setFilter({ deniedOnly: false, fn: '', path: '' });
    expect(t.size).toBe(trace.length);
  });

  it('shown counts equal the bucket counts', () => {
    const t = new TraceIndex();
    t.append(trace);
    for (const b of t.packages.list()) {
      t.setFilter({ deniedOnly: false, fn: '', path: '', package: b.key });
      expect(t.size).toBe(b.count);
    }
  });

  it('truncate and clear take the counts back', () => {
    const t = new TraceIndex();
    t.append(trace);
    t.truncate(3);
    expect(t.packages.list().map((b) => [b.key, b.count])).toEqual([
      [KEY_ROOT, 2],
      [KEY_NONE, 1],
    ]);
    t.clear();
    expect(t.packages.list()).toEqual([]);
  });
});

describe('attribution text', () => {
  it('names the file, the line and the package', () => {
    expect(attributionText(root(22))).toBe('build.zig:22 (tiny)');
    expect(attributionText(alpha)).toBe('deps/alpha/build.zig:4 (alpha)');
    expect(attributionText(named)).toBe('a build.zig: build.checkData');
  });

  it('says why a record has none', () => {
    expect(attributionDetail(rec(1, { ...root(22), column: 5, name: 'build.build' }), 'interp')).toBe('build.zig:22 · tiny (root package) · in build.build · column 5');
    expect(attributionDetail(rec(3, alpha), 'interp')).toBe('deps/alpha/build.zig:4 · dependency alpha');
    expect(attributionDetail(rec(6, named), 'interp')).toBe('a build.zig · package unknown (no DWARF line info) · in build.checkData');
    expect(attributionDetail(rec(0), 'interp')).toMatch(/^not made in a package's build.zig/);
    expect(attributionDetail(rec(0, undefined, { stack: false }), 'native')).toMatch(/^no stack on native/);
  });
});
