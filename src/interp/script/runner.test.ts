import { describe, expect, it } from 'vitest';
import { nativeEngine } from '../native/index.ts';
import { runScript } from './runner.ts';
import { parseWast } from './wast.ts';

// Every command kind the runner handles, each written to pass on a correct engine.
const PASSING = `
(module $M
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "spectest" "global_i32" (global $g666 i32))
  (import "spectest" "memory" (memory 1))
  (global $g (export "g") (mut i64) (i64.const -5))
  (func (export "add") (param i32 i32) (result i32) (call $print (local.get 0)) (i32.add (local.get 0) (local.get 1)))
  (func (export "g666") (result i32) (global.get $g666))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "neg0") (result f64) (f64.const -0.0))
  (func (export "swap") (param i64 f32) (result f32 i64) (local.get 1) (local.get 0))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (elem declare func 0)
  (func (export "fref") (result funcref) (ref.func 0))
  (func (export "trap") unreachable)
  (func $rec (export "rec") (call $rec))
  (func (export "bump") (global.set $g (i64.add (global.get $g) (i64.const 1)))))
(register "M" $M)
(module (import "M" "add" (func $add (param i32 i32) (result i32)))
  (func (export "add3") (param i32) (result i32) (call $add (local.get 0) (i32.const 3))))
(assert_return (invoke "add3" (i32.const -4)) (i32.const -1))
(assert_return (invoke $M "add" (i32.const 0x7fffffff) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke $M "g666") (i32.const 666))
(assert_return (invoke $M "nan") (f32.const nan:arithmetic))
(assert_return (invoke $M "neg0") (f64.const -0x0p+0))
(assert_return (invoke $M "swap" (i64.const 7) (f32.const 1.5)) (f32.const 1.5) (i64.const 7))
(assert_return (invoke $M "id" (ref.extern 3)) (ref.extern 3))
(assert_return (invoke $M "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke $M "fref") (ref.func))
(invoke $M "bump")
(assert_return (get $M "g") (i64.const -4))
(assert_trap (invoke $M "trap") "unreachable")
(assert_exhaustion (invoke $M "rec") "call stack exhausted")
(assert_malformed (module binary "\\00asm\\02\\00\\00\\00") "unknown binary version")
(assert_malformed (module quote "(func (result i32) (i32.const 0x))") "unknown operator")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_unlinkable (module (import "spectest" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_trap (module (memory 1) (data (i32.const 65536) "x")) "out of bounds memory access")
`;

describe('runScript', () => {
  it('passes a script that uses every command kind', async () => {
    const script = await parseWast(PASSING, 'passing.wast');
    const r = await runScript(script, nativeEngine);
    expect(r.failures).toEqual([]);
    // All commands but `register` count: 2 modules, 1 action, 19 assertions.
    expect(r).toMatchObject({ passed: 22, failed: 0, skipped: 0 });
  });

  it('reports each wrong expectation with its line', async () => {
    const script = await parseWast(
      `(module (func (export "one") (result i32) (i32.const 1)) (func (export "nan") (result f32) (f32.const nan:0x200000)))
(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_trap (invoke "one") "unreachable")
(assert_invalid (module (func)) "type mismatch")
(assert_malformed (module binary "\\00asm\\01\\00\\00\\00") "unexpected end")
(assert_return (invoke "missing"))
(assert_return (invoke "one") (i32.const 1))`,
      'failing.wast',
    );
    const r = await runScript(script, nativeEngine);
    expect(r.passed).toBe(2); // the module and the last assertion
    expect(r.failed).toBe(6);
    expect(r.failures.map((f) => f.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.failures[0].message).toMatch(/got \[1\], expected \[i32:2\]/);
    expect(r.failures[2].message).toMatch(/expected trap/);
    expect(r.failures[3].message).toMatch(/expected ValidationError/);
  });

  it('fails every command that needs a module after a module fails to load', async () => {
    const script = await parseWast(`(module (import "nowhere" "f" (func)) (func (export "f")))
(assert_return (invoke "f"))`, 'noload.wast');
    const r = await runScript(script, nativeEngine);
    expect(r.failed).toBe(2);
    expect(r.failures[0].message).toMatch(/failed to load: LinkError/);
  });

  it('gives each script a fresh spectest memory', async () => {
    const src = `(module (import "spectest" "memory" (memory 1))
  (func (export "get") (result i32) (i32.load8_u (i32.const 0)))
  (func (export "set") (i32.store8 (i32.const 0) (i32.const 9))))
(assert_return (invoke "get") (i32.const 0))
(invoke "set")
(assert_return (invoke "get") (i32.const 9))`;
    for (let i = 0; i < 2; i++) {
      const r = await runScript(await parseWast(src, 'mem.wast'), nativeEngine);
      expect(r).toMatchObject({ passed: 4, failed: 0 });
    }
  });
});
