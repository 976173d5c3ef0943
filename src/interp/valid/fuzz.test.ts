// Property tests: (1) random flat WAT bodies give the same valid/invalid verdict as wabt's own
// validator; (2) arbitrary hand-built instruction lists only ever produce a ValidationError.

import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from '../binary/index.ts';
import { WABT_FEATURES } from '../binary/test-helpers.ts';
import { ValidationError } from '../errors.ts';
import { OPS } from '../binary/opcodes.ts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64 } from '../syntax/types.ts';
import type { BlockType, Instr } from '../syntax/types.ts';
import { validate } from './index.ts';
import { elem, funcModule, global } from './test-ast.ts';

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabt: Wabt;
beforeAll(async () => {
  wabt = await (await import('wabt')).default();
});
// Typed select is left out: in unreachable code wabt 1.0.39 leaves its result as "any", while the spec
// (3.3.4, select t) pushes t, so the verdicts differ there (func.test.ts and wat.test.ts cover it).
const SIMPLE = [
  'i32.const 1', 'i64.const 1', 'f32.const 1', 'f64.const 1', 'i32.add', 'i64.add', 'f32.add', 'f64.mul', 'i32.eqz', 'i64.eqz',
  'i32.wrap_i64', 'i64.extend_i32_s', 'f32.demote_f64', 'i32.trunc_sat_f32_s', 'i32.extend8_s', 'drop', 'select',
  'local.get 0', 'local.get 1', 'local.get 2', 'local.set 0', 'local.set 2', 'local.tee 1', 'global.get 0', 'global.get 1',
  'global.set 0', 'global.set 1', 'nop', 'unreachable', 'return', 'call 0', 'call 1', 'ref.null func', 'ref.null extern', 'ref.is_null',
  'ref.func 0', 'ref.func 1', 'table.get 0', 'table.set 0', 'table.size 0', 'table.grow 0', 'table.fill 0', 'i32.load', 'i64.store',
  'i32.load align=8', 'memory.size', 'memory.grow', 'memory.fill', 'memory.copy', 'call_indirect (type 0)', 'call_indirect (type 1)',
  'i32.const 0', 'br 0', 'br 1', 'br 2', 'br_if 0', 'br_if 1', 'br_table 0 1', 'br_table 0', 'br_table 1 0 2',
];
const BLOCK_TYPES = ['', '(result i32)', '(result i64)', '(param i32) (result i32)', '(param i32)', '(result i32 i64)', '(type 1)', '(type 2)'];
const RESULTS = ['', '(result i32)', '(result i64)', '(result i32 i64)'];

type Step = { k: 'simple'; i: number } | { k: 'open'; i: number; bt: number } | { k: 'close'; alt: boolean };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.nat(SIMPLE.length - 1).map((i): Step => ({ k: 'simple', i })) },
  { weight: 1, arbitrary: fc.record({ i: fc.nat(2), bt: fc.nat(BLOCK_TYPES.length - 1) }).map((r): Step => ({ k: 'open', ...r })) },
  { weight: 1, arbitrary: fc.boolean().map((alt): Step => ({ k: 'close', alt })) },
);

function render(steps: Step[], results: number, prefix: boolean): string {
  // A leading unreachable makes the rest stack-polymorphic, which keeps enough samples valid.
  const out: string[] = prefix ? ['unreachable'] : [];
  const open: string[] = [];
  for (const s of steps) {
    if (s.k === 'simple') out.push(SIMPLE[s.i]!);
    else if (s.k === 'open') {
      const kw = ['block', 'loop', 'if'][s.i]!;
      open.push(kw);
      out.push(`${kw} ${BLOCK_TYPES[s.bt]}`);
    } else if (open.length > 0) {
      if (s.alt && open[open.length - 1] === 'if') {
        open[open.length - 1] = 'else';
        out.push('else');
      } else {
        open.pop();
        out.push('end');
      }
    }
  }
  for (let i = 0; i < open.length; i++) out.push('end');
  return `(module
    (type (func)) (type (func (param i32) (result i32))) (type (func (result i32 i64)))
    (global (mut i32) (i32.const 0)) (global i64 (i64.const 0))
    (table 1 funcref) (memory 1)
    (elem declare func 0)
    (func (param i32) ${RESULTS[results]} (local i64 f32)
      ${out.join('\n')})
    (func (result i32) i32.const 0))`;
}

describe('agreement with wabt', () => {
  it('gives the same verdict as wabt validate() on random bodies', () => {
    let invalid = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), fc.nat(RESULTS.length - 1), fc.boolean(), (steps, results, prefix) => {
        const src = render(steps, results, prefix);
        const mod = wabt.parseWat('t.wat', src, WABT_FEATURES);
        let wabtValid = true;
        try {
          const bytes = mod.toBinary({}).buffer;
          try {
            mod.validate();
          } catch {
            wabtValid = false;
          }
          let oursValid = true;
          try {
            validate(decode(bytes));
          } catch (e) {
            if (!(e instanceof ValidationError)) throw e;
            oursValid = false;
          }
          if (!oursValid) invalid++;
          expect(oursValid, src).toBe(wabtValid);
        } finally {
          mod.destroy();
        }
      }),
      { numRuns: 600, seed: 20261128 },
    );
    // Guard against a generator that only produces one kind of module.
    // Random code is mostly ill-typed; make sure both verdicts are still well represented.
    expect(invalid).toBeGreaterThan(100);
    expect(invalid).toBeLessThan(570);
  });
});

describe('robustness', () => {
  const rows = OPS.filter((r) => r !== undefined);
  const blockType: fc.Arbitrary<BlockType | undefined> = fc.oneof(
    fc.constant(undefined),
    fc.constant({ kind: 'empty' } as const),
    fc.constantFrom(I32, I64, F32, F64, FUNCREF, EXTERNREF, 0x40, 0).map((type): BlockType => ({ kind: 'val', type })),
    fc.integer({ min: -2, max: 4 }).map((typeIdx): BlockType => ({ kind: 'func', typeIdx })),
  );
  const index = fc.integer({ min: -3, max: 5 });
  const instr: fc.Arbitrary<Instr> = fc.record({
    row: fc.nat(rows.length - 1), a: index, b: index, bt: blockType,
    targets: fc.option(fc.array(index, { maxLength: 3 }), { nil: undefined }),
    types: fc.option(fc.array(fc.constantFrom(I32, F64, FUNCREF, 0), { maxLength: 2 }), { nil: undefined }),
  }).map(({ row, ...r }, ) => ({ op: rows[row]!.op, offset: 0, ...r }));

  it('throws nothing but ValidationError for arbitrary instruction lists', () => {
    fc.assert(
      fc.property(fc.array(instr, { maxLength: 24 }), (body) => {
        const m = funcModule([I32], [I32], body, [{ count: 2, type: F32 }]);
        m.types.push({ params: [I32], results: [I32, I64] });
        m.tables.push({ elem: FUNCREF, limits: { min: 1 } }, { elem: EXTERNREF, limits: { min: 0 } });
        m.mems.push({ limits: { min: 1 } });
        m.globals.push(global(I32, true, []));
        m.elems.push(elem({ type: FUNCREF }));
        m.datas.push({ init: new Uint8Array(0), mode: { kind: 'passive' }, offset: 0 });
        try {
          validate(m);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
