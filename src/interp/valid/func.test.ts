// Function-body typing on hand-built ASTs: one positive and one negative case per rule family.

import { describe, expect, it } from 'vitest';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64 } from '../syntax/types.ts';
import type { Instr, Module } from '../syntax/types.ts';
import { I, addFunc, addType, elem, emptyModule, funcModule, global, validationError } from './test-ast.ts';

const ok = (m: Module): void => expect(validationError(m)).toBeUndefined();

/** Asserts the module fails with `kind` at the offset of `at` (an instruction of the body). */
function bad(m: Module, kind: string, at?: Instr): void {
  const e = validationError(m);
  expect(e, 'expected a ValidationError').toBeDefined();
  expect(e!.kind).toBe(kind);
  if (at) expect(e!.offset).toBe(at.offset);
}

describe('simple instructions (table sig)', () => {
  it('types i32.add and the function result', () => {
    ok(funcModule([I32, I32], [I32], [I('local.get', 0), I('local.get', 1), I('i32.add')]));
  });
  it('rejects an operand of the wrong type at that instruction', () => {
    const add = I('i32.add');
    bad(funcModule([], [I32], [I('i32.const', 1), I('i64.const', 0, 0, { x: 2n }), add]), 'type-mismatch', add);
  });
  it('rejects stack underflow', () => {
    const neg = I('f32.neg');
    bad(funcModule([], [F32], [neg]), 'type-mismatch', neg);
  });
  it('rejects a wrong or missing function result and leftover values', () => {
    bad(funcModule([], [I32], [I('f64.const')]), 'type-mismatch');
    bad(funcModule([], [I32], []), 'type-mismatch');
    bad(funcModule([], [], [I('i32.const')]), 'type-mismatch');
  });
  it('types conversions, sign extension and saturating truncation', () => {
    ok(funcModule([F64], [I64], [I('local.get', 0), I('i64.trunc_sat_f64_u'), I('i64.extend32_s')]));
    bad(funcModule([F32], [I64], [I('local.get', 0), I('i64.trunc_sat_f64_u')]), 'type-mismatch');
  });
});

describe('unreachable code (Unknown bottom type)', () => {
  it('accepts any operands after unreachable, br and return', () => {
    ok(funcModule([], [I32], [I('unreachable'), I('i32.add')]));
    ok(funcModule([], [I64], [I('i64.const', 0, 0, { x: 0n }), I('return'), I('i64.eqz'), I('drop')]));
    ok(funcModule([], [], [I('block'), I('br', 0), I('f32.add'), I('drop'), I('end')]));
  });
  it('still checks concrete values pushed after unreachable', () => {
    const add = I('i32.add');
    bad(funcModule([], [I32], [I('unreachable'), I('i64.const', 0, 0, { x: 0n }), add]), 'type-mismatch', add);
  });
  it('br_if in unreachable code leaves the concrete label types (spec unreached-invalid.wast)', () => {
    const ext = I('i64.extend_i32_u');
    bad(funcModule([], [I64], [I('unreachable'), I('br_if', 0), ext]), 'type-mismatch', ext);
    ok(funcModule([], [I64], [I('unreachable'), I('br_if', 0)]));
  });
  it('resets only the innermost frame', () => {
    bad(funcModule([], [I32], [I('block'), I('unreachable'), I('end')]), 'type-mismatch');
  });
});

describe('blocks, loops and if (multi-value)', () => {
  it('blocks with type-index signatures take params', () => {
    const m = emptyModule();
    const bt = addType(m, { params: [I32, I32], results: [I64] });
    addFunc(m, { params: [], results: [I64] }, [
      I('i32.const'), I('i32.const'), I('block', 0, 0, { bt: { kind: 'func', typeIdx: bt } }),
      I('i32.add'), I('i64.extend_i32_u'), I('end'),
    ]);
    ok(m);
  });
  it('a loop label takes the params, a block label the results', () => {
    const m = emptyModule();
    const bt = addType(m, { params: [I32], results: [F32] });
    addFunc(m, { params: [], results: [F32] }, [
      I('i32.const'), I('loop', 0, 0, { bt: { kind: 'func', typeIdx: bt } }), I('br', 0), I('end'),
    ]);
    ok(m);
    const m2 = emptyModule();
    const bt2 = addType(m2, { params: [I32], results: [F32] });
    const br = I('br', 0);
    addFunc(m2, { params: [], results: [F32] }, [I('i32.const'), I('block', 0, 0, { bt: { kind: 'func', typeIdx: bt2 } }), br, I('end')]);
    bad(m2, 'type-mismatch', br);
  });
  it('rejects an unknown block type index', () => {
    const b = I('block', 0, 0, { bt: { kind: 'func', typeIdx: 9 } });
    bad(funcModule([], [], [b, I('end')]), 'unknown-type', b);
  });
  it('if: condition, both arms, else placement, missing else', () => {
    const res = { bt: { kind: 'val', type: I32 } as const };
    ok(funcModule([], [I32], [I('i32.const'), I('if', 0, 0, res), I('i32.const'), I('else'), I('i32.const'), I('end')]));
    bad(funcModule([], [I32], [I('i32.const'), I('if', 0, 0, res), I('i32.const'), I('else'), I('f32.const'), I('end')]), 'type-mismatch');
    // An if without else must have params = results (spec 3.3.8.5).
    bad(funcModule([], [I32], [I('i32.const'), I('if', 0, 0, res), I('i32.const'), I('end')]), 'type-mismatch');
    const m = emptyModule();
    const same = addType(m, { params: [I32], results: [I32] });
    addFunc(m, { params: [], results: [I32] }, [I('i32.const'), I('i32.const'), I('if', 0, 0, { bt: { kind: 'func', typeIdx: same } }), I('end')]);
    ok(m);
    const els = I('else');
    bad(funcModule([], [], [I('block'), els, I('end')]), 'unexpected-else', els);
    const i64cond = I('if');
    bad(funcModule([], [], [I('i64.const', 0, 0, { x: 0n }), i64cond, I('end')]), 'type-mismatch', i64cond);
  });
  it('rejects opcodes outside the table (e.g. SIMD) with a typed error', () => {
    const simd: Instr = { op: 0xfd, offset: 0x42, a: 0, b: 0 };
    bad(funcModule([], [], [simd]), 'unknown-instruction', simd);
  });
  it('rejects instructions after the final end and a missing final end', () => {
    const m = funcModule([], [], []);
    const extra = I('nop');
    m.funcs[0]!.body.push(extra);
    bad(m, 'unexpected-end', extra);
    const m2 = funcModule([], [], [I('block')]);
    bad(m2, 'unexpected-end');
  });
});

describe('branches', () => {
  it('br and br_if check label types; br_if keeps them', () => {
    const res = { bt: { kind: 'val', type: I32 } as const };
    ok(funcModule([], [I32], [I('block', 0, 0, res), I('i32.const'), I('i32.const'), I('br_if', 0), I('end')]));
    const brIf = I('br_if', 0);
    bad(funcModule([], [I32], [I('block', 0, 0, res), I('f32.const'), I('i32.const'), brIf, I('end')]), 'type-mismatch', brIf);
    const br = I('br', 2);
    bad(funcModule([], [], [I('block'), br, I('end')]), 'unknown-label', br);
    // Depth 1 from inside one block is the function's own label: like return.
    ok(funcModule([], [F64], [I('block'), I('f64.const'), I('br', 1), I('end'), I('f64.const')]));
  });
  it('br_table needs equal arities and operands that fit every target', () => {
    const i32 = { bt: { kind: 'val', type: I32 } as const };
    const f32 = { bt: { kind: 'val', type: F32 } as const };
    ok(funcModule([], [I32], [
      I('block', 0, 0, i32), I('i32.const'), I('i32.const'), I('br_table', 0, 0, { targets: [0, 1, 0] }), I('end'),
    ]));
    const t1 = I('br_table', 0, 0, { targets: [0, 1] });
    bad(funcModule([], [], [I('block', 0, 0, i32), I('i32.const'), I('i32.const'), t1, I('end'), I('drop')]), 'type-mismatch', t1);
    const t2 = I('br_table', 0, 0, { targets: [0, 1] });
    bad(funcModule([], [F32], [
      I('block', 0, 0, f32), I('block', 0, 0, i32), I('f32.const'), I('i32.const'), t2, I('end'), I('drop'), I('f32.const'), I('end'),
    ]), 'type-mismatch', t2);
    const t3 = I('br_table', 0, 0, { targets: [0, 5] });
    bad(funcModule([], [], [I('block'), I('i32.const'), t3, I('end')]), 'unknown-label', t3);
  });
  it('br_table with an Unknown operand accepts targets of different types but equal arity (2.0 rule)', () => {
    const i32 = { bt: { kind: 'val', type: I32 } as const };
    const f32 = { bt: { kind: 'val', type: F32 } as const };
    ok(funcModule([], [], [
      I('block', 0, 0, f32), I('block', 0, 0, i32), I('unreachable'), I('br_table', 0, 0, { targets: [0, 1] }),
      I('end'), I('drop'), I('f32.const'), I('end'), I('drop'),
    ]));
  });
  it('return checks the function results', () => {
    ok(funcModule([], [I32, I64], [I('i32.const'), I('i64.const', 0, 0, { x: 0n }), I('return')]));
    const ret = I('return');
    bad(funcModule([], [I32, I64], [I('i64.const', 0, 0, { x: 0n }), ret]), 'type-mismatch', ret);
  });
});

describe('calls', () => {
  it('call uses the callee type; unknown functions are rejected', () => {
    const m = funcModule([I32], [F32], [I('f32.const')]);
    addFunc(m, { params: [], results: [F32] }, [I('i32.const'), I('call', 0)]);
    ok(m);
    const c = I('call', 7);
    bad(funcModule([], [], [c]), 'unknown-func', c);
  });
  it('call_indirect needs a funcref table and a known type', () => {
    const m = funcModule([], [], [I('i32.const'), I('call_indirect', 0, 0)]);
    m.tables.push({ elem: FUNCREF, limits: { min: 1 } });
    ok(m);
    const ci = I('call_indirect', 0, 1);
    const m2 = funcModule([], [], [I('i32.const'), ci]);
    m2.tables.push({ elem: FUNCREF, limits: { min: 1 } });
    bad(m2, 'unknown-table', ci);
    const m3 = funcModule([], [], [I('i32.const'), I('call_indirect', 0, 0)]);
    m3.tables.push({ elem: EXTERNREF, limits: { min: 1 } });
    bad(m3, 'type-mismatch');
    const m4 = funcModule([], [], [I('i32.const'), I('call_indirect', 3, 0)]);
    m4.tables.push({ elem: FUNCREF, limits: { min: 1 } });
    bad(m4, 'unknown-type');
  });
});

describe('parametric', () => {
  it('untyped select: numeric operands of one type', () => {
    ok(funcModule([], [F64], [I('f64.const'), I('f64.const'), I('i32.const'), I('select')]));
    ok(funcModule([], [I32], [I('unreachable'), I('select')]));
    const s = I('select');
    bad(funcModule([], [F64], [I('f64.const'), I('f32.const'), I('i32.const'), s]), 'type-mismatch', s);
    const s2 = I('select');
    bad(funcModule([], [FUNCREF], [I('ref.null', FUNCREF), I('ref.null', FUNCREF), I('i32.const'), s2]), 'type-mismatch', s2);
    const s3 = I('select');
    bad(funcModule([], [], [I('unreachable'), I('ref.null', EXTERNREF), I('i32.const'), s3, I('drop')]), 'type-mismatch', s3);
  });
  it('typed select takes exactly one type, which may be a reference', () => {
    ok(funcModule([], [EXTERNREF], [I('ref.null', EXTERNREF), I('ref.null', EXTERNREF), I('i32.const'), I('select_t', 0, 0, { types: [EXTERNREF] })]));
    const s = I('select_t', 0, 0, { types: [I32, I32] });
    bad(funcModule([], [], [I('i32.const'), I('i32.const'), I('i32.const'), s, I('drop')]), 'invalid-result-arity', s);
    const sx = I('select_t', 0, 0, { types: [0] });
    bad(funcModule([], [], [I('i32.const'), I('i32.const'), I('i32.const'), sx, I('drop')]), 'type-mismatch', sx);
    const s0 = I('select_t', 0, 0, { types: [] });
    bad(funcModule([], [], [I('i32.const'), I('i32.const'), I('i32.const'), s0]), 'invalid-result-arity', s0);
  });
  it('drop needs an operand', () => {
    const d = I('drop');
    bad(funcModule([], [], [d]), 'type-mismatch', d);
  });
});

describe('variables', () => {
  it('locals are params then declared runs', () => {
    ok(funcModule([I32], [F64], [I('local.get', 2), I('local.tee', 1), I('local.set', 2), I('local.get', 1)], [{ count: 2, type: F64 }]));
    const lg = I('local.get', 3);
    bad(funcModule([I32], [], [lg, I('drop')], [{ count: 2, type: F64 }]), 'unknown-local', lg);
    const ls = I('local.set', 0);
    bad(funcModule([I32], [], [I('f32.const'), ls]), 'type-mismatch', ls);
  });
  it('huge local counts are looked up without expansion', () => {
    const runs = [{ count: 1_000_000_000, type: I64 }, { count: 5, type: F32 }, { count: 2_000_000_000, type: FUNCREF }];
    ok(funcModule([I32], [F32], [I('local.get', 1_000_000_003)], runs));
    ok(funcModule([I32], [I64], [I('local.get', 1_000_000_000)], runs));
    ok(funcModule([I32], [FUNCREF], [I('local.get', 3_000_000_005)], runs));
    const lg = I('local.get', 3_000_000_006);
    bad(funcModule([I32], [], [lg, I('drop')], runs), 'unknown-local', lg);
  });
  it('globals: immutable and unknown', () => {
    const m = funcModule([], [], [I('i32.const'), I('global.set', 0), I('global.get', 1), I('drop')]);
    m.globals.push(global(I32, true, [I('i32.const')]), global(F32, false, [I('f32.const')]));
    ok(m);
    const gs = I('global.set', 1);
    const m2 = funcModule([], [], [I('f32.const'), gs]);
    m2.globals.push(global(I32, true, [I('i32.const')]), global(F32, false, [I('f32.const')]));
    bad(m2, 'immutable-global', gs);
    const gg = I('global.get', 2);
    bad(funcModule([], [], [gg, I('drop')]), 'unknown-global', gg);
  });
});

describe('memory', () => {
  const withMem = (body: Instr[], results: number[] = []): Module => {
    const m = funcModule([], results, body);
    m.mems.push({ limits: { min: 1 } });
    return m;
  };
  it('loads and stores need a memory and natural alignment', () => {
    ok(withMem([I('i32.const'), I('i64.load32_u', 2, 8), I('drop')]));
    const ld = I('i32.load', 2);
    bad(funcModule([], [], [I('i32.const'), ld, I('drop')]), 'unknown-memory', ld);
    const al = I('i64.load32_u', 3);
    bad(withMem([I('i32.const'), al, I('drop')]), 'alignment', al);
    const st = I('i32.store8', 1);
    bad(withMem([I('i32.const'), I('i32.const'), st]), 'alignment', st);
  });
  it('memory.size, grow, fill and copy need a memory', () => {
    ok(withMem([I('memory.size'), I('memory.grow'), I('drop'), I('i32.const'), I('i32.const'), I('i32.const'), I('memory.fill')]));
    const sz = I('memory.size');
    bad(funcModule([], [], [sz, I('drop')]), 'unknown-memory', sz);
    const cp = I('memory.copy');
    bad(funcModule([], [], [I('i32.const'), I('i32.const'), I('i32.const'), cp]), 'unknown-memory', cp);
  });
  it('memory.init and data.drop need a data segment index below the count', () => {
    const m = withMem([I('i32.const'), I('i32.const'), I('i32.const'), I('memory.init', 0), I('data.drop', 0)]);
    m.datas.push({ init: new Uint8Array(1), mode: { kind: 'passive' }, offset: 1 });
    m.dataCount = 1;
    ok(m);
    const mi = I('memory.init', 1);
    const m2 = withMem([I('i32.const'), I('i32.const'), I('i32.const'), mi]);
    m2.dataCount = 1;
    m2.datas.push({ init: new Uint8Array(1), mode: { kind: 'passive' }, offset: 1 });
    bad(m2, 'unknown-data', mi);
    const dd = I('data.drop', 0);
    bad(withMem([dd]), 'unknown-data', dd);
  });
});

describe('tables and references', () => {
  const tables = (m: Module): Module => {
    m.tables.push({ elem: FUNCREF, limits: { min: 1 } }, { elem: EXTERNREF, limits: { min: 1 } });
    return m;
  };
  it('table.get/set/grow/fill/size use the table element type', () => {
    ok(tables(funcModule([], [I32], [
      I('i32.const'), I('table.get', 1), I('drop'),
      I('i32.const'), I('ref.null', FUNCREF), I('table.set', 0),
      I('i32.const'), I('ref.null', EXTERNREF), I('i32.const'), I('table.fill', 1),
      I('ref.null', EXTERNREF), I('i32.const'), I('table.grow', 1), I('drop'),
      I('table.size', 1),
    ])));
    const set = I('table.set', 1);
    bad(tables(funcModule([], [], [I('i32.const'), I('ref.null', FUNCREF), set])), 'type-mismatch', set);
    const get = I('table.get', 2);
    bad(tables(funcModule([], [], [I('i32.const'), get, I('drop')])), 'unknown-table', get);
    const size = I('table.size', 0);
    bad(funcModule([], [], [size, I('drop')]), 'unknown-table', size);
  });
  it('table.copy and table.init need matching element types', () => {
    const three = [I('i32.const'), I('i32.const'), I('i32.const')];
    ok(tables(funcModule([], [], [...three, I('table.copy', 0, 0)])));
    const cp = I('table.copy', 0, 1);
    bad(tables(funcModule([], [], [...three, cp])), 'type-mismatch', cp);
    const m = tables(funcModule([], [], [...three, I('table.init', 0, 1), I('elem.drop', 0)]));
    m.elems.push(elem({ type: EXTERNREF }));
    ok(m);
    const ti = I('table.init', 0, 0);
    const m2 = tables(funcModule([], [], [...three, ti]));
    m2.elems.push(elem({ type: EXTERNREF }));
    bad(m2, 'type-mismatch', ti);
    // The table is checked before the segment (spec 3.3.5), as the spec tests expect.
    const noTable = I('table.init', 4, 0);
    bad(funcModule([], [], [...three, noTable]), 'unknown-table', noTable);
    const ed = I('elem.drop', 1);
    bad(funcModule([], [], [ed]), 'unknown-elem', ed);
  });
  it('ref.is_null needs a reference; ref.null needs a reference type', () => {
    ok(funcModule([], [I32], [I('ref.null', EXTERNREF), I('ref.is_null')]));
    const rn = I('ref.is_null');
    bad(funcModule([], [I32], [I('i32.const'), rn]), 'type-mismatch', rn);
    const nl = I('ref.null', I32);
    bad(funcModule([], [], [nl, I('drop')]), 'type-mismatch', nl);
  });
  it('ref.func in a body needs a declared function (C.refs)', () => {
    const rf = I('ref.func', 0);
    bad(funcModule([], [FUNCREF], [rf]), 'undeclared-func-ref', rf);
    const viaExport = funcModule([], [FUNCREF], [I('ref.func', 0)]);
    viaExport.exports.push({ name: 'f', kind: 'func', index: 0 });
    ok(viaExport);
    const viaElem = funcModule([], [FUNCREF], [I('ref.func', 0)]);
    viaElem.elems.push(elem({ type: FUNCREF, mode: { kind: 'declarative' }, init: [[I('ref.func', 0)]] }));
    ok(viaElem);
    const viaGlobal = funcModule([], [FUNCREF], [I('ref.func', 0)]);
    viaGlobal.globals.push(global(FUNCREF, false, [I('ref.func', 0)]));
    ok(viaGlobal);
    const unknown = I('ref.func', 4);
    bad(funcModule([], [FUNCREF], [unknown]), 'unknown-func', unknown);
  });
});

describe('large bodies', () => {
  it('validates 600k instructions in two functions', () => {
    const m = emptyModule();
    const body: Instr[] = [];
    for (let k = 0; k < 50_000; k++) {
      body.push(I('local.get', 0), I('i32.const', k), I('i32.add'), I('local.set', 0), I('block'), I('end'));
    }
    for (let fn = 0; fn < 2; fn++) addFunc(m, { params: [I32], results: [] }, body);
    ok(m); // speed is for benchmarks, not tests
  });
});
