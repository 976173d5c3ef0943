import { describe, expect, it } from 'vitest';
import { withDataCount } from './data-count.ts';
import { watToBinary } from './wast.ts';

function sectionIds(b: Uint8Array): number[] {
  const ids: number[] = [];
  let pos = 8;
  while (pos < b.length) {
    ids.push(b[pos++]);
    let size = 0, shift = 0, byte: number;
    do {
      byte = b[pos++];
      size += (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    pos += size;
  }
  return ids;
}

describe('withDataCount', () => {
  it('adds a data count section before the code section when wabt left it out', async () => {
    const b = await watToBinary('(module (memory 1) (func (data.drop 0)))');
    expect(sectionIds(b)).not.toContain(12);
    const fixed = withDataCount(b);
    expect(sectionIds(fixed)).toEqual([1, 3, 5, 12, 10]);
    expect(fixed.length).toBe(b.length + 3);
  });

  it('counts existing data segments and leaves complete modules alone', async () => {
    const withData = await watToBinary('(module (memory 1) (func (data.drop 1)) (data "a") (data "b"))');
    expect(withDataCount(withData)).toBe(withData); // wabt wrote the section itself here
    const noCode = await watToBinary('(module (memory 1) (data (i32.const 0) "a"))');
    expect(withDataCount(noCode)).toBe(noCode);
  });

  it('leaves unreadable input unchanged', () => {
    const junk = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 10, 0xff]);
    expect(withDataCount(junk)).toBe(junk);
  });
});
