import { describe, expect, it } from 'vitest';
import { F32Bits, F64Bits } from '../api.ts';
import { argValue, ExternRef, ExternRefs, matches, showExpected, UnsupportedValue } from './values.ts';

const ex = new ExternRefs();
const f32 = (bits: number) => new F32Bits(bits);
const f64 = (bits: bigint) => new F64Bits(bits);

describe('argValue', () => {
  it('reads unsigned decimal bit patterns into signed embedding values', () => {
    expect(argValue({ type: 'i32', value: '4294967295' }, ex)).toBe(-1);
    expect(argValue({ type: 'i64', value: '18446744073709551615' }, ex)).toBe(-1n);
    expect(argValue({ type: 'f32', value: '2143289344' }, ex)).toEqual(f32(0x7fc00000));
    expect(argValue({ type: 'f64', value: '9221120237041090560' }, ex)).toEqual(f64(0x7ff8000000000000n));
  });

  it('gives one object per ref.extern number', () => {
    const a = argValue({ type: 'externref', value: '1' }, ex);
    expect(a).toBeInstanceOf(ExternRef);
    expect(argValue({ type: 'externref', value: '1' }, ex)).toBe(a);
    expect(argValue({ type: 'externref', value: '2' }, ex)).not.toBe(a);
    expect(argValue({ type: 'externref', value: 'null' }, ex)).toBeNull();
    expect(argValue({ type: 'funcref', value: 'null' }, ex)).toBeNull();
  });

  it('refuses types it cannot express', () => {
    expect(() => argValue({ type: 'v128', lane_type: 'i32', value: ['0', '0', '0', '0'] }, ex)).toThrow(UnsupportedValue);
  });
});

describe('matches', () => {
  it('compares integers by bits', () => {
    expect(matches(-1, { type: 'i32', value: '4294967295' }, ex)).toBe(true);
    expect(matches(1, { type: 'i32', value: '4294967295' }, ex)).toBe(false);
    expect(matches(-2n, { type: 'i64', value: '18446744073709551614' }, ex)).toBe(true);
    expect(matches(2, { type: 'i64', value: '2' }, ex)).toBe(false); // an i64 must be a bigint
  });

  it('compares floats by bits, so -0 differs from +0 and NaN payloads count', () => {
    expect(matches(f32(0x80000000), { type: 'f32', value: '0' }, ex)).toBe(false);
    expect(matches(f32(0x80000000), { type: 'f32', value: String(0x80000000) }, ex)).toBe(true);
    expect(matches(f32(0x7fa00000), { type: 'f32', value: String(0x7fa00000) }, ex)).toBe(true);
    expect(matches(f32(0x7fe00000), { type: 'f32', value: String(0x7fa00000) }, ex)).toBe(false);
    expect(matches(-0, { type: 'f64', value: String(0x8000000000000000n) }, ex)).toBe(true); // plain numbers too
    expect(matches(f64(0x7ff4000000000000n), { type: 'f64', value: String(0x7ff4000000000000n) }, ex)).toBe(true);
  });

  it('accepts only canonical NaNs (either sign) for nan:canonical', () => {
    const canon = { type: 'f32', value: 'nan:canonical' };
    expect(matches(f32(0x7fc00000), canon, ex)).toBe(true);
    expect(matches(f32(0xffc00000), canon, ex)).toBe(true);
    expect(matches(f32(0x7fc00001), canon, ex)).toBe(false);
    expect(matches(f32(0x7f800000), canon, ex)).toBe(false); // infinity
    const canon64 = { type: 'f64', value: 'nan:canonical' };
    expect(matches(f64(0xfff8000000000000n), canon64, ex)).toBe(true);
    expect(matches(f64(0x7ff8000000000001n), canon64, ex)).toBe(false);
  });

  it('accepts any quiet NaN for nan:arithmetic, but not a signalling one', () => {
    const arith = { type: 'f32', value: 'nan:arithmetic' };
    expect(matches(f32(0x7fc00000), arith, ex)).toBe(true);
    expect(matches(f32(0xffc12345), arith, ex)).toBe(true);
    expect(matches(f32(0x7fa00000), arith, ex)).toBe(false);
    expect(matches(f32(0x3f800000), arith, ex)).toBe(false);
    const arith64 = { type: 'f64', value: 'nan:arithmetic' };
    expect(matches(f64(0x7ffc000000000000n), arith64, ex)).toBe(true);
    expect(matches(f64(0x7ff4000000000000n), arith64, ex)).toBe(false);
  });

  it('checks references by identity', () => {
    const one = ex.get(1);
    expect(matches(one, { type: 'externref', value: '1' }, ex)).toBe(true);
    expect(matches(ex.get(2), { type: 'externref', value: '1' }, ex)).toBe(false);
    expect(matches({ n: 1 }, { type: 'externref', value: '1' }, ex)).toBe(false); // equal shape, other object
    expect(matches(null, { type: 'externref', value: 'null' }, ex)).toBe(true);
    expect(matches(one, { type: 'externref' }, ex)).toBe(true); // (ref.extern): any non-null
    expect(matches(null, { type: 'externref' }, ex)).toBe(false);
    const fn = { kind: 'func', type: { params: [], results: [] } };
    expect(matches(fn, { type: 'funcref' }, ex)).toBe(true); // (ref.func)
    expect(matches(fn, { type: 'funcref', value: '0' }, ex)).toBe(true); // wabt's form of (ref.func)
    expect(matches(null, { type: 'funcref' }, ex)).toBe(false);
    expect(matches(null, { type: 'funcref', value: 'null' }, ex)).toBe(true);
  });

  it('matches `either` when any alternative does', () => {
    const e = { type: 'either', values: [{ type: 'i32', value: '1' }, { type: 'i32', value: '2' }] };
    expect(matches(2, e, ex)).toBe(true);
    expect(matches(3, e, ex)).toBe(false);
  });

  it('shows float expectations in hex', () => {
    expect(showExpected({ type: 'f32', value: String(0x7fa00000) })).toBe('f32:0x7fa00000');
    expect(showExpected({ type: 'f64', value: 'nan:canonical' })).toBe('f64:nan:canonical');
  });
});
