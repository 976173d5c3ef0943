// Hostile input: whatever the bytes, decode returns a Module or throws a DecodeError with a module offset.
// Never a TypeError/RangeError, a stack overflow, or an allocation sized by an unchecked count.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../errors.ts';
import { decode } from './decode.ts';
import { HEADER, wat } from './test-helpers.ts';

/** Decodes and checks the outcome; returns whether the module decoded. */
function decodesOrFailsCleanly(bytes: Uint8Array): boolean {
  try {
    decode(bytes);
    return true;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    expect(Number.isInteger(e.offset)).toBe(true);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
    return false;
  }
}

const SEEDS_WAT = [
  `(module $seed
     (type $pair (func (param i32) (result i32 i32)))
     (import "env" "f" (func $imp (param i64)))
     (import "env" "g" (global (mut i32)))
     (table $t 4 funcref) (table $u 1 externref)
     (memory 1 2)
     (global $x (mut i64) (i64.const -1))
     (data $d (i32.const 16) "seed data")
     (data $p "passive")
     (elem (i32.const 0) $a $b)
     (elem $e funcref (ref.func $a) (ref.null func))
     (elem declare func $b)
     (func $a (export "a") (param $n i32) (result i32) (local $i i32) (local f64)
       (block $out
         (loop $top
           (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
           (local.set $i (i32.add (local.get $i) (i32.const 1)))
           (br_table $top $out (local.get $i))))
       (if (result i32) (local.get $n) (then (i32.const 1)) (else (i32.const 2)))
       drop
       (i64.store offset=8 (i32.const 0) (i64.const 0x123456789abcdef))
       (f64.store (i32.const 0) (f64.const 3.25))
       (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
       (data.drop $p)
       (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1))
       (call_indirect (type $pair) (i32.const 3) (i32.const 0)) drop drop
       (select (result externref) (ref.null extern) (ref.null extern) (i32.const 0)) drop
       (i32.trunc_sat_f32_s (f32.const -1.5)))
     (func $b (param i32) (result i32 i32) (local.get 0) (local.get 0))
     (start $c)
     (func $c (global.set 0 (i32.const 7))))`,
  `(module (memory 1) (func (export "f") (result i32) (i32.const 42)) (data (i32.const 0) "abc"))`,
];

let seeds: Uint8Array[] = [];
beforeAll(async () => {
  seeds = await Promise.all(SEEDS_WAT.map((s) => wat(s)));
  for (const s of seeds) expect(decodesOrFailsCleanly(s)).toBe(true);
});

/** A u32 LEB that is as large as possible, to stress every count and size field. */
const HUGE_LEBS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x80, 0x80, 0x80, 0x08],
  [0xff, 0xff, 0xff, 0x7f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
];

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'replace'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; n: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.constantFrom(...HUGE_LEBS) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), bytes: fc.constantFrom(...HUGE_LEBS) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
);

function apply(base: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = Array.from(base);
  for (const m of muts) {
    // Keep the header most of the time so mutations reach the sections.
    const at = 8 + (m.at % Math.max(1, b.length - 8));
    switch (m.kind) {
      case 'flip': b[at] = m.value; break;
      case 'truncate': b = b.slice(0, at); break;
      case 'insert': b.splice(at, 0, ...m.bytes); break;
      case 'replace': b.splice(at, m.bytes.length, ...m.bytes); break;
      case 'delete': b.splice(at, m.n); break;
    }
  }
  return new Uint8Array(b);
}

describe('decode on hostile input', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => void decodesOrFailsCleanly(bytes)), { numRuns: 2000 });
  });

  it('random bytes after a valid header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (tail) => void decodesOrFailsCleanly(new Uint8Array([...HEADER, ...tail]))),
      { numRuns: 3000 },
    );
  });

  it('valid modules with random mutations, truncations and huge counts', () => {
    let decoded = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, muts) => {
        if (decodesOrFailsCleanly(apply(seeds[which % seeds.length]!, muts))) decoded++;
      }),
      { numRuns: 4000 },
    );
    // Some mutants (e.g. a flipped constant) still decode; that path must be exercised too.
    expect(decoded).toBeGreaterThan(0);
  });

  it('truncating a valid module fails as truncation or as a missing section', () => {
    const seed = seeds[0]!;
    for (let n = 0; n < seed.length; n++) {
      let kind = '';
      try {
        decode(seed.subarray(0, n));
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        kind = e.kind;
      }
      // Cutting at a section boundary leaves a well-formed prefix only if no function lost its code.
      if (kind !== '') expect(['unexpected-end', 'function-code-mismatch', 'data-count-mismatch']).toContain(kind);
    }
  });
});
