import { describe, expect, it } from 'vitest';
import type { TraceAttribution, TraceRecord } from '../../../wasi-vfs/index.ts';
import { deniedSources } from './denied-sources.ts';

const at = (line: number, pkg = 'tiny'): TraceAttribution => ({ package: pkg, root: pkg === 'tiny' ? true : undefined, file: pkg === 'tiny' ? 'build.zig' : `deps/${pkg}/build.zig`, line, via: 'dwarf' });
const rec = (seq: number, fn: string, denied: boolean, attribution?: TraceAttribution, stack = true): TraceRecord => ({
  seq, fn, args: {}, errno: denied ? 'acces' : 'success',
  ...(denied ? { decisions: [{ op: 'read', path: 'x', verdict: 'deny' as const, rule: 'r' }] } : {}),
  ...(stack ? { stack: [{ func: 1, offset: 2 }] } : {}),
  ...(attribution ? { attribution } : {}),
});

describe('deniedSources', () => {
  it('groups denied calls by build.zig line, in order of first call, ignoring allowed ones', () => {
    const out = deniedSources([
      rec(0, 'args_get', false),
      rec(1, 'path_open', true, at(22)),
      rec(2, 'path_open', false, at(22)),
      rec(3, 'path_open', true, at(22)),
      rec(4, 'fd_write', true, at(4, 'alpha')),
      rec(5, 'path_open', true, at(31)),
      rec(6, 'fd_write', true, at(22)),
      rec(7, 'path_open', true),
    ]);
    expect(out).toEqual([
      { where: 'build.zig:22 (tiny)', count: 3, calls: 'path_open ×2, fd_write', firstSeq: 1 },
      { where: 'deps/alpha/build.zig:4 (alpha)', count: 1, calls: 'fd_write', firstSeq: 4 },
      { where: 'build.zig:31 (tiny)', count: 1, calls: 'path_open', firstSeq: 5 },
      { where: 'no build.zig frame', count: 1, calls: 'path_open', firstSeq: 7 },
    ]);
  });

  it('says when the engine recorded no stacks', () => {
    expect(deniedSources([rec(0, 'path_open', true, undefined, false)])).toEqual([{ where: 'no stack (native engine)', count: 1, calls: 'path_open', firstSeq: 0 }]);
  });
});
