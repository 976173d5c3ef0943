// End to end: text → binary (npm wabt, which does not validate) → decode → validate. Checks that the
// error offset points at the offending instruction's opcode byte in the binary.

import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../binary/index.ts';
import { WABT_FEATURES } from '../binary/test-helpers.ts';
import { ValidationError } from '../errors.ts';
import { validate } from './index.ts';

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabt: Wabt;
beforeAll(async () => {
  wabt = await (await import('wabt')).default();
});

function toBinary(src: string): Uint8Array {
  const mod = wabt.parseWat('t.wat', src, WABT_FEATURES);
  try {
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

function check(src: string): { bytes: Uint8Array; error?: ValidationError } {
  const bytes = toBinary(src);
  try {
    validate(decode(bytes));
    return { bytes };
  } catch (e) {
    if (e instanceof ValidationError) return { bytes, error: e };
    throw e;
  }
}

const valid = (src: string): void => expect(check(src).error).toBeUndefined();

/** Invalid with `kind`; if `opcode` is given, the error offset must point at that opcode byte. */
function invalid(src: string, kind: string, opcode?: number): void {
  const { bytes, error } = check(src);
  expect(error, 'expected a ValidationError').toBeDefined();
  expect(error!.kind).toBe(kind);
  if (opcode !== undefined) expect(bytes[error!.offset]).toBe(opcode);
}

describe('valid modules using every 2.0 feature', () => {
  it('multi-value, br_table, typed select, references, tables and bulk memory', () => {
    valid(`(module
      (import "env" "g" (global $g (mut i32)))
      (import "env" "c" (global $c i32))
      (type $pair (func (param i32 i32) (result i32 i32)))
      (memory 1)
      (table $t 2 funcref)
      (table $e 1 externref)
      (global $r (mut funcref) (ref.func $f))
      (global $k i32 (global.get $c))
      (elem declare func $f)
      (elem $seg funcref (ref.func $f) (ref.null func))
      (data $d "abc")
      (export "g" (global $g))
      (func $f (param i32) (result i32)
        (block $out (result i32)
          (block $a (result i32)
            (br_table $a $out (local.get 0) (local.get 0))))
        drop
        (i32.const 1) (i32.const 2)
        (block (type $pair) (param i32 i32) (result i32 i32))
        i32.add
        (select (result externref) (ref.null extern) (table.get $e (i32.const 0)) (i32.const 1))
        ref.is_null
        i32.add
        (loop (param i32) (result i32) (br_if 0 (i32.extend8_s) (i32.const 0)))
        (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
        (data.drop $d)
        (table.init $t $seg (i32.const 0) (i32.const 0) (i32.const 1))
        (table.copy $t $t (i32.const 0) (i32.const 0) (i32.const 1))
        (drop (table.grow $t (ref.func $f) (i32.const 1)))
        (global.set $g (i32.trunc_sat_f32_s (f32.const 1)))
        (if (result i32) (global.get $k) (then (i32.const 1)) (else (i32.const 2)))
        i32.add)
      (func (export "h") (result i32 i64) (i32.const 0) (i64.const 0))
    )`);
  });
});

describe('instruction errors point at the opcode', () => {
  it('type mismatch', () => {
    invalid('(module (func (result i32) (i32.add (i32.const 1) (i64.const 2))))', 'type-mismatch', 0x6a);
    invalid('(module (func (result i32) (i64.const 0)))', 'type-mismatch', 0x0b);
  });
  it('unknown local / global / label / function', () => {
    invalid('(module (func (param i32) (drop (local.get 1))))', 'unknown-local', 0x20);
    invalid('(module (func (drop (global.get 0))))', 'unknown-global', 0x23);
    invalid('(module (func (block (br 2))))', 'unknown-label', 0x0c);
    invalid('(module (func (call 3)))', 'unknown-func', 0x10);
  });
  it('immutable global', () => {
    invalid('(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))', 'immutable-global', 0x24);
  });
  it('memory: missing memory and over-aligned access', () => {
    invalid('(module (func (drop (i32.load (i32.const 0)))))', 'unknown-memory', 0x28);
    invalid('(module (memory 1) (func (drop (i32.load16_u align=4 (i32.const 0)))))', 'alignment', 0x2f);
    valid('(module (memory 1) (func (drop (i32.load16_u align=2 (i32.const 0)))))');
  });
  it('br_table arity and if without else', () => {
    invalid(`(module (func (result i32)
      (block $a (result i32) (block $b (br_table $a $b (i32.const 0) (i32.const 0))) (i32.const 0))))`, 'type-mismatch', 0x0e);
    invalid('(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))', 'type-mismatch', 0x0b);
  });
  it('select needs numeric operands unless typed', () => {
    invalid('(module (func (param externref) (drop (select (local.get 0) (local.get 0) (i32.const 1)))))', 'type-mismatch', 0x1b);
    valid('(module (func (param externref) (drop (select (result externref) (local.get 0) (local.get 0) (i32.const 1)))))');
  });
  it('undeclared ref.func', () => {
    invalid('(module (func (drop (ref.func 0))))', 'undeclared-func-ref', 0xd2);
    valid('(module (elem declare func 0) (func (drop (ref.func 0))))');
  });
  it('table.copy between tables of different element types', () => {
    invalid(`(module (table 1 funcref) (table 1 externref)
      (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))`, 'type-mismatch', 0xfc);
  });
  it('data.drop of an unknown segment', () => {
    invalid('(module (memory 1) (data "a") (func (data.drop 1)))', 'unknown-data', 0xfc);
  });
});

describe('module errors', () => {
  it('multiple memories, limits, start, exports', () => {
    invalid('(module (memory 1) (memory 1))', 'multiple-memories');
    invalid('(module (memory 65537))', 'memory-size-too-large');
    invalid('(module (memory 2 1))', 'invalid-limits');
    invalid('(module (table 2 1 funcref))', 'invalid-limits');
    invalid('(module (func (param i32)) (start 0))', 'invalid-start');
    invalid('(module (func) (export "a" (func 0)) (export "a" (func 0)))', 'duplicate-export');
  });
  it('constant expressions', () => {
    invalid('(module (global i32 (i32.add (i32.const 1) (i32.const 2))))', 'constant-expression-required', 0x6a);
    invalid('(module (import "a" "b" (global (mut i32))) (global i32 (global.get 0)))', 'constant-expression-required', 0x23);
    invalid('(module (global i32 (i32.const 0)) (global i32 (global.get 0)))', 'unknown-global', 0x23);
    invalid('(module (global i64 (i32.const 0)))', 'type-mismatch');
    invalid('(module (memory 1) (data (i64.const 0) "a"))', 'type-mismatch');
    invalid('(module (table 1 funcref) (elem (i32.const 0) externref (ref.null extern)))', 'type-mismatch');
  });
});
