import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { interpEngine, type InterpInstance } from '../engine.ts';
import { Suspend, hostFunc, type RunResult, type Value } from '../api.ts';
import { InternalError } from '../errors.ts';
import { wat } from '../binary/test-helpers.ts';
import type { InstanceSnapshot } from './snapshot.ts';

// A guest that touches every piece of instance state: memory (stores, memory.init, memory.grow), globals
// of each kind (i32, i64, f64, funcref), a table (active and passive segments, table.grow, table.set,
// call_indirect), data.drop / elem.drop, recursion (frames on the stack) and host calls at any depth.
const SRC = `(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (type $ty (func (param i32) (result i32)))
  (memory (export "memory") 1 4)
  (global $g (mut i32) (i32.const 1))
  (global $g64 (mut i64) (i64.const 5))
  (global $gf (mut f64) (f64.const 0.5))
  (global $gr (mut funcref) (ref.null func))
  (table $t 4 16 funcref)
  (elem (i32.const 0) $a $b)
  (elem $e func $a $b $c)
  (data $d "hello snapshot world")
  (func $a (type $ty) (i32.add (local.get 0) (i32.const 3)))
  (func $b (type $ty) (i32.mul (local.get 0) (i32.const 5)))
  (func $c (type $ty) (call $h (local.get 0)))
  (func $rec (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $h (global.get $g)))
      (else (i32.add (call $rec (i32.sub (local.get $n) (i32.const 1))) (i32.load8_u offset=100 (local.get $n))))))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (memory.init $d (i32.const 100) (i32.const 0) (i32.const 20))
    (data.drop $d)
    (table.init $t $e (i32.const 1) (i32.const 0) (i32.const 3))
    (elem.drop $e)
    (loop $l
      (i32.store (i32.add (i32.const 1024) (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2))) (global.get $g))
      (global.set $g (call_indirect $t (type $ty) (global.get $g) (i32.rem_u (local.get $i) (table.size $t))))
      (global.set $g64 (i64.add (i64.mul (global.get $g64) (i64.const 6364136223846793005)) (i64.extend_i32_u (global.get $g))))
      (global.set $gf (f64.add (global.get $gf) (f64.convert_i32_s (i32.and (global.get $g) (i32.const 0xffff)))))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 7)))
        (then (drop (table.grow $t (table.get $t (i32.const 3)) (i32.const 1)))))
      (if (i32.eq (i32.and (local.get $i) (i32.const 15)) (i32.const 9))
        (then (global.set $gr (table.get $t (i32.rem_u (global.get $g) (i32.const 4))))
              (table.set $t (i32.const 0) (global.get $gr))))
      (if (i32.eq (i32.and (local.get $i) (i32.const 31)) (i32.const 5))
        (then (drop (memory.grow (i32.const 1)))
              (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (local.get $i))))
      (global.set $g (i32.add (global.get $g) (call $rec (i32.and (local.get $i) (i32.const 7)))))
      (local.set $acc (i64.xor (local.get $acc) (global.get $g64)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (local.get $acc) (i64.trunc_sat_f64_s (global.get $gf)))))`;

const ITERATIONS = 60;
const pure = (x: number): number => (Math.imul(x, 31) + 7) | 0;

interface Driver {
  inst: InterpInstance;
  calls: number[];
  /** Host calls that suspend instead of returning (by call number). */
  suspendAt: Set<number>;
}

async function setup(): Promise<{ make: (suspendAt?: Set<number>) => Driver }> {
  const mod = interpEngine.compile(await wat(SRC));
  const make = (suspendAt = new Set<number>()): Driver => {
    const d = { calls: [] as number[], suspendAt } as Driver;
    const h = hostFunc({ params: [0x7f], results: [0x7f] }, (args) => {
      const x = args[0] as number;
      d.calls.push(x);
      return d.suspendAt.has(d.calls.length - 1) ? new Suspend('h') : pure(x);
    });
    d.inst = interpEngine.instantiate(mod, { env: { h } }) as InterpInstance;
    return d;
  };
  return { make };
}

/** Go on from a pause to the end, answering suspended host calls with the pure result. */
function finish(d: Driver, r: RunResult): RunResult {
  while (r.status === 'suspended' || r.status === 'out-of-fuel') {
    r = r.status === 'suspended' ? d.inst.resume([pure(r.call.args[0] as number)]) : d.inst.resume([]);
  }
  return r;
}

/** Globals with funcrefs as function indices (each instance has its own FuncInst objects). */
function globalsOf(d: Driver): unknown[] {
  return d.inst.globals().map((g) => {
    const v = g.value as { kind?: string; index?: number } | null;
    return v !== null && typeof v === 'object' && v.kind === 'func' ? { func: v.index } : g.value;
  });
}

/** Byte equality without vitest's element-wise diff (which is slow on 256 KiB). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function memoryOf(d: Driver): Uint8Array {
  return d.inst.memory()!.slice();
}

describe('instance snapshot and restore', () => {
  it('restore-then-resume equals uninterrupted execution, at random stop points, in the same and a fresh instance', async () => {
    const { make } = await setup();
    const ref = make();
    const want = ref.inst.run('run', [ITERATIONS]);
    expect(want.status).toBe('done');
    const wantMem = memoryOf(ref);
    const wantCalls = ref.calls.slice();
    const wantFuel = ref.inst.fuelUsed;

    fc.assert(
      fc.property(
        fc.integer({ min: 97, max: 5000 }),
        fc.uniqueArray(fc.integer({ min: 0, max: wantCalls.length - 1 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 999 }),
        (slice, suspends, perMille) => {
          // Pause at every host call the property picked and every `slice` instructions; snapshot at one pause.
          const snapAtPause = Math.floor(((wantFuel / slice + suspends.length) * perMille) / 1000);
          const a = make(new Set(suspends));
          let r: RunResult = a.inst.run('run', [ITERATIONS], { fuel: slice });
          let pauses = 0;
          let snap: InstanceSnapshot | undefined;
          let callsAtSnap = 0;
          let pendingAtSnap: Value | undefined;
          while (r.status === 'suspended' || r.status === 'out-of-fuel') {
            if (pauses++ === snapAtPause) {
              snap = a.inst.snapshot();
              callsAtSnap = a.calls.length;
              pendingAtSnap = r.status === 'suspended' ? pure(r.call.args[0] as number) : undefined;
            }
            r = r.status === 'suspended' ? a.inst.resume([pure(r.call.args[0] as number)], { fuel: slice }) : a.inst.resume([], { fuel: slice });
          }
          // Taking snapshots did not change the run.
          expect(r).toEqual(want);
          expect(sameBytes(memoryOf(a), wantMem)).toBe(true);
          expect(a.calls).toEqual(wantCalls);
          if (!snap) return;
          const resumeFrom = (d: Driver): RunResult => {
            d.calls = wantCalls.slice(0, callsAtSnap);
            d.suspendAt = new Set();
            d.inst.restore(snap!);
            expect(d.inst.paused).toBe(true);
            return finish(d, d.inst.resume(pendingAtSnap === undefined ? [] : [pendingAtSnap]));
          };
          for (const d of [a, make()]) {
            expect(resumeFrom(d)).toEqual(want);
            expect(sameBytes(memoryOf(d), wantMem)).toBe(true);
            expect(d.calls).toEqual(wantCalls);
            expect(d.inst.fuelUsed).toBe(wantFuel);
            expect(globalsOf(d)).toEqual(globalsOf(ref));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shares unchanged memory pages with an earlier snapshot', async () => {
    const { make } = await setup();
    const d = make(new Set(Array.from({ length: 1000 }, (_, i) => i)));
    let r = d.inst.run('run', [ITERATIONS]);
    let first: InstanceSnapshot | undefined;
    let second: InstanceSnapshot | undefined;
    while (r.status === 'suspended' && !second) {
      const pages = d.inst.memory()!.length / 65536;
      if (pages === 2 && !first) first = d.inst.snapshot();
      if (pages === 3 && first) second = d.inst.snapshot(first);
      r = d.inst.resume([pure(r.call.args[0] as number)]);
    }
    expect(first && second).toBeTruthy();
    const shared = second!.mems[0].filter((p, i) => p === first!.mems[0][i]);
    // Page 1 (written once, when memory grew to 2 pages) is shared; page 0 (the stores at 1024) is not.
    expect(shared).toEqual([first!.mems[0][1]]);
    // Restoring the older snapshot shrinks memory back.
    d.inst.restore(first!);
    expect(d.inst.memory()!.length).toBe(2 * 65536);
    expect(d.inst.memory()!.slice(65536)).toEqual(first!.mems[0][1]);
  });

  it('restores an idle snapshot and refuses a snapshot of another module', async () => {
    const { make } = await setup();
    const d = make();
    const idle = d.inst.snapshot();
    expect(idle.thread).toBeUndefined();
    const want = d.inst.run('run', [5]);
    d.inst.restore(idle);
    expect(d.inst.paused).toBe(false);
    expect(d.inst.run('run', [5])).toEqual(want);
    const other = interpEngine.instantiate(interpEngine.compile(await wat('(module (memory 1))')), {}) as InterpInstance;
    expect(() => other.restore(idle)).toThrow(InternalError);
  });
});
