// The interpreter's product contract (issue #2 §3 and "Bad input"): suspendable host calls at any depth,
// resumable fuel, configurable limits with typed errors, introspection at a pause, single-step, and no
// JS error ever escaping from hostile modules.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { interpEngine } from './index.ts';
import { F64Bits, Suspend, hostFunc, type Instance, type RunResult, type Value } from './api.ts';
import { DecodeError, ExhaustionError, LinkError, Trap, ValidationError } from './errors.ts';
import { I32 } from './syntax/types.ts';
import { uleb as leb, wat } from './binary/test-helpers.ts';

async function instance(src: string, imports = {}, limits = {}): Promise<Instance> {
  return interpEngine.instantiate(interpEngine.compile(await wat(src)), imports, limits);
}

const RECURSE = `(module
  (import "env" "probe" (func $probe (param i32) (result i32)))
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (call $probe (i32.const 7)))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "forever") (loop (br 0)))
  (func $inf (export "inf") (param i32) (result i32) (call $inf (i32.add (local.get 0) (i32.const 1))))
  (memory (export "memory") 1 100)
  (func (export "grow") (result i32) (local i32)
    (loop (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br 1))))
    (local.get 0)))`;

describe('resumable host calls', () => {
  it('suspends at depth 500 and resumes with the embedder’s result', async () => {
    const probe = hostFunc({ params: [I32], results: [I32] }, (args) => new Suspend({ asked: args[0] }));
    const inst = await instance(RECURSE, { env: { probe } });
    const r = inst.run('down', [500]);
    expect(r.status).toBe('suspended');
    if (r.status !== 'suspended') return;
    expect(r.call).toMatchObject({ module: 'env', name: 'probe', args: [7], token: { asked: 7 } });
    expect(inst.paused).toBe(true);
    const frames = inst.stack();
    expect(frames.length).toBe(501);
    expect(new Set(frames.map((f) => f.funcIndex))).toEqual(new Set([1]));
    expect(frames.every((f) => f.offset > 0)).toBe(true);
    const done = inst.resume([1000]);
    expect(done).toEqual({ status: 'done', results: [1500] });
    expect(inst.paused).toBe(false);
  });

  it('a host function that answers synchronously needs no resume', async () => {
    const probe = hostFunc({ params: [I32], results: [I32] }, (args) => (args[0] as number) * 2);
    const inst = await instance(RECURSE, { env: { probe } });
    expect(inst.run('down', [10])).toEqual({ status: 'done', results: [24] });
  });
});

describe('fuel', () => {
  it('an infinite loop pauses when fuel runs out, and can be resumed and paused again', async () => {
    const inst = await instance(RECURSE, { env: { probe: hostFunc({ params: [I32], results: [I32] }, () => 0) } });
    expect(inst.run('forever', [], { fuel: 10_000 })).toEqual({ status: 'out-of-fuel' });
    expect(inst.fuelUsed).toBe(10_000);
    expect(inst.resume([], { fuel: 5_000 })).toEqual({ status: 'out-of-fuel' });
    expect(inst.fuelUsed).toBe(15_000);
  });

  it('single-stepping with fuel 1 visits each instruction and ends with the same result', async () => {
    const inst = await instance(`(module (func (export "f") (param i32) (result i32) (local i32)
      (block (loop (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))
      (local.get 1)))`);
    let r: RunResult = inst.run('f', [10], { fuel: 1 });
    const offsets: number[] = [];
    let steps = 1;
    while (r.status === 'out-of-fuel') {
      offsets.push(inst.stack()[0].offset);
      r = inst.resume([], { fuel: 1 });
      steps++;
    }
    expect(r).toEqual({ status: 'done', results: [55] });
    expect(steps).toBe(inst.fuelUsed);
    expect(new Set(offsets).size).toBeGreaterThan(3);
  });

  it('metered and unmetered runs agree', async () => {
    const inst = await instance(RECURSE, { env: { probe: hostFunc({ params: [I32], results: [I32] }, () => 1) } });
    let r = inst.run('down', [300], { fuel: 7 });
    while (r.status === 'out-of-fuel') r = inst.resume([], { fuel: 7 });
    expect(r).toEqual(inst.run('down', [300]));
  });
});

describe('limits', () => {
  it('runaway recursion ends in ExhaustionError, and the instance stays usable', async () => {
    const inst = await instance(RECURSE, { env: { probe: hostFunc({ params: [I32], results: [I32] }, () => 0) } }, { maxCallDepth: 2000 });
    expect(() => inst.run('inf', [0])).toThrow(ExhaustionError);
    expect(inst.run('down', [5])).toEqual({ status: 'done', results: [5] });
  });

  it('a configured call depth is honoured exactly', async () => {
    const inst = await instance(RECURSE, { env: { probe: hostFunc({ params: [I32], results: [I32] }, () => 0) } }, { maxCallDepth: 100 });
    expect(inst.run('down', [99]).status).toBe('done');
    expect(() => inst.run('down', [100])).toThrow(ExhaustionError);
  });

  it('a memory.grow flood stops at the configured page limit', async () => {
    const inst = await instance(RECURSE, { env: { probe: hostFunc({ params: [I32], results: [I32] }, () => 0) } }, { maxMemoryPages: 20 });
    expect(inst.run('grow')).toEqual({ status: 'done', results: [19] });
  });

  it('a memory larger than the limit fails instantiation with a typed error', async () => {
    await expect(instance('(module (memory 50))', {}, { maxMemoryPages: 10 })).rejects.toThrow(ExhaustionError);
  });

  it('a giant locals count is refused when the function is compiled', async () => {
    const inst = await instance('(module (func (export "f") (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)))', {}, { maxLocals: 5 });
    expect(() => inst.run('f')).toThrow(ExhaustionError);
  });
});

describe('traps, values and linking', () => {
  it('traps come back as results with a kind and an offset; the instance keeps working', async () => {
    const inst = await instance(`(module (memory 1)
      (func (export "oob") (result i32) (i32.load (i32.const 70000)))
      (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))`);
    const r = inst.run('oob');
    expect(r.status).toBe('trap');
    if (r.status === 'trap') {
      expect(r.trap).toBeInstanceOf(Trap);
      expect(r.trap.kind).toBe('out-of-bounds-memory');
      expect(r.trap.offset).toBeGreaterThan(0);
    }
    expect(inst.run('div', [0]).status).toBe('trap');
    expect(inst.run('div', [1])).toEqual({ status: 'done', results: [1] });
  });

  it('keeps NaN payloads through locals, memory and returns', async () => {
    const inst = await instance(`(module (memory 1)
      (func (export "id") (param f64) (result f64) (local f64)
        (f64.store (i32.const 8) (local.get 0)) (local.set 1 (f64.load (i32.const 8))) (local.get 1)))`);
    const snan = new F64Bits(0x7ff0000000000001n);
    const r = inst.run('id', [snan], { exactFloats: true });
    expect(r.status === 'done' && (r.results[0] as F64Bits).bits).toBe(0x7ff0000000000001n);
  });

  it('i64 values are exact bigints at the boundary', async () => {
    const inst = await instance(`(module (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1))))`);
    expect(inst.run('mul', [0x123456789abcdefn, -3n])).toEqual({ status: 'done', results: [BigInt.asIntN(64, 0x123456789abcdefn * -3n)] });
  });

  it('missing and mistyped imports are LinkErrors', async () => {
    const bytes = await wat('(module (import "env" "f" (func (param i32))))');
    const mod = interpEngine.compile(bytes);
    expect(() => interpEngine.instantiate(mod, {})).toThrow(LinkError);
    const wrong = hostFunc({ params: [], results: [] }, () => undefined);
    expect(() => interpEngine.instantiate(mod, { env: { f: wrong } })).toThrow(LinkError);
  });
});

describe('hostile modules', () => {
  const seed = wat(`(module (memory 1) (global (mut i32) (i32.const 0))
    (func (export "f") (param i32) (result i32) (local i64)
      (block (loop (br_if 1 (i32.eqz (local.get 0))) (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))
      (i32.load offset=4 (global.get 0)))
    (table 2 funcref) (elem (i32.const 0) 0) (data (i32.const 0) "abc"))`);

  it('random and mutated bytes: decode+validate+instantiate+run only ever raise typed engine errors', async () => {
    const base = await seed;
    const typed = (e: unknown) =>
      e instanceof DecodeError || e instanceof ValidationError || e instanceof LinkError || e instanceof ExhaustionError || e instanceof Trap;
    const attempt = (bytes: Uint8Array): void => {
      try {
        const inst = interpEngine.instantiate(interpEngine.compile(bytes), {}, { maxMemoryPages: 16 });
        for (const [name, e] of Object.entries(inst.exports)) {
          if (e.kind !== 'func') continue;
          const args: Value[] = e.type.params.map((t) => (t === 0x7e ? 0n : 0));
          inst.run(name, args, { fuel: 10_000 });
        }
      } catch (e) {
        if (!typed(e)) throw e;
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => attempt(bytes)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(), (muts, cut) => {
        const bytes = base.slice();
        for (const [at, v] of muts) bytes[at % bytes.length] = v;
        attempt(bytes.subarray(0, Math.max(8, bytes.length - (cut % 16))));
      }),
      { numRuns: 1500 },
    );
  });

  it('deeply nested blocks are compiled without recursion', () => {
    const depth = 50_000;
    const body = [...Array(depth).fill([0x02, 0x40]).flat(), ...Array(depth).fill(0x0b), 0x0b];
    const code = [...leb(body.length + 1), 0x00, ...body];
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0,
      10, ...leb(code.length + 1), 1, ...code]);
    const inst = interpEngine.instantiate(interpEngine.compile(bytes), {});
    expect(inst.run('f')).toEqual({ status: 'done', results: [] });
  });
});

describe('introspection at a pause', () => {
  it('reads memory and named globals of the paused function', async () => {
    const probe = hostFunc({ params: [], results: [] }, () => new Suspend());
    const inst = await instance(`(module (import "env" "probe" (func $probe))
      (memory 1) (global $sp (mut i32) (i32.const 1024))
      (func (export "f") (i32.store8 (i32.const 16) (i32.const 0xab)) (global.set $sp (i32.const 512)) (call $probe)))`,
      { env: { probe } });
    expect(inst.run('f').status).toBe('suspended');
    expect(inst.memory!()![16]).toBe(0xab);
    expect(inst.globals!()).toEqual([{ index: 0, name: 'sp', type: { type: I32, mutable: true }, value: 512 }]);
    expect(inst.resume().status).toBe('done');
  });
});

describe('fused instructions agree with V8', () => {
  it('f64 arithmetic on a just-loaded operand, in both operand orders, and its bounds check', async () => {
    const src = `(module (memory (export "mem") 1)
      (func (export "f") (param $p i32) (param $x f64) (result f64)
        (f64.add
          (f64.add (f64.sub (f64.load offset=8 (local.get $p)) (local.get $x))
                   (f64.sub (local.get $x) (f64.load (i32.add (local.get $p) (i32.const 16)))))
          (f64.add (f64.mul (local.get $x) (f64.load offset=24 (local.get $p)))
                   (f64.add (f64.mul (f64.load (local.get $p)) (f64.const 3)) (f64.load offset=32 (local.get $p)))))))`;
    const bytes = await wat(src);
    const inst = interpEngine.instantiate(interpEngine.compile(bytes), {});
    const native = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), {}).exports as {
      f: (p: number, x: number) => number;
      mem: WebAssembly.Memory;
    };
    const mem = (inst.exports.mem as { buffer: ArrayBuffer }).buffer;
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 5, maxLength: 5 }), fc.double({ noNaN: true }), (vals, x) => {
        new Float64Array(mem, 64, 5).set(vals);
        new Float64Array(native.mem.buffer, 64, 5).set(vals);
        const r = inst.run('f', [64, x]);
        expect(r).toEqual({ status: 'done', results: [native.f(64, x)] });
      }),
      { numRuns: 300 },
    );
    const oob = inst.run('f', [65536 - 16, 1]);
    expect(oob.status === 'trap' && oob.trap.kind).toBe('out-of-bounds-memory');
  });
});

describe('f64 accumulate to memory', () => {
  it('M[p] += x matches V8, a store to another address does not fuse, and bounds are checked', async () => {
    const bytes = await wat(`(module (memory (export "mem") 1)
      (func (export "acc") (param $p i32) (param $q i32) (param $x f64)
        (f64.store (local.get $p) (f64.add (local.get $x) (f64.load (local.get $p))))
        (f64.store (local.get $q) (f64.add (local.get $x) (f64.load (local.get $p))))))`);
    const inst = interpEngine.instantiate(interpEngine.compile(bytes), {});
    const native = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), {}).exports as {
      acc: (p: number, q: number, x: number) => void;
      mem: WebAssembly.Memory;
    };
    const ours = new Float64Array((inst.exports.mem as { buffer: ArrayBuffer }).buffer, 0, 8);
    const theirs = new Float64Array(native.mem.buffer, 0, 8);
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (m0, x) => {
        ours[1] = theirs[1] = m0;
        expect(inst.run('acc', [8, 24, x]).status).toBe('done');
        native.acc(8, 24, x);
        expect(Array.from(ours.subarray(0, 4))).toEqual(Array.from(theirs.subarray(0, 4)));
      }),
      { numRuns: 200 },
    );
    const oob = inst.run('acc', [65536 - 4, 0, 1]);
    expect(oob.status === 'trap' && oob.trap.kind).toBe('out-of-bounds-memory');
  });
});

describe('fuel accounting', () => {
  it('fuelUsed is exact inside each host call (for progress)', async () => {
    const seen: number[] = [];
    let inst!: Instance;
    const tick = hostFunc({ params: [], results: [] }, () => {
      seen.push(inst.fuelUsed);
    });
    inst = await instance(`(module (import "env" "tick" (func $tick))
      (func (export "f") (param i32) (loop (call $tick) (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))`,
      { env: { tick } });
    expect(inst.run('f', [5]).status).toBe('done');
    // The loop body is a fixed number of instructions, so consecutive calls are a constant distance apart.
    const gaps = seen.slice(1).map((v, i) => v - seen[i]);
    expect(gaps.length).toBe(4);
    expect(new Set(gaps).size).toBe(1);
    expect(gaps[0]).toBeGreaterThan(0);
    expect(inst.fuelUsed).toBeGreaterThan(seen.at(-1)!);
  });
});
