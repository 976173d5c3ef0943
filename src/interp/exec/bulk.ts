// Bulk memory and table operations (spec 4.4.6/4.4.7, bulk-memory and reference-types proposals).
// All bounds are checked before anything is written, so an out-of-bounds copy changes nothing.

import { Trap } from '../errors.ts';
import type { Ref, TableInst } from '../runtime/store.ts';

function oobMem(): never {
  throw new Trap('out-of-bounds-memory', 'out of bounds memory access');
}
function oobTable(): never {
  throw new Trap('out-of-bounds-table', 'out of bounds table access');
}

export function memoryFill(u8: Uint8Array, d: number, v: number, n: number): void {
  if (d + n > u8.length) oobMem();
  u8.fill(v & 0xff, d, d + n);
}

export function memoryCopy(u8: Uint8Array, d: number, s: number, n: number): void {
  if (d + n > u8.length || s + n > u8.length) oobMem();
  u8.copyWithin(d, s, s + n);
}

/** memory.init; a dropped segment behaves as empty. */
export function dataInit(u8: Uint8Array, seg: Uint8Array | null, d: number, s: number, n: number): void {
  const len = seg ? seg.length : 0;
  if (s + n > len || d + n > u8.length) oobMem();
  if (n > 0) u8.set(seg!.subarray(s, s + n), d);
}

export function tableGrow(t: TableInst, init: Ref, n: number): number {
  return t.grow(n, init as never);
}

export function tableFill(t: TableInst, i: number, v: Ref, n: number): void {
  if (i + n > t.elems.length) oobTable();
  t.elems.fill(v, i, i + n);
}

export function tableCopy(dt: TableInst, st: TableInst, d: number, s: number, n: number): void {
  if (d + n > dt.elems.length || s + n > st.elems.length) oobTable();
  if (dt === st) dt.elems.copyWithin(d, s, s + n);
  else for (let k = 0; k < n; k++) dt.elems[d + k] = st.elems[s + k];
}

/** table.init; a dropped segment behaves as empty. */
export function elemInit(t: TableInst, seg: Ref[] | null, d: number, s: number, n: number): void {
  const len = seg ? seg.length : 0;
  if (s + n > len || d + n > t.elems.length) oobTable();
  for (let k = 0; k < n; k++) t.elems[d + k] = seg![s + k];
}
