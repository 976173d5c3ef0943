// trimDwarf on a real graph runner (src/attribution/testdata/snoop.wasm.gz, compiled with the full DWARF and
// not trimmed): attribution must not see the difference, at any code offset nor on the stacks of a real run.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAttributor } from '../attribution/attribute.ts';
import { parseDebugLine } from '../attribution/debug-line.ts';
import { parseInlineSites } from '../attribution/debug-info.ts';
import { DwarfError } from '../attribution/dwarf-reader.ts';
import { wasmLayout } from '../attribution/locate.ts';
import { auditPolicy } from '../audit/default-policy.ts';
import { runAudit } from '../audit/run-audit.ts';
import { loadPackage } from '../cli/package-loader.ts';
import { interpEngine } from '../interp/index.ts';
import { parsePolicy } from '../policy/schema.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { trimDebugInfo, trimDwarf } from './dwarf-trim.ts';
import { listSections } from './wasm-sections.ts';

const TESTDATA = path.resolve(import.meta.dirname, '../attribution/testdata');
const full = new Uint8Array(gunzipSync(readFileSync(path.join(TESTDATA, 'snoop.wasm.gz'))));
const trimmed = trimDwarf(full);

const sectionSizes = (w: Uint8Array) => new Map(listSections(w).map((s) => [s.name ?? String(s.id), s.end - s.start]));

/** The inline sites attribution reads from a module's DWARF (or the DwarfError it fails with). */
function sitesOf(w: Uint8Array, info?: Uint8Array, abbrev?: Uint8Array) {
  const c = wasmLayout(w).custom;
  const lineFiles = parseDebugLine({ line: c.get('.debug_line')! }).units;
  try {
    return parseInlineSites({ info: info ?? c.get('.debug_info')!, abbrev: abbrev ?? c.get('.debug_abbrev')!, ranges: c.get('.debug_ranges'), lineFiles });
  } catch (e) {
    if (e instanceof DwarfError) return e.kind;
    throw e;
  }
}

describe('trimDwarf on the snoop-pkg graph runner', () => {
  it('cuts .debug_info and .debug_abbrev to a fraction and leaves every other section byte for byte', () => {
    const before = sectionSizes(full);
    const after = sectionSizes(trimmed);
    expect(after.get('.debug_info')!).toBeLessThan(before.get('.debug_info')! / 5);
    expect(after.get('.debug_abbrev')!).toBeLessThan(1000);
    expect(after.get('.debug_ranges')!).toBeLessThanOrEqual(before.get('.debug_ranges')!);
    const rest = (w: Uint8Array) =>
      listSections(w)
        .filter((s) => !['.debug_info', '.debug_abbrev', '.debug_ranges'].includes(s.name ?? ''))
        .map((s) => Buffer.from(w.subarray(s.start, s.end)).toString('base64'));
    expect(rest(trimmed)).toEqual(rest(full));
    // Code keeps its module offsets: DWARF addresses and trace stacks stay valid.
    expect(wasmLayout(trimmed).codeStart).toBe(wasmLayout(full).codeStart);
    expect(WebAssembly.validate(trimmed)).toBe(true);
  });

  it('gives attribution the same inline sites: ranges, depth, call file, line and column, in order', () => {
    const sites = sitesOf(full);
    expect(Array.isArray(sites) && sites.length).toBeGreaterThan(1000);
    expect(sitesOf(trimmed)).toEqual(sites);
  });

  it('frames() is identical at every offset of the Code section', () => {
    const a = createAttributor(full);
    const b = createAttributor(trimmed);
    const code = listSections(full).find((s) => s.id === 10)!;
    let inlined = 0;
    for (let off = wasmLayout(full).codeStart; off < code.end; off++) {
      const stack = [{ func: 0, offset: off }];
      const fa = a.frames(stack);
      expect(b.frames(stack)).toEqual(fa);
      if (fa[0].inlinedCallers) inlined++;
    }
    expect(inlined).toBeGreaterThan(10_000);
  });

  it('is idempotent', () => {
    expect(Buffer.compare(trimDwarf(trimmed), trimmed)).toBe(0);
  });

  it.skipIf(!existsSync('/usr/bin/llvm-dwarfdump-14'))('is valid DWARF to llvm-dwarfdump-14 --verify', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dwarf-trim-'));
    try {
      const file = path.join(dir, 'build.wasm');
      writeFileSync(file, trimmed);
      const out = execFileSync('/usr/bin/llvm-dwarfdump-14', ['--verify', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(out).toMatch(/No errors\./);
      const dump = execFileSync('/usr/bin/llvm-dwarfdump-14', ['--debug-info', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
      expect(dump).toMatch(/DW_TAG_inlined_subroutine/);
      expect(dump).not.toMatch(/DW_TAG_variable|DW_TAG_formal_parameter|DW_AT_abstract_origin/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mutated .debug_info or .debug_abbrev: attribution reads the same sites from the trimmed module (fast-check)', () => {
    const c = wasmLayout(full).custom;
    const info = c.get('.debug_info')!;
    const abbrev = c.get('.debug_abbrev')!;
    const ranges = c.get('.debug_ranges');
    const lineFiles = parseDebugLine({ line: c.get('.debug_line')! }).units;
    const read = (i: Uint8Array, ab: Uint8Array, rs: Uint8Array | undefined) => {
      try {
        return parseInlineSites({ info: i, abbrev: ab, ranges: rs, lineFiles });
      } catch (e) {
        if (e instanceof DwarfError) return e.kind;
        throw e;
      }
    };
    fc.assert(
      fc.property(fc.nat(info.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, byte, inAbbrev) => {
        const i = inAbbrev ? info : info.slice();
        const ab = inAbbrev ? abbrev.slice() : abbrev;
        if (inAbbrev) ab[at % ab.length] = byte;
        else i[at] = byte;
        const t = trimDebugInfo(i, ab, ranges);
        const expected = read(i, ab, ranges);
        // Not rewritten: the module keeps the mutated sections, so attribution trivially reads the same.
        if (t) expect(read(t.info, t.abbrev, t.ranges)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe('trimDwarf on a run of snoop-pkg: every trace record attributes the same', () => {
  let trace: TraceRecord[];

  beforeAll(async () => {
    const pkgDir = path.join(TESTDATA, 'snoop-pkg');
    const policy = parsePolicy({ ...auditPolicy(), env: { allow: ['HOME'] } });
    const { fs } = await loadPackage(pkgDir, policy);
    const r = runAudit({ fs, policy, engine: interpEngine, wasm: trimmed, captureStack: true, env: { HOME: '/home/u' } });
    expect(r.outcome).toEqual({ status: 'exit', code: 0 });
    trace = r.trace;
  }, 60_000);

  it('attribute() and frames() agree on every record, including the inlined b.dependency() call', () => {
    const a = createAttributor(full);
    const b = createAttributor(trimmed);
    const withStack = trace.filter((r) => r.stack && r.stack.length > 0);
    expect(withStack.length).toBe(trace.length);
    for (const r of withStack) {
      expect(b.attribute(r.stack!)).toEqual(a.attribute(r.stack!));
      expect(b.frames(r.stack!)).toEqual(a.frames(r.stack!));
    }
    const found = withStack.map((r) => b.attribute(r.stack!));
    expect(found.some((x) => x?.package === 'snoop')).toBe(true);
    expect(found.some((x) => x?.package === '' && x.inlined)).toBe(true);
  });
});

describe('trimDwarf leaves alone what it does not rewrite', () => {
  it('DWARF 5 (clang -gdwarf-5 fixture): bytes unchanged', () => {
    const v5 = new Uint8Array(readFileSync(path.join(TESTDATA, 'line-v5.wasm')));
    expect(Buffer.compare(trimDwarf(v5), v5)).toBe(0);
  });

  it('a module without DWARF: bytes unchanged', () => {
    const bare = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0]);
    expect([...trimDwarf(bare)]).toEqual([...bare]);
  });

  it('DWARF 4 from clang (-O0, no inlining): units kept with their line tables, attribution unchanged', () => {
    const v4 = new Uint8Array(readFileSync(path.join(TESTDATA, 'line-v4.wasm')));
    const t = trimDwarf(v4);
    expect(sectionSizes(t).get('.debug_info')!).toBeLessThan(sectionSizes(v4).get('.debug_info')!);
    expect(sitesOf(t)).toEqual(sitesOf(v4));
    const a = createAttributor(v4);
    const b = createAttributor(t);
    const code = listSections(v4).find((s) => s.id === 10)!;
    for (let off = code.start; off < code.end; off++) expect(b.frames([{ func: 0, offset: off }])).toEqual(a.frames([{ func: 0, offset: off }]));
    expect(b.hasDwarf).toBe(true);
  });
});
