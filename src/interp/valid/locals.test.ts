// Locals lookup against a naive expansion, on both the flat and the binary-search path.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { F32, F64, I32, I64 } from '../syntax/types.ts';
import { Locals } from './locals.ts';

describe('Locals', () => {
  it('agrees with the expanded list for every index, and rejects out-of-range ones', () => {
    const type = fc.constantFrom(I32, I64, F32, F64);
    const runs = fc.array(fc.record({ count: fc.nat(40), type }), { maxLength: 8 });
    fc.assert(
      fc.property(fc.array(type, { maxLength: 6 }), runs, (params, rs) => {
        const expanded = [...params];
        for (const r of rs) for (let i = 0; i < r.count; i++) expanded.push(r.type);
        const l = new Locals();
        l.reset(params, rs);
        for (let i = 0; i < expanded.length; i++) expect(l.typeOf(i)).toBe(expanded[i]);
        expect(l.typeOf(expanded.length)).toBeUndefined();
        expect(l.typeOf(-1)).toBeUndefined();
      }),
      { numRuns: 300, seed: 3 },
    );
  });
  it('handles billions of locals without expanding them', () => {
    const l = new Locals();
    l.reset([F64], [{ count: 0xffff_fff0, type: I64 }, { count: 3, type: F32 }]);
    expect(l.typeOf(0)).toBe(F64);
    expect(l.typeOf(0xffff_fff0)).toBe(I64);
    expect(l.typeOf(0xffff_fff1)).toBe(F32);
    expect(l.typeOf(0xffff_fff3)).toBe(F32);
    expect(l.typeOf(0xffff_fff4)).toBeUndefined();
  });
});
