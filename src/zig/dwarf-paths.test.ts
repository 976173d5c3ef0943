// normalizeDebugPaths on a real graph runner (src/attribution/testdata/snoop.wasm.gz, compiled with DWARF on
// this repo's machine, so its file tables hold absolute paths): the paths are rewritten, and every code
// offset still maps to the same line, the same (renamed) file and the same inline chain.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { packageOf } from '../attribution/attribute.ts';
import { parseDebugLine } from '../attribution/debug-line.ts';
import { sourceMap, wasmLayout } from '../attribution/locate.ts';
import { DwarfPathError, normalizeDebugPaths, patchDebugInfo, prefixRewrite, rewriteDebugLine } from './dwarf-paths.ts';
import { listSections } from './wasm-sections.ts';

const snoop = gunzipSync(new Uint8Array(readFileSync(path.resolve(import.meta.dirname, '../attribution/testdata/snoop.wasm.gz'))));
const files = (wasm: Uint8Array): string[] => {
  const t = parseDebugLine({ line: wasmLayout(wasm).custom.get('.debug_line')! });
  return [...new Set([...t.units.values()].flat())];
};
/** The snoop-pkg directory as it was named when the fixture was compiled. */
const pkgDir = files(snoop).find((f) => f.endsWith('/snoop-pkg/deps/snoop/build.zig'))!.slice(0, -'/deps/snoop/build.zig'.length);
const cacheDir = files(snoop).find((f) => /\/zig-lib-[^/]*\/std\//.test(f))!.replace(/\/zig-lib-.*$/, '');
const rules = [prefixRewrite(cacheDir, '/zig-lib', '/zig-lib-[^/]*'), prefixRewrite(pkgDir, '.'), prefixRewrite(cacheDir, '/zig-cache')];

describe('normalizeDebugPaths', () => {
  const out = normalizeDebugPaths(snoop, rules);

  it('leaves no machine path in the file tables and renames them as asked', () => {
    expect(pkgDir.startsWith('/')).toBe(true);
    const before = files(snoop);
    const after = files(out);
    // The same names, renamed (two hashed lib copies, one from Zig's global cache, become one).
    const rename = (f: string) => rules.reduce((x, r) => x.replace(r.from, r.to), f);
    expect(new Set(after)).toEqual(new Set(before.map(rename)));
    expect(after.length).toBeLessThan(before.length);
    expect(after.filter((f) => f.includes(pkgDir) || f.includes(cacheDir))).toEqual([]);
    expect(after).toContain('./deps/snoop/build.zig');
    expect(after.some((f) => f.startsWith('/zig-lib/std/Build.zig'))).toBe(true);
    expect(packageOf('./deps/snoop/build.zig')).toBe('snoop');
    expect(new TextDecoder().decode(out).includes(pkgDir)).toBe(false);
  });

  it('changes only .debug_line and .debug_info; the code maps to the same lines and inline chains', () => {
    const secs = (w: Uint8Array) => listSections(w).map((s) => s.name ?? s.id);
    expect(secs(out)).toEqual(secs(snoop));
    expect(WebAssembly.validate(out)).toBe(true);
    const [a, b] = [sourceMap(snoop), sourceMap(out)];
    const rename = (f: string | undefined) => f && rules.reduce((s, r) => s.replace(r.from, r.to), f);
    const { codeStart } = wasmLayout(snoop);
    for (let off = codeStart; off < codeStart + 130_000; off += 97) {
      const [x, y] = [a.locate(off), b.locate(off)];
      expect(y?.line).toBe(x?.line);
      expect(y?.file).toBe(rename(x?.file));
      expect(b.inlinedCallers(off).map((c) => c.line)).toEqual(a.inlinedCallers(off).map((c) => c.line));
    }
  });

  it('zeroes the DW_FORM_strp offsets into the dropped .debug_str (they differ between checkouts)', () => {
    const info = (w: Uint8Array) => wasmLayout(w).custom.get('.debug_info')!;
    const [x, y] = [info(snoop), info(out)];
    expect(y.length).toBe(x.length);
    // The first compile unit's first attribute is DW_AT_producer as a strp (clang and Zig's LLVM alike).
    expect([...y.subarray(12, 16)]).toEqual([0, 0, 0, 0]);
    expect([...x.subarray(12, 16)]).not.toEqual([0, 0, 0, 0]);
  });

  it('is deterministic and idempotent', () => {
    expect(Buffer.compare(normalizeDebugPaths(snoop, rules), out)).toBe(0);
    expect(Buffer.compare(normalizeDebugPaths(out, rules), out)).toBe(0);
  });

  it('refuses broken DWARF with a DwarfPathError', () => {
    const line = wasmLayout(snoop).custom.get('.debug_line')!;
    expect(() => rewriteDebugLine(line.subarray(0, 30), rules)).toThrow(DwarfPathError);
    const layout = wasmLayout(snoop);
    expect(() => patchDebugInfo(layout.custom.get('.debug_info')!, layout.custom.get('.debug_abbrev')!, new Map())).toThrow(/not a line table unit/);
  });
});
