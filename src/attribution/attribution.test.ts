// Attribution: the DWARF line-table parser on clang's v4 and v5 output, hostile input, the inline chain,
// and end to end on a graph runner compiled with debug info: which line of which package's build.zig
// made each syscall (testdata/README.md says how the fixtures were made).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPolicy } from '../audit/default-policy.ts';
import { runAudit } from '../audit/run-audit.ts';
import { loadPackage } from '../cli/package-loader.ts';
import { interpEngine } from '../interp/index.ts';
import { parsePolicy } from '../policy/schema.ts';
import { createSession } from '../session/session.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { createAttributor, packageOf } from './attribute.ts';
import { DwarfError, parseDebugLine } from './debug-line.ts';
import { parseInlineSites } from './debug-info.ts';
import { sourceMap, wasmLayout } from './locate.ts';

const HERE = import.meta.dirname;
const read = (f: string) => new Uint8Array(readFileSync(path.join(HERE, 'testdata', f)));

describe('.debug_line from clang (DWARF 4 and 5)', () => {
  // line-fixture.c: twice() is lines 2-4, plus_one() 6-8, entry() 10-13.
  it.each([
    ['line-v4.wasm', 4, 'line-fixture.c'],
    ['line-v5.wasm', 5, '/src/line-fixture.c'],
  ])('%s: version, file names and rows per function', (file, version, name) => {
    const wasm = read(file);
    const layout = wasmLayout(wasm);
    const t = parseDebugLine({ line: layout.custom.get('.debug_line')!, lineStr: layout.custom.get('.debug_line_str') });
    expect(t.version).toBe(version);
    expect(t.sequences.map((s) => s.files[s.rows[0].file])).toEqual([name, name, name]);
    // Each function's rows: its opening line, then the statement lines inside it.
    const lines = t.sequences.map((s) => [...new Set(s.rows.map((r) => r.line))]);
    expect(lines).toEqual([
      [2, 3],
      [10, 11, 12],
      [6, 7],
    ]);
    // Address lookup through module offsets (code-section-relative addresses + the section start).
    const map = sourceMap(wasm);
    expect(map.hasLines).toBe(true);
    const entry = t.sequences[1];
    const callRow = entry.rows.find((r) => r.line === 11)!;
    expect(map.locate(layout.codeStart + callRow.address)).toEqual({ file: name, line: 11, column: callRow.column });
    expect(map.locate(layout.codeStart + callRow.address + 1)?.line).toBe(11);
    // Past the end of the last sequence, and before the code section: nothing.
    expect(map.locate(layout.codeStart + Math.max(...t.sequences.map((s) => s.end)) + 5)).toBeUndefined();
    expect(map.locate(3)).toBeUndefined();
  });

  it('refuses bad input with a DwarfError, never a raw JS error (fast-check mutations)', () => {
    const wasm = read('line-v5.wasm');
    const layout = wasmLayout(wasm);
    const line = layout.custom.get('.debug_line')!;
    const lineStr = layout.custom.get('.debug_line_str');
    expect(() => parseDebugLine({ line: line.subarray(0, 20), lineStr })).toThrow(DwarfError);
    const badVersion = line.slice();
    badVersion[4] = 9;
    expect(() => parseDebugLine({ line: badVersion, lineStr })).toThrow(/unsupported line table version 9/);
    expect(() => parseDebugLine({ line })).toThrow(/outside .debug_line_str/); // v5 names need .debug_line_str
    fc.assert(
      fc.property(fc.nat(line.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const m = line.slice();
        m[at] = byte;
        try {
          parseDebugLine({ line: m, lineStr });
        } catch (e) {
          expect(e).toBeInstanceOf(DwarfError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a module without DWARF has no lines; attribution falls back to build.* names', () => {
    const map = sourceMap(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    expect(map.hasLines).toBe(false);
    const a = createAttributor(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const stack = [
      { func: 1, name: 'runner.main', offset: 10 },
      { func: 2, name: 'build.build', offset: 20 },
      { func: 3, name: 'fs.Dir.openFile', offset: 30 },
    ];
    expect(a.attribute(stack)).toEqual({ frameIndex: 1, func: 2, name: 'build.build', offset: 20, via: 'name' });
    expect(a.attribute(stack.slice(0, 1))).toBeUndefined();
  });
});

describe('packageOf', () => {
  it('a relative build.zig is the root package, an absolute one is named by its folder, std is no package', () => {
    expect(packageOf('build.zig')).toBe('');
    expect(packageOf('/cache/p/deps/alpha/build.zig')).toBe('alpha');
    expect(packageOf('/cache/p/deps/alpha/src/main.zig')).toBeUndefined();
    expect(packageOf('/x/zig-lib-0.14/std/Build.zig')).toBeUndefined();
    expect(packageOf('/x/lib/std/build.zig')).toBeUndefined();
    expect(packageOf('/abs/pkgs/abc123/build.zig', [{ label: 'snoop', dir: '/abs/pkgs/abc123' }])).toBe('snoop');
  });
});

describe('a graph runner with debug info (testdata/snoop-pkg)', () => {
  let wasm: Uint8Array;
  let trace: TraceRecord[];
  const policy = parsePolicy({ ...auditPolicy(), env: { allow: ['HOME'] } });
  const pkgDir = path.join(HERE, 'testdata/snoop-pkg');

  beforeAll(async () => {
    wasm = gunzipSync(read('snoop.wasm.gz'));
    const { fs } = await loadPackage(pkgDir, policy);
    const r = runAudit({ fs, policy, engine: interpEngine, wasm, captureStack: true, env: { HOME: '/home/u' } });
    expect(r.outcome).toEqual({ status: 'exit', code: 0 });
    trace = r.trace;
  });

  const lineOf = (file: string, needle: string) => readFileSync(path.join(pkgDir, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('names the dependency and its build.zig line that read $HOME/.ssh/id_rsa', () => {
    const a = createAttributor(wasm);
    expect(a.hasDwarf).toBe(true);
    const rec = trace.find((r) => r.fn === 'path_open' && r.args.path === 'home/u/.ssh/id_rsa')!;
    const at = a.attribute(rec.stack!)!;
    expect(at.package).toBe('snoop');
    expect(at.file!.endsWith('snoop-pkg/deps/snoop/build.zig')).toBe(true);
    expect(at.line).toBe(lineOf('deps/snoop/build.zig', 'readFileAlloc'));
    expect(at.via).toBe('dwarf');
  });

  it("names the root package's lines: its own read, and b.dependency() opening the dependency (an inlined call)", () => {
    const a = createAttributor(wasm);
    const cfg = trace.find((r) => r.fn === 'path_open' && r.args.path === 'app.cfg')!;
    expect(a.attribute(cfg.stack!)).toMatchObject({ package: '', file: 'build.zig', line: lineOf('build.zig', 'app.cfg') });
    const dep = trace.find((r) => r.fn === 'path_open' && r.args.path === 'deps/snoop')!;
    // Release builds inline build() into the runner: only .debug_info's inline chain finds this line.
    expect(a.attribute(dep.stack!)).toMatchObject({ package: '', file: 'build.zig', line: lineOf('build.zig', 'b.dependency("snoop"'), inlined: true });
    // The runner's own calls (preopens, argv, writing the graph) belong to no package.
    expect(a.attribute(trace.find((r) => r.fn === 'args_get')!.stack!)).toBeUndefined();
    expect(a.attribute(trace.find((r) => r.fn === 'fd_write')!.stack!)).toBeUndefined();
  });

  it('mutated .debug_info gives a DwarfError or fewer/other sites, never a raw JS error (fast-check)', () => {
    const layout = wasmLayout(wasm);
    const info = layout.custom.get('.debug_info')!;
    const abbrev = layout.custom.get('.debug_abbrev')!;
    const lineFiles = parseDebugLine({ line: layout.custom.get('.debug_line')! }).units;
    const ranges = layout.custom.get('.debug_ranges');
    expect(parseInlineSites({ info, abbrev, ranges, lineFiles }).length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.nat(info.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, byte, inAbbrev) => {
        const i = inAbbrev ? info : info.slice();
        const ab = inAbbrev ? abbrev.slice() : abbrev;
        if (inAbbrev) ab[at % ab.length] = byte;
        else i[at] = byte;
        try {
          parseInlineSites({ info: i, abbrev: ab, ranges, lineFiles });
        } catch (e) {
          expect(e).toBeInstanceOf(DwarfError);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("the session's live prompt says which dependency and line is asking", async () => {
    const { fs } = await loadPackage(pkgDir, policy);
    const asking = parsePolicy({ ...policy, fs: [{ id: 'home', ops: ['read'], paths: ['home/**'], verdict: 'ask' }, ...policy.fs] });
    const s = createSession({ fs, wasm, policy: asking, env: { HOME: '/home/u' } });
    const st = s.continueToEnd();
    expect(st.status).toBe('ask');
    expect(st.question!.package).toBe('snoop');
    expect(st.question!.text).toMatch(/^Package "snoop"'s build\.zig \(.*deps\/snoop\/build\.zig:\d+\) wants to read \$HOME\/\.ssh\/id_rsa \(path_open; rule home says ask\)/);
    expect(st.question).toMatchObject({ path: 'home/u/.ssh/id_rsa', display: '$HOME/.ssh/id_rsa' });
    expect(st.attribution?.line).toBe(lineOf('deps/snoop/build.zig', 'readFileAlloc'));
    // Every frame has its source line; the asking frame is the runner's, with snoop's build() inlined in it.
    const fr = st.frames[st.attribution!.frameIndex];
    expect(fr.name).toBe(st.stack[st.attribution!.frameIndex].name);
    expect(st.frames.at(-1)!.source?.file).toMatch(/__wasilibc_real\.c$/);
  });
});
