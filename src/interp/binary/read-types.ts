// Types (spec 5.3): value, reference, function, limits, table, memory and global types.
// Structure only: whether a type is allowed where it appears is the validator's question.

import { EXTERNREF, F32, F64, FUNCREF, I32, I64, V128 } from '../syntax/types.ts';
import type { FuncType, GlobalType, Limits, MemType, RefType, TableType, ValType } from '../syntax/types.ts';
import type { Reader } from './reader.ts';

/** The single-byte value type encodings (5.3.1-5.3.4), indexed by byte. */
const VALTYPE = new Uint8Array(0x100);
for (const t of [I32, I64, F32, F64, V128, FUNCREF, EXTERNREF]) VALTYPE[t] = 1;

export function isValTypeByte(b: number): boolean {
  return VALTYPE[b] === 1;
}

export function readValType(r: Reader): ValType {
  const at = r.pos;
  const b = r.u8();
  if (VALTYPE[b] !== 1) r.fail('malformed-value-type', `malformed value type 0x${b.toString(16)}`, at);
  return b;
}

export function readRefType(r: Reader): RefType {
  const at = r.pos;
  const b = r.u8();
  if (b !== FUNCREF && b !== EXTERNREF) r.fail('malformed-ref-type', `malformed reference type 0x${b.toString(16)}`, at);
  return b;
}

/** vec(valtype) */
export function readResultType(r: Reader): ValType[] {
  const n = r.count();
  const ts: ValType[] = [];
  for (let i = 0; i < n; i++) ts.push(readValType(r));
  return ts;
}

/** 0x60 vec(valtype) vec(valtype) (5.3.6) */
export function readFuncType(r: Reader): FuncType {
  const at = r.pos;
  const form = r.u8();
  if (form !== 0x60) r.fail('malformed-func-type', `malformed function type 0x${form.toString(16)}`, at);
  const params = readResultType(r);
  const results = readResultType(r);
  return { params, results };
}

/** Limits (5.3.7): the flag is one byte, 0x00 (min) or 0x01 (min max); no LEB forms. */
export function readLimits(r: Reader): Limits {
  const at = r.pos;
  const flag = r.u8();
  if (flag === 0x00) return { min: r.u32() };
  if (flag === 0x01) {
    const min = r.u32();
    return { min, max: r.u32() };
  }
  return r.fail('malformed-limits', `malformed limits flag 0x${flag.toString(16)}`, at);
}

export function readTableType(r: Reader): TableType {
  const elem = readRefType(r);
  return { elem, limits: readLimits(r) };
}

export function readMemType(r: Reader): MemType {
  return { limits: readLimits(r) };
}

/** valtype mut, mut = 0x00 const | 0x01 var (5.3.10) */
export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  const at = r.pos;
  const m = r.u8();
  if (m !== 0x00 && m !== 0x01) r.fail('malformed-mutability', `malformed mutability 0x${m.toString(16)}`, at);
  return { type, mutable: m === 0x01 };
}
