import { beforeAll, describe, expect, it } from 'vitest';
import { F32Bits, F64Bits, hostFunc, Suspend } from '../api.ts';
import type { GlobalHandle, Instance, MemoryHandle, TableHandle, Value } from '../api.ts';
import { DecodeError, ExhaustionError, InternalError, LinkError, Trap, ValidationError } from '../errors.ts';
import { F32, F64, I32, I64 } from '../syntax/types.ts';
import { bridgeBinary } from './bits-bridge.ts';
import { nativeEngine } from './index.ts';
import { hasSection } from './module-info.ts';

let wat: (src: string) => Uint8Array;

beforeAll(async () => {
  const wabt = await (await import('wabt')).default();
  wat = (src) => {
    const m = wabt.parseWat('test.wat', src, { multi_value: true, reference_types: true, bulk_memory: true });
    try {
      return m.toBinary({}).buffer;
    } finally {
      m.destroy();
    }
  };
});

function inst(src: string, imports = {}): Instance {
  return nativeEngine.instantiate(nativeEngine.compile(wat(src)), imports);
}

describe('native engine: exports and values', () => {
  it('calls an export with i32 and i64 arguments', () => {
    const i = inst(`(module
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1))))`);
    expect(i.run('add', [2, 40])).toEqual({ status: 'done', results: [42] });
    expect(i.run('add', [0x7fffffff, 1])).toEqual({ status: 'done', results: [-0x80000000] });
    expect(i.run('mul64', [1n << 40n, 1n << 30n])).toEqual({ status: 'done', results: [1n << 70n & ((1n << 64n) - 1n)] });
    expect(i.run('mul64', [-3n, 5n])).toEqual({ status: 'done', results: [-15n] });
  });

  it('returns several results as a list and floats as bits on request', () => {
    const i = inst(`(module
      (func (export "pair") (result f32 f64) (f32.const 1.5) (f64.const -0.0))
      (func (export "id32") (param f32) (result f32) (local.get 0)))`);
    expect(i.run('pair')).toEqual({ status: 'done', results: [1.5, -0] });
    const r = i.run('pair', [], { exactFloats: true });
    expect(r).toEqual({ status: 'done', results: [new F32Bits(0x3fc00000), new F64Bits(0x8000000000000000n)] });
    // A quiet NaN with a payload survives the round trip through a JS number on V8.
    expect(i.run('id32', [new F32Bits(0x7fc01234)], { exactFloats: true })).toEqual({
      status: 'done', results: [new F32Bits(0x7fc01234)],
    });
  });

  it('wraps memory, table and global exports', () => {
    const i = inst(`(module
      (memory (export "mem") 1 3)
      (table (export "tab") 2 funcref)
      (global (export "g") (mut i64) (i64.const 7))
      (global (export "h") f64 (f64.const 2.5))
      (func $f (export "f") (result i32) (i32.const 9))
      (elem (i32.const 1) $f)
      (data (i32.const 4) "\\2a"))`);
    const mem = i.exports.mem as MemoryHandle;
    expect(mem.size()).toBe(1);
    expect(new Uint8Array(mem.buffer)[4]).toBe(42);
    expect(mem.grow(1)).toBe(1);
    expect(mem.grow(5)).toBe(-1);
    const tab = i.exports.tab as TableHandle;
    expect(tab.type.elem).toBe(0x70);
    expect(tab.get(0)).toBeNull();
    expect(tab.get(1)).toBe(i.exports.f); // same function, same handle
    expect(() => tab.get(2)).toThrow(Trap);
    const g = i.exports.g as GlobalHandle;
    expect(g.type).toEqual({ type: I64, mutable: true });
    g.set(-1n);
    expect(g.get()).toBe(-1n);
    const h = i.exports.h as GlobalHandle;
    expect(h.get({ exactFloats: true })).toEqual(new F64Bits(0x4004000000000000n));
    expect(() => h.set(1)).toThrow(InternalError);
  });
});

describe('native engine: imports', () => {
  it('calls a host function with converted arguments and results', () => {
    const seen: Value[][] = [];
    const log = hostFunc({ params: [I32, I64, F32], results: [I64] }, (args) => {
      seen.push(args);
      return (args[1] as bigint) * 2n;
    });
    const i = inst(`(module
      (import "env" "log" (func $log (param i32 i64 f32) (result i64)))
      (func (export "go") (result i64) (call $log (i32.const -1) (i64.const 21) (f32.const 0.5))))`,
    { env: { log } });
    expect(i.run('go')).toEqual({ status: 'done', results: [42n] });
    expect(seen).toEqual([[-1, 21n, 0.5]]);
  });

  it('lists imports and exports with spec kind names', () => {
    const m = nativeEngine.compile(wat(`(module (import "env" "f" (func)) (import "env" "m" (memory 1))
      (func (export "g")) (global (export "x") i32 (i32.const 0)))`));
    expect(m.imports).toEqual([{ module: 'env', name: 'f', kind: 'func' }, { module: 'env', name: 'm', kind: 'memory' }]);
    expect(m.exports).toEqual([{ name: 'g', kind: 'func' }, { name: 'x', kind: 'global' }]);
  });

  it('links exports of one instance into another', () => {
    const a = inst(`(module (memory (export "m") 1) (global (export "g") i32 (i32.const 5))
      (func (export "five") (result i32) (i32.const 5)))`);
    const b = inst(`(module (import "a" "m" (memory 1)) (import "a" "g" (global i32))
      (import "a" "five" (func $five (result i32)))
      (func (export "sum") (result i32) (i32.store (i32.const 0) (i32.const 3))
        (i32.add (i32.add (call $five) (global.get 0)) (i32.load (i32.const 0)))))`, { a: a.exports });
    expect(b.run('sum')).toEqual({ status: 'done', results: [13] });
    expect(new Int32Array((a.exports.m as MemoryHandle).buffer)[0]).toBe(3);
  });

  it('rejects missing or mistyped imports with LinkError', () => {
    const src = `(module (import "env" "f" (func (param i32))))`;
    expect(() => inst(src, {})).toThrow(LinkError);
    const wrong = hostFunc({ params: [F64], results: [] }, () => undefined);
    expect(() => inst(src, { env: { f: wrong } })).toThrow(LinkError);
    const mem = inst(`(module (memory (export "m") 1))`).exports;
    expect(() => inst(`(module (import "env" "m" (memory 2)))`, { env: mem })).toThrow(LinkError);
  });

  it('turns a Suspend from a host function into an InternalError', () => {
    const s = hostFunc({ params: [], results: [] }, () => new Suspend());
    const i = inst(`(module (import "env" "s" (func $s)) (func (export "go") (call $s)))`, { env: { s } });
    expect(() => i.run('go')).toThrow(InternalError);
  });

  it('lets other host exceptions through unchanged', () => {
    class Exit extends Error {}
    const exit = hostFunc({ params: [I32], results: [] }, () => {
      throw new Exit('proc_exit');
    });
    const i = inst(`(module (import "wasi" "exit" (func $e (param i32))) (func (export "go") (call $e (i32.const 3))))`,
      { wasi: { exit } });
    expect(() => i.run('go')).toThrow(Exit);
  });
});

describe('native engine: errors', () => {
  it('reports traps as results, with a mapped kind', () => {
    const i = inst(`(module (memory 1) (table 1 funcref) (type $t (func))
      (func (export "unreachable") unreachable)
      (func (export "oob") (result i32) (i32.load (i32.const 65536)))
      (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
      (func (export "ovf") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
      (func (export "conv") (result i32) (i32.trunc_f32_s (f32.const nan)))
      (func (export "null") (call_indirect (type $t) (i32.const 0)))
      (func (export "tab") (call_indirect (type $t) (i32.const 5))))`);
    const kind = (name: string, args: Value[] = []) => {
      const r = i.run(name, args);
      return r.status === 'trap' ? r.trap.kind : r.status;
    };
    expect(kind('unreachable')).toBe('unreachable');
    expect(kind('oob')).toBe('out-of-bounds-memory');
    expect(kind('div', [0])).toBe('integer-divide-by-zero');
    expect(kind('div', [1])).toBe('done');
    expect(kind('ovf')).toBe('integer-overflow');
    expect(kind('conv')).toBe('invalid-conversion-to-integer');
    expect(['uninitialized-element', 'indirect-call-type-mismatch', 'null-reference']).toContain(kind('null'));
    expect(['out-of-bounds-table', 'undefined-element']).toContain(kind('tab'));
  });

  it('throws ExhaustionError on unbounded recursion', () => {
    const i = inst(`(module (func $f (export "f") (call $f)))`);
    expect(() => i.run('f')).toThrow(ExhaustionError);
  });

  it('maps compile errors to DecodeError or ValidationError', () => {
    expect(() => nativeEngine.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toThrow(DecodeError);
    const bad = wat(`(module (func (result i32) (i64.const 0)))`);
    expect(() => nativeEngine.compile(bad)).toThrow(ValidationError);
  });

  it('throws Trap when the start function traps', () => {
    const m = nativeEngine.compile(wat(`(module (func $s unreachable) (start $s))`));
    expect(() => nativeEngine.instantiate(m, {})).toThrow(Trap);
  });

  it('never pauses', () => {
    const i = inst(`(module (func (export "f")))`);
    expect(i.run('f', [], { fuel: 1 })).toEqual({ status: 'done', results: [] });
    expect(i.paused).toBe(false);
    expect(i.fuelUsed).toBe(0);
    expect(i.stack()).toEqual([]);
    expect(() => i.resume()).toThrow(InternalError);
  });
});

describe('native engine: exact float bits', () => {
  it('keeps signalling NaN payloads through run() with exactFloats', () => {
    const i = inst(`(module
      (func (export "id32") (param f32) (result f32) (local.get 0))
      (func (export "id64") (param f64) (result f64) (local.get 0))
      (func (export "swap") (param f32 i32 f64) (result f64 i32 f32) (local.get 2) (local.get 1) (local.get 0)))`);
    const s32 = new F32Bits(0x7fa00001);
    const s64 = new F64Bits(0xfff4000000000001n);
    expect(i.run('id32', [s32], { exactFloats: true })).toEqual({ status: 'done', results: [s32] });
    expect(i.run('id64', [s64], { exactFloats: true })).toEqual({ status: 'done', results: [s64] });
    expect(i.run('swap', [s32, 7, s64], { exactFloats: true })).toEqual({ status: 'done', results: [s64, 7, s32] });
    // Without exactFloats, results are plain numbers.
    expect(i.run('swap', [1.5, 7, -2], {})).toEqual({ status: 'done', results: [-2, 7, 1.5] });
  });

  it('reads and writes float globals bit-exactly', () => {
    const i = inst(`(module (global (export "g") (mut f32) (f32.const nan:0x200001))
      (global (export "h") (mut f64) (f64.const 0)) (global (export "k") f64 (f64.const -nan:0x4000000000001)))`);
    const g = i.exports.g as GlobalHandle;
    expect(g.get({ exactFloats: true })).toEqual(new F32Bits(0x7fa00001));
    const h = i.exports.h as GlobalHandle;
    h.set(new F64Bits(0x7ff4000000000002n));
    expect(h.get({ exactFloats: true })).toEqual(new F64Bits(0x7ff4000000000002n));
    h.set(2.5);
    expect(h.get()).toBe(2.5);
    expect((i.exports.k as GlobalHandle).get({ exactFloats: true })).toEqual(new F64Bits(0xfff4000000000001n));
  });

  it('still reports traps through the bridge', () => {
    const i = inst(`(module (func (export "t") (param f32) (result f32) unreachable))`);
    const r = i.run('t', [new F32Bits(0)], { exactFloats: true });
    expect(r.status === 'trap' && r.trap.kind).toBe('unreachable');
  });

  it('generates valid bridge modules for any mix of types', () => {
    const types = [
      { params: [], results: [F32] },
      { params: [F64, F64], results: [] },
      { params: [I32, F32, I64, F64], results: [F64, F32, I64, I32] },
      { params: [0x6f, F32], results: [0x70, F64] },
    ];
    for (const t of types) expect(WebAssembly.validate(bridgeBinary(t) as Uint8Array<ArrayBuffer>)).toBe(true);
  });
});

describe('module-info', () => {
  it('finds sections by id', () => {
    const b = wat(`(module (memory 1) (func (data.drop 0)) (data "x"))`);
    expect(hasSection(b, 12)).toBe(true);
    expect(hasSection(b, 6)).toBe(false);
  });
});
