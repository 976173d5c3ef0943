import { describe, expect, it } from 'vitest';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64 } from '../syntax/types.ts';
import type { Instr, Module } from '../syntax/types.ts';
import { decode } from './decode.ts';
import { OP_FC_BASE, Op, opName } from './opcodes.ts';
import { HEADER, decodeError, mod, oneFunc, section, str, syntheticModule, uleb, vec, wat } from './test-helpers.ts';

/** Instruction names with their immediates, for compact assertions. */
function show(instrs: Instr[]): string[] {
  return instrs.map((i) => {
    const parts = [opName(i.op)];
    if (i.bt) parts.push(i.bt.kind === 'empty' ? 'bt:empty' : i.bt.kind === 'val' ? `bt:${i.bt.type}` : `bt:type${i.bt.typeIdx}`);
    if (i.targets) parts.push(`[${i.targets.join(',')}]`);
    if (i.types) parts.push(`types:${i.types.join(',')}`);
    if (i.x !== undefined) parts.push(`x:${i.x}`);
    if (i.a !== 0 || i.b !== 0) parts.push(`a:${i.a}`, `b:${i.b}`);
    return parts.join(' ');
  });
}

describe('module structure from wabt', () => {
  it('decodes types, imports, functions, tables, memories, globals, exports and start', async () => {
    const m = decode(
      await wat(`(module
        (type $t (func (param i32 i64) (result f32)))
        (import "env" "f" (func $f (type $t)))
        (import "env" "tab" (table 1 10 funcref))
        (import "env" "mem" (memory 1 2))
        (import "env" "g" (global $g (mut i32)))
        (table $t2 5 externref)
        (global $h f64 (f64.const 1.5))
        (global $k (mut i64) (i64.const -5))
        (func $main (export "main") (param $a i32) (param $b i32) (result i32) (local $tmp i64) (local f32 f32)
          local.get $a local.get $b i32.add)
        (func $s)
        (start $s)
        (export "t2" (table $t2))
        (export "mem" (memory 0))
        (export "h" (global $h)))`),
    );
    expect(m.types).toEqual([
      { params: [I32, I64], results: [F32] },
      { params: [I32, I32], results: [I32] },
      { params: [], results: [] },
    ]);
    expect(m.imports).toEqual([
      { module: 'env', name: 'f', desc: { kind: 'func', typeIdx: 0 } },
      { module: 'env', name: 'tab', desc: { kind: 'table', type: { elem: FUNCREF, limits: { min: 1, max: 10 } } } },
      { module: 'env', name: 'mem', desc: { kind: 'memory', type: { limits: { min: 1, max: 2 } } } },
      { module: 'env', name: 'g', desc: { kind: 'global', type: { type: I32, mutable: true } } },
    ]);
    expect(m.tables).toEqual([{ elem: EXTERNREF, limits: { min: 5 } }]);
    expect(m.globals.map((g) => g.type)).toEqual([{ type: F64, mutable: false }, { type: I64, mutable: true }]);
    expect(show(m.globals[0]!.init)).toEqual([`f64.const x:${0x3ff8000000000000n}`]);
    expect(show(m.globals[1]!.init)).toEqual(['i64.const x:-5']);
    expect(m.funcs).toHaveLength(2);
    const main = m.funcs[0]!;
    expect(main.typeIdx).toBe(1);
    expect(main.locals).toEqual([{ count: 1, type: I64 }, { count: 2, type: F32 }]);
    expect(main.numLocals).toBe(3);
    expect(show(main.body)).toEqual(['local.get', 'local.get a:1 b:0', 'i32.add', 'end']);
    expect(m.start).toBe(2);
    expect(m.exports).toEqual([
      { name: 'main', kind: 'func', index: 1 },
      { name: 't2', kind: 'table', index: 1 },
      { name: 'mem', kind: 'memory', index: 0 },
      { name: 'h', kind: 'global', index: 1 },
    ]);
    expect(m.names.funcs.get(0)).toBe('f');
    expect(m.names.funcs.get(1)).toBe('main');
    expect(m.names.locals.get(1)).toEqual(new Map([[0, 'a'], [1, 'b'], [2, 'tmp']]));
  });

  it('decodes instruction immediates', async () => {
    const m = decode(
      await wat(`(module
        (type $pair (func (param i32) (result i32 i32)))
        ;; wabt reuses $pair for the loop's identical inline type
        (table $tab 1 funcref) (table $tab2 1 funcref)
        (memory 1)
        (global $g (mut i32) (i32.const 0))
        (data $d "abc")
        (elem $e func $f)
        (func $f (param i32) (result i32 i32)
          (block $out (type $pair) (local.get 0)
            (loop $l (param i32) (result i32 i32) (local.get 0)))
          drop drop
          (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))
          (br_table 0 1 0 (i32.const 0))
          (i32.load16_u offset=12 align=1 (i32.const 0)) drop
          (i64.store offset=4294967295 (i32.const 0) (i64.const 0x7fffffffffffffff))
          (call_indirect $tab2 (type $pair) (i32.const 7) (i32.const 0)) drop drop
          (f32.const nan:0x200000) drop
          (f64.const -0) drop
          (i32.const -2147483648) drop
          (select (result externref) (ref.null extern) (ref.null extern) (i32.const 1)) drop
          (select (i32.const 1) (i32.const 2) (i32.const 3)) drop
          (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
          (data.drop $d)
          (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))
          (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
          (table.init $tab2 $e (i32.const 0) (i32.const 0) (i32.const 0))
          (elem.drop $e)
          (table.copy $tab $tab2 (i32.const 0) (i32.const 0) (i32.const 0))
          (table.size $tab2) drop
          (i32.trunc_sat_f64_u (f64.const 1)) drop
          (global.set $g (i32.extend8_s (memory.grow (memory.size))))
          (ref.is_null (ref.func $f)) drop
          unreachable))`),
    );
    const body = show(m.funcs[0]!.body);
    expect(body.slice(0, 8)).toEqual(['block bt:type0', 'local.get', 'loop bt:type0', 'local.get', 'end', 'end', 'drop', 'drop']);
    expect(body).toContain('if bt:127');
    expect(body).toContain('else');
    expect(body).toContain('br_table [0,1,0]');
    expect(body).toContain('i32.load16_u a:0 b:12');
    expect(body).toContain('i64.store a:3 b:4294967295');
    expect(body).toContain(`i64.const x:${2n ** 63n - 1n}`);
    expect(body).toContain('call_indirect a:0 b:1');
    expect(body).toContain(`f32.const a:${0x7fa00000} b:0`);
    expect(body).toContain(`f64.const x:${-(2n ** 63n)}`);
    expect(body).toContain('i32.const a:-2147483648 b:0');
    expect(body).toContain(`select types:${EXTERNREF}`);
    expect(body).toContain(`ref.null a:${EXTERNREF} b:0`);
    expect(body).toContain('select');
    expect(body).toContain('memory.init');
    expect(body).toContain('data.drop');
    expect(body).toContain('table.init a:0 b:1');
    expect(body).toContain('table.copy a:0 b:1');
    expect(body).toContain('table.size a:1 b:0');
    expect(body).toContain('i32.trunc_sat_f64_u');
    expect(body.slice(-2)).toEqual(['unreachable', 'end']);
    const init = m.funcs[0]!.body.find((i) => i.op === Op.memory_init)!;
    expect(init.op).toBe(OP_FC_BASE + 8);
    expect(m.dataCount).toBe(1);
  });

  it('decodes all element segment forms into const-expr items', async () => {
    const m = decode(
      await wat(`(module
        (table $t 2 funcref) (table $u 2 externref)
        (func $f) (func $g)
        (elem (i32.const 0) $f $g)
        (elem func $f)
        (elem (table $u) (i32.const 1) externref (ref.null extern))
        (elem declare func $g)
        (elem (i32.const 1) funcref (ref.func $f) (ref.null func))
        (elem funcref (ref.null func))
        (elem declare funcref (ref.func $f)))`),
    );
    const items = (i: number) => m.elems[i]!.init.map(show);
    expect(m.elems.map((e) => e.mode.kind)).toEqual(['active', 'passive', 'active', 'declarative', 'active', 'passive', 'declarative']);
    expect(m.elems.map((e) => e.type)).toEqual([FUNCREF, FUNCREF, EXTERNREF, FUNCREF, FUNCREF, FUNCREF, FUNCREF]);
    expect(items(0)).toEqual([['ref.func'], ['ref.func a:1 b:0']]);
    expect(items(2)).toEqual([[`ref.null a:${EXTERNREF} b:0`]]);
    expect(items(4)).toEqual([['ref.func'], [`ref.null a:${FUNCREF} b:0`]]);
    const active2 = m.elems[2]!.mode;
    expect(active2.kind === 'active' && active2.table).toBe(1);
    expect(active2.kind === 'active' && show(active2.offset)).toEqual(['i32.const a:1 b:0']);
  });

  it('decodes data segments and keeps other custom sections', async () => {
    const bin = await wat(`(module (memory 1) (data (i32.const 8) "hi") (data "pass"))`);
    const custom = section(0, [...str('producers'), 1, 2, 3]);
    const m = decode(new Uint8Array([...bin, ...custom]));
    expect(m.datas[0]!.mode.kind).toBe('active');
    expect([...m.datas[0]!.init]).toEqual([0x68, 0x69]);
    expect(m.datas[1]!.mode).toEqual({ kind: 'passive' });
    expect(new TextDecoder().decode(m.datas[1]!.init)).toBe('pass');
    const producers = m.customs.find((c) => c.name === 'producers')!;
    expect([...producers.bytes]).toEqual([1, 2, 3]);
    expect(producers.offset).toBe(bin.length + 2 + 10);
  });

  it('records byte offsets of instructions, bodies and segments', async () => {
    const bin = await wat(`(module (func (result i32) (i32.const 5)))`);
    const m = decode(bin);
    const f = m.funcs[0]!;
    expect(bin[f.offset]).toBe(4); // body size: no locals (1) + i32.const 5 (2) + end (1)
    expect(bin[f.body[0]!.offset]).toBe(Op.i32_const);
    expect(bin[f.body[1]!.offset]).toBe(Op.end);
  });
});

describe('hand-built encodings', () => {
  it('decodes element kinds 2 and 6 with an explicit table, and elemkind 0x00', () => {
    const seg2 = [0x02, ...uleb(3), 0x41, 0x00, 0x0b, 0x00, ...vec([[0x00], [0x01]])];
    const seg6 = [0x06, ...uleb(1), 0x41, 0x02, 0x0b, 0x70, ...vec([[0xd2, 0x00, 0x0b]])];
    const m = decode(mod(section(9, vec([seg2, seg6]))));
    expect(m.elems[0]!.mode).toMatchObject({ kind: 'active', table: 3 });
    expect(m.elems[0]!.init.map(show)).toEqual([['ref.func'], ['ref.func a:1 b:0']]);
    expect(m.elems[1]!.mode).toMatchObject({ kind: 'active', table: 1 });
    expect(m.elems[1]!.type).toBe(FUNCREF);
  });

  it('decodes data kind 2 (explicit memory index) without judging the index', () => {
    const seg = [0x02, ...uleb(1), 0x41, 0x00, 0x0b, ...vec([[7]])];
    const m = decode(mod(section(11, vec([seg]))));
    expect(m.datas[0]!.mode).toMatchObject({ kind: 'active', memory: 1 });
  });

  it('decodes block types as empty, value type or non-negative type index', () => {
    const m = decode(oneFunc([0x02, 0x40, 0x0b, 0x02, 0x7c, 0x0b, 0x02, 0x80, 0x01, 0x0b, 0x0b]));
    expect(show(m.funcs[0]!.body)).toEqual(['block bt:empty', 'end', `block bt:${F64}`, 'end', 'block bt:type128', 'end', 'end']);
  });

  it('leaves type and index checks to the validator', () => {
    // Out-of-range indices, a bad alignment, two memories, unbalanced stack: all well-formed.
    const m = decode(
      oneFunc([0x10, 0x63, 0x20, 0x7f, 0x28, 0x1f, 0x00, 0x6a, 0x0b], {
        before: [section(5, vec([[0x00, 0x01], [0x00, 0x01]]))],
      }),
    );
    expect(m.mems).toHaveLength(2);
    expect(show(m.funcs[0]!.body)).toEqual(['call a:99 b:0', 'local.get a:127 b:0', 'i32.load a:31 b:0', 'i32.add', 'end']);
  });

  it('decodes deep nesting without recursion', () => {
    const depth = 100_000;
    const body: number[] = [];
    for (let i = 0; i < depth; i++) body.push(0x02, 0x40);
    for (let i = 0; i <= depth; i++) body.push(0x0b);
    const m = decode(oneFunc(body));
    expect(m.funcs[0]!.body).toHaveLength(2 * depth + 1);
  });

  it('accepts a total of 2^32-1 locals without expanding them', () => {
    const m = decode(oneFunc([0x0b], { locals: [[...uleb(0xfffffffe), 0x7f], [0x01, 0x7e]] }));
    expect(m.funcs[0]!.numLocals).toBe(0xffffffff);
    expect(m.funcs[0]!.locals).toEqual([{ count: 0xfffffffe, type: I32 }, { count: 1, type: I64 }]);
  });

  it('allows custom sections anywhere and the data count section before code', () => {
    const custom = section(0, [...str('x')]);
    const m = decode(
      mod(custom, section(1, vec([[0x60, 0x00, 0x00]])), custom, section(3, vec([[0x00]])), section(12, [0x01]), custom,
        section(10, vec([[0x05, 0x00, 0xfc, 0x09, 0x00, 0x0b]])), section(11, vec([[0x01, 0x00]])), custom),
    );
    expect(m.dataCount).toBe(1);
    expect(m.customs).toHaveLength(4);
    expect(show(m.funcs[0]!.body)).toEqual(['data.drop', 'end']);
  });
});

describe('name section', () => {
  const names = (content: number[]) => section(0, [...str('name'), ...content]);
  const sub = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];

  it('reads the module, function and local names', () => {
    const m = decode(
      mod(names([
        ...sub(0, str('mod')),
        ...sub(1, vec([[0x00, ...str('a')], [0x05, ...str('ü')]])),
        ...sub(2, vec([[0x05, ...vec([[0x00, ...str('x')], [0x01, ...str('y')]])]])),
        ...sub(7, [1, 2, 3]), // a malformed global-names subsection is skipped on its own
        ...sub(9, [1, 2, 3]), // an unknown subsection is skipped
      ])),
    );
    expect(m.names.module).toBe('mod');
    expect(m.names.funcs).toEqual(new Map([[0, 'a'], [5, 'ü']]));
    expect(m.names.locals.get(5)).toEqual(new Map([[0, 'x'], [1, 'y']]));
    expect(m.names.globals).toBeUndefined();
  });

  it('reads global names (extended name section, subsection 7)', () => {
    const m = decode(mod(names([...sub(7, vec([[0x00, ...str('__stack_pointer')]]))])));
    expect(m.names.globals).toEqual(new Map([[0, '__stack_pointer']]));
  });

  it('ignores a broken name section without failing the module', () => {
    const broken = [
      sub(1, [0x05]),                                  // count larger than the contents
      [...sub(0, str('m')), ...sub(0, str('m'))],      // duplicate subsection
      sub(1, vec([[0x00, 0x02, 0xc0, 0x80]])),         // overlong UTF-8 in a function name
      [0x01, 0xff, 0xff, 0xff, 0xff, 0x0f],            // subsection size beyond the section
      [...sub(0, [...str('m'), 0x00])],                // junk after the module name
    ];
    for (const content of broken) {
      const m = decode(mod(names(content)));
      expect(m.names.module).toBeUndefined();
      expect(m.names.funcs.size).toBe(0);
      expect(m.customs.map((c) => c.name)).toEqual(['name']);
    }
  });
});

describe('malformed modules', () => {
  const ty = section(1, vec([[0x60, 0x00, 0x00]]));
  const fn = section(3, vec([[0x00]]));
  const code = (body: number[]) => section(10, vec([[...uleb(body.length), ...body]]));
  const cases: [string, Uint8Array, string, number?][] = [
    ['empty input', new Uint8Array([]), 'unexpected-end', 0],
    ['truncated magic', new Uint8Array([0x00, 0x61, 0x73]), 'unexpected-end'],
    ['wrong magic', new Uint8Array([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0]), 'magic-header', 0],
    ['truncated version', new Uint8Array([...HEADER.slice(0, 6)]), 'unexpected-end'],
    ['version 2', new Uint8Array([...HEADER.slice(0, 4), 2, 0, 0, 0]), 'unknown-version', 4],
    ['section id 13', mod([13, 0x00]), 'malformed-section-id', 8],
    ['section size past the end', mod([0x01, 0x05, 0x00]), 'unexpected-end', 9],
    ['duplicate section', mod(ty, ty), 'section-out-of-order', 8 + ty.length],
    ['memory before table', mod(section(5, vec([])), section(4, vec([]))), 'section-out-of-order', 11],
    ['data count after code', mod(ty, fn, code([0x00, 0x0b]), section(12, [0x00])), 'section-out-of-order'],
    ['section longer than its contents', mod(section(1, [0x00, 0x00])), 'section-size-mismatch', 11],
    ['section shorter than its contents', mod([0x01, 0x01, 0x01, 0x60, 0x00, 0x00]), 'unexpected-end'],
    ['function without code', mod(ty, fn), 'function-code-mismatch'],
    ['code without function', mod(ty, code([0x00, 0x0b])), 'function-code-mismatch'],
    ['data count without data', mod(section(12, [0x01])), 'data-count-mismatch'],
    ['data count differs from data', mod(section(12, [0x02]), section(11, vec([[0x01, 0x00]]))), 'data-count-mismatch'],
    ['memory.init without data count', mod(ty, fn, code([0x00, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x08, 0x00, 0x00, 0x0b])), 'data-count-required'],
    ['data.drop without data count', mod(ty, fn, code([0x00, 0xfc, 0x09, 0x00, 0x0b])), 'data-count-required'],
    ['too many locals', oneFunc([0x0b], { locals: [[...uleb(0xffffffff), 0x7f], [0x01, 0x7f]] }), 'too-many-locals'],
    ['memory.grow reserved byte', oneFunc([0x41, 0x00, 0x40, 0x01, 0x1a, 0x0b]), 'zero-byte-expected'],
    ['memory.size reserved byte as LEB', oneFunc([0x3f, 0x80, 0x00, 0x1a, 0x0b]), 'zero-byte-expected'],
    ['memory.copy second reserved byte', oneFunc([0xfc, 0x0a, 0x00, 0x01, 0x0b]), 'zero-byte-expected'],
    ['illegal single-byte opcode', oneFunc([0x06, 0x0b]), 'illegal-opcode'],
    ['internal op number used as a byte', oneFunc([OP_FC_BASE, 0x0b]), 'illegal-opcode'],
    ['unknown 0xFC sub-opcode', oneFunc([0xfc, 0x12, 0x0b]), 'illegal-opcode'],
    ['0xFC sub-opcode too long', oneFunc([0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b]), 'integer-too-long'],
    ['SIMD prefix', oneFunc([0xfd, 0x0c, 0x0b]), 'illegal-opcode'],
    ['body without end', oneFunc([0x01]), 'end-expected'],
    ['unclosed block', oneFunc([0x02, 0x40, 0x0b]), 'end-expected'],
    ['else outside if', oneFunc([0x02, 0x40, 0x05, 0x0b, 0x0b]), 'end-expected'],
    ['second else', oneFunc([0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b]), 'end-expected'],
    ['bytes after the final end', oneFunc([0x0b, 0x01]), 'section-size-mismatch'],
    ['negative block type', oneFunc([0x02, 0x41, 0x0b, 0x0b]), 'malformed-block-type'],
    ['multi-byte negative block type', oneFunc([0x02, 0xff, 0x7f, 0x0b, 0x0b]), 'malformed-block-type'],
    ['alignment exponent 32', oneFunc([0x41, 0x00, 0x28, 0x20, 0x00, 0x1a, 0x0b]), 'malformed-memop-flags'],
    ['ref.null with a value type', oneFunc([0xd0, 0x7f, 0x1a, 0x0b]), 'malformed-ref-type'],
    ['bad local type', oneFunc([0x0b], { locals: [[0x01, 0x40]] }), 'malformed-value-type'],
    ['function type form', mod(section(1, vec([[0x61, 0x00, 0x00]]))), 'malformed-func-type', 11],
    ['limits flag 2', mod(section(5, vec([[0x02, 0x00]]))), 'malformed-limits', 11],
    ['limits flag as LEB', mod(section(5, vec([[0x81, 0x00, 0x00]]))), 'malformed-limits'],
    ['table element type', mod(section(4, vec([[0x7f, 0x00, 0x00]]))), 'malformed-ref-type'],
    ['global mutability 2', mod(section(6, vec([[0x7f, 0x02, 0x41, 0x00, 0x0b]]))), 'malformed-mutability'],
    ['import kind 4', mod(section(2, vec([[...str('a'), ...str('b'), 0x04, 0x00]]))), 'malformed-import-kind'],
    ['export kind 4', mod(section(7, vec([[...str('a'), 0x04, 0x00]]))), 'malformed-export-kind'],
    ['element flags 8', mod(section(9, vec([[0x08, 0x00]]))), 'malformed-segment-flags'],
    ['element kind 1', mod(section(9, vec([[0x01, 0x01, 0x00]]))), 'malformed-elem-kind'],
    ['data flags 3', mod(section(11, vec([[0x03, 0x00]]))), 'malformed-segment-flags'],
    ['const expr without end', mod(section(6, vec([[0x7f, 0x00, 0x41, 0x00]]))), 'unexpected-end'],
    ['import name not UTF-8', mod(section(2, vec([[0x01, 0xff, ...str('b'), 0x00, 0x00]]))), 'malformed-utf8'],
    ['custom section name not UTF-8', mod(section(0, [0x01, 0xc0])), 'malformed-utf8'],
    ['custom section without a name', mod([0x00, 0x00]), 'unexpected-end'],
    ['huge vector count', mod(section(1, [0xff, 0xff, 0xff, 0xff, 0x0f])), 'unexpected-end', 10],
    ['huge br_table count', oneFunc([0x41, 0x00, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x0b]), 'unexpected-end'],
    ['huge local run count', mod(ty, fn, code([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x7f, 0x0b])), 'unexpected-end'],
  ];
  for (const [what, bytes, kind, offset] of cases) {
    it(`rejects ${what}`, () => {
      const e = decodeError(() => decode(bytes));
      expect(e.kind).toBe(kind);
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(bytes.length);
      if (offset !== undefined) expect(e.offset).toBe(offset);
    });
  }
});

describe('size', () => {
  it('decodes a 1 MB code-heavy module', () => {
    const bytes = syntheticModule(1 << 20);
    expect(bytes.length).toBeGreaterThan(1 << 20);
    // Speed is measured by benchmarks, not asserted here; this checks that a 1 MB module decodes fully.
    const m = decode(bytes);
    expect(m.funcs.reduce((n, f) => n + f.body.length, 0)).toBeGreaterThan(400_000);
  });
});

describe('returned module', () => {
  it('has every field even for the empty module', () => {
    const m: Module = decode(mod());
    expect(m).toMatchObject({ types: [], imports: [], funcs: [], tables: [], mems: [], globals: [], exports: [], elems: [], datas: [], customs: [] });
    expect(m.start).toBeUndefined();
    expect(m.dataCount).toBeUndefined();
    expect(m.names.funcs.size).toBe(0);
  });
  it('does not alias the input buffer for data segments and custom sections, even for a Node Buffer', () => {
    const plain = mod(section(11, vec([[0x01, 0x01, 0x2a]])), section(0, [...str('c'), 0x2b]));
    for (const bytes of [plain, Buffer.from(plain)]) {
      const m = decode(bytes);
      bytes.fill(0);
      expect([...m.datas[0]!.init]).toEqual([0x2a]);
      expect([...m.customs[0]!.bytes]).toEqual([0x2b]);
    }
  });
  it('reads a view into a larger buffer with absolute offsets relative to the view', () => {
    const inner = oneFunc([0x41, 0x07, 0x1a, 0x0b]);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    const m = decode(outer.subarray(5));
    expect(show(m.funcs[0]!.body)).toEqual(['i32.const a:7 b:0', 'drop', 'end']);
    expect(inner[m.funcs[0]!.body[0]!.offset]).toBe(Op.i32_const);
  });
});
