// int_exprs.wast and float_exprs.wast functions rebuilt from the pure functions, run on their spec rows
// (spec-cases/exprs.ts). They check that chains of our ops give the spec's bits: no fused multiply-add, no
// skipped demote/promote rounding, no folded x*6/6, and so on.

import { describe, expect, it } from 'vitest';
import { Trap } from '../../errors.ts';
import * as c from './convert.ts';
import * as f32 from './f32.ts';
import * as f64 from './f64.ts';
import * as i32 from './i32.ts';
import * as i64 from './i64.ts';
import { EXPR_CASES } from './spec-cases/exprs.ts';
import { bitsMatch, bitsOf } from './spec-cases/row.ts';
import { f32Bits, f32FromBits, f64Bits, f64FromBits } from './test-reference.ts';

/** The integer ops the int_exprs functions use, over one representation T. */
interface IntOps<T> {
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  shl(a: T, b: T): T;
  shr_s(a: T, b: T): T;
  shr_u(a: T, b: T): T;
  div_s(a: T, b: T): T;
  div_u(a: T, b: T): T;
  rem_s(a: T, b: T): T;
  rem_u(a: T, b: T): T;
  lt_s(a: T, b: T): number;
  lt_u(a: T, b: T): number;
}

type IntFn<T> = (x: T, y: T) => T | number;

function intExprs<T>(m: IntOps<T>, k: (n: number) => T): Record<string, IntFn<T>> {
  const fns: Record<string, IntFn<T>> = {
    no_fold_cmp_s_offset: (x, y) => m.lt_s(m.add(x, k(1)), m.add(y, k(1))),
    no_fold_cmp_u_offset: (x, y) => m.lt_u(m.add(x, k(1)), m.add(y, k(1))),
    no_fold_shl_shr_s: (x) => m.shr_s(m.shl(x, k(1)), k(1)),
    no_fold_shl_shr_u: (x) => m.shr_u(m.shl(x, k(1)), k(1)),
    no_fold_shr_s_shl: (x) => m.shl(m.shr_s(x, k(1)), k(1)),
    no_fold_shr_u_shl: (x) => m.shl(m.shr_u(x, k(1)), k(1)),
    no_fold_div_s_mul: (x) => m.mul(m.div_s(x, k(6)), k(6)),
    no_fold_div_u_mul: (x) => m.mul(m.div_u(x, k(6)), k(6)),
    no_fold_div_s_self: (x) => m.div_s(x, x),
    no_fold_div_u_self: (x) => m.div_u(x, x),
    no_fold_rem_s_self: (x) => m.rem_s(x, x),
    no_fold_rem_u_self: (x) => m.rem_u(x, x),
    no_fold_mul_div_s: (x) => m.div_s(m.mul(x, k(6)), k(6)),
    no_fold_mul_div_u: (x) => m.div_u(m.mul(x, k(6)), k(6)),
    no_fold_div_s_2: (x) => m.div_s(x, k(2)),
    no_fold_rem_s_2: (x) => m.rem_s(x, k(2)),
    no_fold_div_neg1: (x) => m.div_s(x, k(-1)),
  };
  for (const n of [0, 3, 5, 7]) {
    fns[`div_s_${n}`] = (x) => m.div_s(x, k(n));
    fns[`div_u_${n}`] = (x) => m.div_u(x, k(n));
    if (n !== 0) {
      fns[`rem_s_${n}`] = (x) => m.rem_s(x, k(n));
      fns[`rem_u_${n}`] = (x) => m.rem_u(x, k(n));
    }
  }
  return fns;
}

const I32_EXPRS = intExprs<number>(i32, (n) => n);
const I64_EXPRS: Record<string, IntFn<bigint>> = {
  ...intExprs<bigint>(i64, BigInt),
  no_fold_wrap_extend_s: (x) => c.i64_extend_i32_s(c.i32_wrap_i64(x)),
  no_fold_wrap_extend_u: (x) => c.i64_extend_i32_u(c.i32_wrap_i64(x)),
};

// Float functions take and return numbers; arguments are decoded by their row's type tag.
const FLOAT_EXPRS: Record<string, (...xs: number[]) => number> = {
  'f32.no_fma': (x, y, z) => f32.add(f32.mul(x!, y!), z!),
  'f64.no_fma': (x, y, z) => f64.add(f64.mul(x!, y!), z!),
  'fx.no_fold_demote_promote': (x) => c.f64_promote_f32(c.f32_demote_f64(x!)),
  'fx.no_fold_promote_demote': (x) => c.f32_demote_f64(c.f64_promote_f32(x!)),
  'fx.no_demote_mixed_add': (x, y) => c.f32_demote_f64(f64.add(x!, c.f64_promote_f32(y!))),
  'fx.no_demote_mixed_mul': (x, y) => c.f32_demote_f64(f64.mul(x!, c.f64_promote_f32(y!))),
  'fx.no_demote_mixed_div': (x, y) => c.f32_demote_f64(f64.div(x!, c.f64_promote_f32(y!))),
  'f32.no_approximate_reciprocal_sqrt': (x) => f32.div(1, f32.sqrt(x!)),
  'f64.no_fuse_reciprocal_sqrt': (x) => f64.div(1, f64.sqrt(x!)),
  'f32.no_fold_div_0': (x) => f32.div(x!, 0),
  'f64.no_fold_div_neg0': (x) => f64.div(x!, -0),
  'f32.no_fold_6x_via_add': (x) => f32.add(f32.add(f32.add(f32.add(f32.add(x!, x!), x!), x!), x!), x!),
  'f64.no_fold_to_hypot': (x, y) => f64.sqrt(f64.add(f64.mul(x!, x!), f64.mul(y!, y!))),
  'f32.no_fold_sqrt_square': (x) => f32.sqrt(f32.mul(x!, x!)),
  'f32.no_fold_sub_zero': (x) => f32.sub(x!, 0),
  'f32.no_fold_neg0_sub': (x) => f32.sub(-0, x!),
  'f32.no_fold_mul_one': (x) => f32.mul(x!, 1),
  'f32.no_fold_neg1_mul': (x) => f32.mul(-1, x!),
  'f32.no_fold_div_one': (x) => f32.div(x!, 1),
  'f32.no_fold_div_neg1': (x) => f32.div(x!, -1),
  'f64.no_fold_sub_zero': (x) => f64.sub(x!, 0),
  'f64.no_fold_neg0_sub': (x) => f64.sub(-0, x!),
  'f64.no_fold_mul_one': (x) => f64.mul(x!, 1),
  'f64.no_fold_neg1_mul': (x) => f64.mul(-1, x!),
  'f64.no_fold_div_one': (x) => f64.div(x!, 1),
  'f64.no_fold_div_neg1': (x) => f64.div(x!, -1),
};

// The NaN-bitpattern functions work on i32/i64 bits and reinterpret; neg is the bit operation itself.
type Bits = number | bigint;
const f32In = (b: Bits): number => c.f32_reinterpret_i32(b as number);
const f64In = (b: Bits): number => c.f64_reinterpret_i64(b as bigint);
const f32Out = (x: number, mask: number): number => c.i32_reinterpret_f32(x) & mask;
const f64Out = (x: number, mask: bigint): bigint => c.i64_reinterpret_f64(x) & mask;
const Q32 = 0x7fc00000;
const Q64 = 0x7ff8000000000000n;
const BITPATTERN_EXPRS: Record<string, (x: Bits, y: Bits) => Bits> = {
  'f32.arithmetic_nan_bitpattern': (x, y) => f32Out(f32.div(f32In(x), f32In(y)), Q32),
  'f32.canonical_nan_bitpattern': (x, y) => f32Out(f32.div(f32In(x), f32In(y)), 0x7fffffff),
  'f32.nonarithmetic_nan_bitpattern': (x) => f32.neg(x as number),
  'f64.arithmetic_nan_bitpattern': (x, y) => f64Out(f64.div(f64In(x), f64In(y)), Q64),
  'f64.canonical_nan_bitpattern': (x, y) => f64Out(f64.div(f64In(x), f64In(y)), 0x7fffffffffffffffn),
  'f64.nonarithmetic_nan_bitpattern': (x) => {
    const b = x as bigint;
    return (BigInt(f64.neg(Number(BigInt.asIntN(32, b >> 32n)))) << 32n) | (b & 0xffffffffn);
  },
  'f32.bits_no_fold_sub_zero': (x) => f32Out(f32.sub(f32In(x), 0), Q32),
  'f32.bits_no_fold_neg0_sub': (x) => f32Out(f32.sub(-0, f32In(x)), Q32),
  'f32.bits_no_fold_mul_one': (x) => f32Out(f32.mul(f32In(x), 1), Q32),
  'f32.bits_no_fold_neg1_mul': (x) => f32Out(f32.mul(-1, f32In(x)), Q32),
  'f32.bits_no_fold_div_one': (x) => f32Out(f32.div(f32In(x), 1), Q32),
  'f32.bits_no_fold_div_neg1': (x) => f32Out(f32.div(f32In(x), -1), Q32),
  'f64.bits_no_fold_sub_zero': (x) => f64Out(f64.sub(f64In(x), 0), Q64),
  'f64.bits_no_fold_neg0_sub': (x) => f64Out(f64.sub(-0, f64In(x)), Q64),
  'f64.bits_no_fold_mul_one': (x) => f64Out(f64.mul(f64In(x), 1), Q64),
  'f64.bits_no_fold_neg1_mul': (x) => f64Out(f64.mul(-1, f64In(x)), Q64),
  'f64.bits_no_fold_div_one': (x) => f64Out(f64.div(f64In(x), 1), Q64),
  'f64.bits_no_fold_div_neg1': (x) => f64Out(f64.div(f64In(x), -1), Q64),
  'fx.bits_no_fold_promote_demote': (x) => f32Out(c.f32_demote_f64(c.f64_promote_f32(f32In(x))), Q32),
};

function decodeFloat(lit: string): number {
  const bits = bitsOf(lit);
  return lit.startsWith('f32') ? f32FromBits(bits) : f64FromBits(bits as bigint);
}

function run(row: readonly [string, readonly string[], string]): string | undefined {
  const [name, args, expected] = row;
  const [prefix, fn] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
  try {
    let actual: number | bigint;
    if (prefix === 'i32' && I32_EXPRS[fn]) {
      const [x, y] = args.map(bitsOf) as number[];
      actual = I32_EXPRS[fn](x!, y ?? 0) as number;
    } else if (prefix === 'i64' && I64_EXPRS[fn]) {
      const [x, y] = args.map(bitsOf) as bigint[];
      const r = I64_EXPRS[fn](x!, y ?? 0n);
      actual = expected.startsWith('i32') ? r : BigInt(r);
    } else if (BITPATTERN_EXPRS[name]) {
      const [x, y] = args.map(bitsOf);
      const r = BITPATTERN_EXPRS[name](x!, y ?? 0);
      actual = typeof r === 'bigint' ? BigInt.asIntN(64, r) : r | 0;
    } else if (FLOAT_EXPRS[name]) {
      const r = FLOAT_EXPRS[name](...args.map(decodeFloat));
      actual = expected.startsWith('f32') ? f32Bits(r) : BigInt.asIntN(64, f64Bits(r));
    } else {
      return `${name}: no composition written for it`;
    }
    if (expected.startsWith('trap:')) return `${JSON.stringify(row)}: did not trap`;
    return bitsMatch(expected, actual) ? undefined : `${JSON.stringify(row)}: got ${String(actual)}`;
  } catch (e) {
    if (e instanceof Trap && `trap:${e.kind}` === expected) return undefined;
    return `${JSON.stringify(row)}: threw ${String(e)}`;
  }
}

describe('int_exprs.wast and float_exprs.wast compositions', () => {
  it(`all ${EXPR_CASES.length} rows`, () => {
    expect(EXPR_CASES.map(run).filter((f) => f !== undefined)).toEqual([]);
  });
});
