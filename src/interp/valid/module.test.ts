// Module-level rules and constant expressions on hand-built ASTs.

import { describe, expect, it } from 'vitest';
import { EXTERNREF, F32, FUNCREF, I32, I64 } from '../syntax/types.ts';
import type { Module } from '../syntax/types.ts';
import { I, addFunc, elem, emptyModule, funcModule, global, validationError } from './test-ast.ts';

const ok = (m: Module): void => expect(validationError(m)).toBeUndefined();
function bad(m: Module, kind: string, offset?: number): void {
  const e = validationError(m);
  expect(e, 'expected a ValidationError').toBeDefined();
  expect(e!.kind).toBe(kind);
  if (offset !== undefined) expect(e!.offset).toBe(offset);
}

const immutableImport = (m: Module, type = I32, mutable = false): Module => {
  m.imports.push({ module: 'env', name: `g${m.imports.length}`, desc: { kind: 'global', type: { type, mutable } } });
  return m;
};

describe('types, imports and functions', () => {
  it('rejects unknown type indices in imports and function declarations', () => {
    const m = emptyModule();
    m.imports.push({ module: 'env', name: 'f', desc: { kind: 'func', typeIdx: 0 } });
    bad(m, 'unknown-type');
    const m2 = funcModule([], [], []);
    m2.funcs[0]!.typeIdx = 3;
    bad(m2, 'unknown-type', m2.funcs[0]!.offset);
  });
  it('accepts mutable global imports and exports (Wasm 2.0)', () => {
    const m = immutableImport(emptyModule(), I64, true);
    m.exports.push({ name: 'g', kind: 'global', index: 0 });
    ok(m);
  });
});

describe('limits and memories', () => {
  it('allows one memory up to 65536 pages', () => {
    const m = emptyModule();
    m.mems.push({ limits: { min: 0, max: 65536 } });
    ok(m);
  });
  it('rejects multiple memories, including an imported one', () => {
    const m = emptyModule();
    m.imports.push({ module: 'env', name: 'm', desc: { kind: 'memory', type: { limits: { min: 1 } } } });
    m.mems.push({ limits: { min: 1 } });
    bad(m, 'multiple-memories');
  });
  it('rejects memory sizes over 4 GiB and min > max', () => {
    const m = emptyModule();
    m.mems.push({ limits: { min: 65537 } });
    bad(m, 'memory-size-too-large');
    const m2 = emptyModule();
    m2.mems.push({ limits: { min: 0, max: 65537 } });
    bad(m2, 'memory-size-too-large');
    const m3 = emptyModule();
    m3.mems.push({ limits: { min: 2, max: 1 } });
    bad(m3, 'invalid-limits');
    const m4 = emptyModule();
    m4.imports.push({ module: 'env', name: 'm', desc: { kind: 'memory', type: { limits: { min: 70000 } } } });
    bad(m4, 'memory-size-too-large');
  });
  it('rejects tables with min > max, accepts several tables', () => {
    const m = emptyModule();
    m.tables.push({ elem: FUNCREF, limits: { min: 3, max: 2 } });
    bad(m, 'invalid-limits');
    const m2 = emptyModule();
    m2.tables.push({ elem: FUNCREF, limits: { min: 0, max: 2 ** 32 - 1 } }, { elem: EXTERNREF, limits: { min: 1 } });
    ok(m2);
    const m3 = emptyModule();
    m3.tables.push({ elem: FUNCREF, limits: { min: 2 ** 32 } });
    bad(m3, 'table-size-too-large');
  });
});

describe('start and exports', () => {
  it('start must name a [] -> [] function', () => {
    const m = funcModule([], [], []);
    m.start = 0;
    ok(m);
    const m2 = funcModule([I32], [], []);
    m2.start = 0;
    bad(m2, 'invalid-start');
    const m3 = funcModule([], [I32], [I('i32.const')]);
    m3.start = 0;
    bad(m3, 'invalid-start');
    const m4 = funcModule([], [], []);
    m4.start = 1;
    bad(m4, 'unknown-func');
  });
  it('export names are unique and indices exist', () => {
    const m = funcModule([], [], []);
    m.mems.push({ limits: { min: 1 } });
    m.exports.push({ name: 'a', kind: 'func', index: 0 }, { name: 'b', kind: 'memory', index: 0 });
    ok(m);
    m.exports.push({ name: 'a', kind: 'memory', index: 0 });
    bad(m, 'duplicate-export');
    for (const kind of ['func', 'table', 'memory', 'global'] as const) {
      const m2 = emptyModule();
      m2.exports.push({ name: 'x', kind, index: 0 });
      bad(m2, `unknown-${kind}`);
    }
  });
});

describe('constant expressions (globals)', () => {
  it('accepts constants, ref.null, ref.func and imported immutable globals', () => {
    const m = immutableImport(funcModule([], [], []));
    m.globals.push(
      global(I32, false, [I('i32.const', 5)]),
      global(I64, true, [I('i64.const', 0, 0, { x: 1n })]),
      global(EXTERNREF, false, [I('ref.null', EXTERNREF)]),
      global(FUNCREF, false, [I('ref.func', 0)]),
      global(I32, false, [I('global.get', 0)]),
    );
    ok(m);
  });
  it('rejects non-constant instructions', () => {
    const add = I('i32.add');
    const m = emptyModule();
    m.globals.push(global(I32, false, [I('i32.const'), I('i32.const'), add]));
    bad(m, 'constant-expression-required', add.offset);
  });
  it('rejects global.get of a module-defined global (only imports are visible) or a mutable import', () => {
    const gg = I('global.get', 0);
    const m = emptyModule();
    m.globals.push(global(I32, false, [I('i32.const')]), global(I32, false, [gg]));
    bad(m, 'unknown-global', gg.offset);
    const gm = I('global.get', 0);
    const m2 = immutableImport(emptyModule(), I32, true);
    m2.globals.push(global(I32, false, [gm]));
    bad(m2, 'constant-expression-required', gm.offset);
  });
  it('rejects a wrong type, an empty expression and two values', () => {
    const m = emptyModule();
    m.globals.push(global(I32, false, [I('f32.const')]));
    bad(m, 'type-mismatch');
    const m2 = emptyModule();
    m2.globals.push(global(F32, false, []));
    bad(m2, 'type-mismatch');
    const m3 = emptyModule();
    m3.globals.push(global(I32, false, [I('i32.const'), I('i32.const')]));
    bad(m3, 'type-mismatch');
    const m4 = emptyModule();
    m4.globals.push(global(FUNCREF, false, [I('ref.null', EXTERNREF)]));
    bad(m4, 'type-mismatch');
  });
  it('rejects ref.func of an unknown function', () => {
    const rf = I('ref.func', 2);
    const m = funcModule([], [], []);
    m.globals.push(global(FUNCREF, false, [rf]));
    bad(m, 'unknown-func', rf.offset);
  });
});

describe('element segments', () => {
  const withTables = (m: Module): Module => {
    m.tables.push({ elem: FUNCREF, limits: { min: 1 } }, { elem: EXTERNREF, limits: { min: 1 } });
    return m;
  };
  it('accepts active, passive and declarative segments of matching types', () => {
    const m = withTables(funcModule([], [], []));
    m.elems.push(
      elem({ type: FUNCREF, mode: { kind: 'active', table: 0, offset: [I('i32.const')] }, init: [[I('ref.func', 0)], [I('ref.null', FUNCREF)]] }),
      elem({ type: EXTERNREF, mode: { kind: 'active', table: 1, offset: [I('i32.const')] }, init: [[I('ref.null', EXTERNREF)]] }),
      elem({ type: EXTERNREF, init: [[I('ref.null', EXTERNREF)]] }),
      elem({ type: FUNCREF, mode: { kind: 'declarative' }, init: [[I('ref.func', 0)]] }),
    );
    ok(m);
  });
  it('rejects an unknown table, a non-i32 offset and a type that differs from the table', () => {
    const e1 = elem({ type: FUNCREF, mode: { kind: 'active', table: 2, offset: [I('i32.const')] } });
    const m = withTables(emptyModule());
    m.elems.push(e1);
    bad(m, 'unknown-table', e1.offset);
    const m2 = withTables(emptyModule());
    m2.elems.push(elem({ type: FUNCREF, mode: { kind: 'active', table: 0, offset: [I('i64.const', 0, 0, { x: 0n })] } }));
    bad(m2, 'type-mismatch');
    const m3 = withTables(emptyModule());
    m3.elems.push(elem({ type: EXTERNREF, mode: { kind: 'active', table: 0, offset: [I('i32.const')] } }));
    bad(m3, 'type-mismatch');
  });
  it('rejects items of the wrong type or not constant', () => {
    const m = emptyModule();
    m.elems.push(elem({ type: FUNCREF, init: [[I('ref.null', EXTERNREF)]] }));
    bad(m, 'type-mismatch');
    const nop = I('nop');
    const m2 = emptyModule();
    m2.elems.push(elem({ type: FUNCREF, init: [[nop]] }));
    bad(m2, 'constant-expression-required', nop.offset);
  });
});

describe('data segments', () => {
  it('active data needs a memory and an i32 offset', () => {
    const m = emptyModule();
    m.mems.push({ limits: { min: 1 } });
    m.datas.push({ init: new Uint8Array(2), mode: { kind: 'active', memory: 0, offset: [I('i32.const')] }, offset: 77 });
    ok(m);
    const m2 = emptyModule();
    m2.datas.push({ init: new Uint8Array(2), mode: { kind: 'active', memory: 0, offset: [I('i32.const')] }, offset: 77 });
    bad(m2, 'unknown-memory', 77);
    const m3 = emptyModule();
    m3.mems.push({ limits: { min: 1 } });
    m3.datas.push({ init: new Uint8Array(2), mode: { kind: 'active', memory: 0, offset: [I('f32.const')] }, offset: 77 });
    bad(m3, 'type-mismatch');
    const m4 = emptyModule();
    m4.datas.push({ init: new Uint8Array(2), mode: { kind: 'passive' }, offset: 77 });
    ok(m4);
  });
});

describe('function index space', () => {
  it('imported functions come first for call and C.refs', () => {
    const m = emptyModule();
    m.imports.push({ module: 'env', name: 'f', desc: { kind: 'func', typeIdx: 0 } });
    addFunc(m, { params: [I32], results: [] }, [I('local.get', 0), I('call', 0), I('ref.func', 1), I('drop')]);
    m.exports.push({ name: 'self', kind: 'func', index: 1 });
    ok(m);
    const m2 = emptyModule();
    m2.imports.push({ module: 'env', name: 'f', desc: { kind: 'func', typeIdx: 0 } });
    addFunc(m2, { params: [I32], results: [] }, [I('ref.func', 1), I('drop')]);
    m2.exports.push({ name: 'imp', kind: 'func', index: 0 });
    bad(m2, 'undeclared-func-ref');
  });
});
