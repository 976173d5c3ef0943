import { describe, expect, it } from 'vitest';
import { KEPT_SECTIONS, keepCustomSections, listSections, WasmSectionError } from './wasm-sections.ts';

function custom(name: string, payload: number[]): number[] {
  const nameBytes = [...new TextEncoder().encode(name)];
  const body = [nameBytes.length, ...nameBytes, ...payload];
  return [0, body.length, ...body];
}

const HEADER = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
// type section: one type () -> ()
const TYPE = [1, 4, 1, 0x60, 0, 0];

describe('keepCustomSections', () => {
  it('keeps the listed custom sections and every standard section, in order', () => {
    const bin = new Uint8Array([...HEADER, ...custom('.debug_info', [1, 2, 3]), ...TYPE, ...custom('name', [9]), ...custom('producers', [7])]);
    const out = keepCustomSections(bin, new Set(['name']));
    expect(listSections(out).map((s) => s.name ?? s.id)).toEqual([1, 'name']);
    expect([...out]).toEqual([...HEADER, ...TYPE, ...custom('name', [9])]);
    expect(WebAssembly.validate(out)).toBe(true);
  });

  it('KEPT_SECTIONS: names and the DWARF attribution reads stay; .debug_str, .debug_loc and producers go', () => {
    const names = ['.debug_abbrev', '.debug_info', '.debug_loc', '.debug_ranges', '.debug_str', '.debug_line', 'name', 'producers'];
    const bin = new Uint8Array([...HEADER, ...TYPE, ...names.flatMap((n, i) => custom(n, [i]))]);
    const out = keepCustomSections(bin, KEPT_SECTIONS);
    expect(listSections(out).map((s) => s.name ?? s.id)).toEqual([1, '.debug_abbrev', '.debug_info', '.debug_ranges', '.debug_line', 'name']);
    expect(WebAssembly.validate(out)).toBe(true);
  });

  it('rejects truncated input with a typed error', () => {
    expect(() => listSections(new Uint8Array([...HEADER, 1, 10, 0]))).toThrow(WasmSectionError);
    expect(() => listSections(new Uint8Array([1, 2, 3]))).toThrow(/bad magic/);
  });
});
