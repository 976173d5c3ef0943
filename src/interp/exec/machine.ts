// The executor: one loop over the register IR (see ir.ts for the operand conventions).
// It is deliberately a single function with a literal-case switch: V8 compiles that into a jump table
// and keeps the hot state (pc, fp, views) in registers. Numeric semantics that are more than one JS
// operator come from ./numeric (pure, unit-tested); the loop only moves values.
// Conventions: r = Int32Array view, f = Float32Array view (same indices as r), d = Float64Array and
// b = BigInt64Array (index (fp + o) >> 1), refs = reference slots (index (fp + o) >> 1).

import { Suspend } from '../api.ts';
import { ExhaustionError, InternalError, Trap } from '../errors.ts';
import type { FuncInst, MemoryInst } from '../runtime/store.ts';
import type { ModuleInst } from '../runtime/module-inst.ts';
import type { CompiledFunc } from './ir.ts';
import { callHost, ensureCompiled } from './calls.ts';
import { dataInit, elemInit, memoryCopy, memoryFill, tableCopy, tableFill, tableGrow } from './bulk.ts';
import type { Thread } from './thread.ts';
import * as I32 from './numeric/i32.ts';
import * as I64 from './numeric/i64.ts';
import * as H from './numeric/i64-halves.ts';
import * as F32 from './numeric/f32.ts';
import * as F64 from './numeric/f64.ts';
import * as CV from './numeric/convert.ts';

/** Instructions per slice; the engine re-enters execute() between slices. */
const FUEL_SLICE = 1 << 22;

/** 'slice' means the slice ended with fuel left: call execute() again. */
export type StepResult = 'done' | 'suspended' | 'out-of-fuel' | 'slice';

function oob(): never {
  throw new Trap('out-of-bounds-memory', 'out of bounds memory access');
}

/**
 * Run the thread until it returns from its entry frame, suspends on a host call, or runs out of fuel.
 * Traps and exhaustion are thrown; the caller resets the thread.
 */
export function execute(th: Thread): StepResult {
  let cur = th.cur!;
  let cf: CompiledFunc = cur.code!;
  let code = cf.code;
  let pc = th.pc;
  let fp = th.fp;
  let depth = th.depth;
  // Fuel is metered in slices of FUEL_SLICE instructions: a hot counter beyond the Smi range becomes a
  // boxed double in V8 (measured: ~2.7x slower on matmul), and returning to the caller between slices
  // lets V8 swap the slower on-stack-replacement code for its regular optimized code (~1.7x).
  let reserve = th.fuel > FUEL_SLICE ? th.fuel - FUEL_SLICE : 0;
  let fuel = th.fuel - reserve;
  let startFuel = th.fuel;
  let r = th.I32;
  let f = th.F32;
  let d = th.F64;
  let b = th.B64;
  const refs = th.refs;
  const fFunc = th.fFunc;
  const fPc = th.fPc;
  const fFp = th.fFp;
  const maxDepth = th.maxDepth;
  // depth counts frames below the current one, so the current frame makes depth + 1.
  const depthLimit = maxDepth - 1;
  let inst: ModuleInst = cur.inst!;
  let funcs = inst.funcs;
  let globals = inst.globals;
  let tables = inst.tables;
  let mem: MemoryInst | undefined = inst.mems[0];
  let u8 = mem ? mem.u8 : new Uint8Array(0);
  let dv = mem ? mem.dv : new DataView(u8.buffer);
  let memLen = u8.length;

  try {
    for (;;) {
      if (--fuel < 0) {
        fuel = 0;
        if (reserve > 0) {
          th.cur = cur; th.pc = pc; th.fp = fp; th.depth = depth; th.fuel = reserve; th.fuelUsed += startFuel - reserve;
          return 'slice';
        }
        th.cur = cur; th.pc = pc; th.fp = fp; th.depth = depth; th.fuel = fuel + reserve; th.fuelUsed += startFuel - th.fuel;
        return 'out-of-fuel';
      }
      switch (code[pc]) {
        case 0x00:
          throw new Trap('unreachable', 'unreachable');

        // ---- control ----
        case 0x100: // BR
          pc = code[pc + 1];
          break;
        case 0x101: // BR_IF
          pc = r[fp + code[pc + 1]] !== 0 ? code[pc + 2] : pc + 3;
          break;
        case 0x102: // BR_UNLESS
          pc = r[fp + code[pc + 1]] === 0 ? code[pc + 2] : pc + 3;
          break;
        case 0x103: { // BR_TABLE
          const n = code[pc + 2];
          let i = r[fp + code[pc + 1]] >>> 0;
          if (i > n) i = n;
          pc = code[pc + 3 + i];
          break;
        }
        case 0x139: pc = r[fp + code[pc + 1]] === r[fp + code[pc + 2]] ? code[pc + 3] : pc + 4; break;
        case 0x13a: pc = r[fp + code[pc + 1]] !== r[fp + code[pc + 2]] ? code[pc + 3] : pc + 4; break;
        case 0x13b: pc = r[fp + code[pc + 1]] < r[fp + code[pc + 2]] ? code[pc + 3] : pc + 4; break;
        case 0x13c: pc = r[fp + code[pc + 1]] >>> 0 < r[fp + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4; break;
        case 0x13d: pc = r[fp + code[pc + 1]] >= r[fp + code[pc + 2]] ? code[pc + 3] : pc + 4; break;
        case 0x13e: pc = r[fp + code[pc + 1]] >>> 0 >= r[fp + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4; break;
        case 0x13f: pc = r[fp + code[pc + 1]] > r[fp + code[pc + 2]] ? code[pc + 3] : pc + 4; break;
        case 0x140: pc = r[fp + code[pc + 1]] >>> 0 > r[fp + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4; break;
        case 0x141: pc = r[fp + code[pc + 1]] <= r[fp + code[pc + 2]] ? code[pc + 3] : pc + 4; break;
        case 0x142: pc = r[fp + code[pc + 1]] >>> 0 <= r[fp + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4; break;

        case 0x104: // RETURN
          if (depth === 0) {
            th.cur = cur; th.pc = pc; th.fp = fp; th.depth = depth; th.fuel = fuel + reserve; th.fuelUsed += startFuel - th.fuel;
            return 'done';
          }
          depth--;
          cur = fFunc[depth];
          pc = fPc[depth];
          fp = fFp[depth];
          cf = cur.code!;
          code = cf.code;
          if (cur.inst !== inst) {
            inst = cur.inst!;
            funcs = inst.funcs; globals = inst.globals; tables = inst.tables; mem = inst.mems[0];
            if (mem) { u8 = mem.u8; dv = mem.dv; memLen = u8.length; }
          }
          break;

        case 0x105: // CALL [funcIdx, argBase]
        case 0x106: { // CALL_INDIRECT [typeId, table, elem, argBase]
          let callee: FuncInst;
          let nfp: number;
          let next: number;
          if (code[pc] === 0x105) {
            callee = funcs[code[pc + 1]];
            nfp = fp + code[pc + 2];
            next = pc + 3;
          } else {
            const tab = tables[code[pc + 2]];
            const i = r[fp + code[pc + 3]] >>> 0;
            if (i >= tab.elems.length) throw new Trap('undefined-element', 'undefined element');
            const e = tab.elems[i] as FuncInst | null;
            if (e === null) throw new Trap('uninitialized-element', 'uninitialized element');
            if (e.typeId !== code[pc + 1]) throw new Trap('indirect-call-type-mismatch', 'indirect call type mismatch');
            callee = e;
            nfp = fp + code[pc + 4];
            next = pc + 5;
          }
          if (callee.host !== undefined) {
            th.cur = cur; th.pc = pc; th.fp = fp; th.depth = depth;
            // Count fuel at every host call, so fuelUsed is exact when the host (e.g. a progress event) reads it.
            th.fuelUsed += startFuel - (fuel + reserve);
            startFuel = fuel + reserve;
            const s = callHost(th, callee, nfp);
            if (s instanceof Suspend) {
              th.pendingHost = callee;
              th.pendingFp = nfp;
              th.pc = next;
              th.fuel = fuel + reserve;
              th.fuelUsed += startFuel - th.fuel;
              return 'suspended';
            }
            r = th.I32; f = th.F32; d = th.F64; b = th.B64;
            if (mem) { u8 = mem.u8; dv = mem.dv; memLen = u8.length; }
            pc = next;
            break;
          }
          const ccf = callee.code ?? ensureCompiled(callee);
          if (depth >= depthLimit) throw new ExhaustionError('call-stack', `call stack exhausted (${maxDepth} frames)`);
          const need = nfp + ccf.frameSlots * 2;
          if (need > th.cap) {
            th.ensure(need);
            r = th.I32; f = th.F32; d = th.F64; b = th.B64;
          }
          fFunc[depth] = cur;
          fPc[depth] = next;
          fFp[depth] = fp;
          depth++;
          fp = nfp;
          // Inline loops: the fill/set builtins cost more than the few words a typical frame needs.
          const lend = fp + ccf.numLocalSlots * 2;
          for (let k = fp + ccf.numParams * 2; k < lend; k++) r[k] = 0;
          const ci = ccf.constInit;
          for (let k = 0; k < ci.length; k++) r[lend + k] = ci[k];
          const rl = ccf.refLocals;
          for (let k = 0; k < rl.length; k++) refs[(fp >> 1) + rl[k]] = null;
          cur = callee;
          cf = ccf;
          code = ccf.code;
          pc = 0;
          if (callee.inst !== inst) {
            inst = callee.inst!;
            funcs = inst.funcs; globals = inst.globals; tables = inst.tables; mem = inst.mems[0];
            if (mem) { u8 = mem.u8; dv = mem.dv; memLen = u8.length; }
          }
          break;
        }

        // ---- moves and constants ----
        case 0x107: r[fp + code[pc + 1]] = r[fp + code[pc + 2]]; pc += 3; break;
        case 0x108: d[(fp + code[pc + 1]) >> 1] = d[(fp + code[pc + 2]) >> 1]; pc += 3; break; // 64-bit move keeps NaN bits
        case 0x109: refs[(fp + code[pc + 1]) >> 1] = refs[(fp + code[pc + 2]) >> 1]; pc += 3; break;
        case 0x10a: r[fp + code[pc + 1]] = code[pc + 2]; pc += 3; break;
        case 0x10b: {
          const x = fp + code[pc + 1];
          r[x] = code[pc + 2];
          r[x + 1] = code[pc + 3];
          pc += 4;
          break;
        }
        case 0x10c: r[fp + code[pc + 1]] = r[fp + code[pc + 4]] !== 0 ? r[fp + code[pc + 2]] : r[fp + code[pc + 3]]; pc += 5; break;
        case 0x10d:
          d[(fp + code[pc + 1]) >> 1] = r[fp + code[pc + 4]] !== 0 ? d[(fp + code[pc + 2]) >> 1] : d[(fp + code[pc + 3]) >> 1];
          pc += 5;
          break;
        case 0x10e:
          refs[(fp + code[pc + 1]) >> 1] = r[fp + code[pc + 4]] !== 0 ? refs[(fp + code[pc + 2]) >> 1] : refs[(fp + code[pc + 3]) >> 1];
          pc += 5;
          break;

        // ---- globals and references ----
        case 0x110: r[fp + code[pc + 1]] = globals[code[pc + 2]].cell[0]; pc += 3; break;
        case 0x111: d[(fp + code[pc + 1]) >> 1] = globals[code[pc + 2]].cell64[0]; pc += 3; break;
        case 0x112: refs[(fp + code[pc + 1]) >> 1] = globals[code[pc + 2]].ref; pc += 3; break;
        case 0x113: globals[code[pc + 1]].cell[0] = r[fp + code[pc + 2]]; pc += 3; break;
        case 0x114: globals[code[pc + 1]].cell64[0] = d[(fp + code[pc + 2]) >> 1]; pc += 3; break;
        case 0x115: globals[code[pc + 1]].ref = refs[(fp + code[pc + 2]) >> 1]; pc += 3; break;
        case 0x116: refs[(fp + code[pc + 1]) >> 1] = null; pc += 2; break;
        case 0x117: r[fp + code[pc + 1]] = refs[(fp + code[pc + 2]) >> 1] === null ? 1 : 0; pc += 3; break;
        case 0x118: refs[(fp + code[pc + 1]) >> 1] = funcs[code[pc + 2]]; pc += 3; break;

        // ---- tables ----
        case 0x119: { // TABLE_GET [d, t, i]
          const t = tables[code[pc + 2]], i = r[fp + code[pc + 3]] >>> 0;
          if (i >= t.elems.length) throw new Trap('out-of-bounds-table', 'out of bounds table access');
          refs[(fp + code[pc + 1]) >> 1] = t.elems[i];
          pc += 4;
          break;
        }
        case 0x11a: { // TABLE_SET [t, i, v]
          const t = tables[code[pc + 1]], i = r[fp + code[pc + 2]] >>> 0;
          if (i >= t.elems.length) throw new Trap('out-of-bounds-table', 'out of bounds table access');
          t.elems[i] = refs[(fp + code[pc + 3]) >> 1];
          pc += 4;
          break;
        }
        case 0x11b: r[fp + code[pc + 1]] = tables[code[pc + 2]].elems.length; pc += 3; break;
        case 0x11c: // TABLE_GROW [d, t, init, n]
          r[fp + code[pc + 1]] = tableGrow(tables[code[pc + 2]], refs[(fp + code[pc + 3]) >> 1], r[fp + code[pc + 4]] >>> 0);
          pc += 5;
          break;
        case 0x11d: // TABLE_FILL [t, i, v, n]
          tableFill(tables[code[pc + 1]], r[fp + code[pc + 2]] >>> 0, refs[(fp + code[pc + 3]) >> 1], r[fp + code[pc + 4]] >>> 0);
          pc += 5;
          break;
        case 0x11e: // TABLE_COPY [dt, st, d, s, n]
          tableCopy(tables[code[pc + 1]], tables[code[pc + 2]], r[fp + code[pc + 3]] >>> 0, r[fp + code[pc + 4]] >>> 0, r[fp + code[pc + 5]] >>> 0);
          pc += 6;
          break;
        case 0x11f: // TABLE_INIT [t, e, d, s, n]
          elemInit(tables[code[pc + 1]], inst.elems[code[pc + 2]], r[fp + code[pc + 3]] >>> 0, r[fp + code[pc + 4]] >>> 0, r[fp + code[pc + 5]] >>> 0);
          pc += 6;
          break;
        case 0x120: inst.elems[code[pc + 1]] = null; pc += 2; break;

        // ---- memory management ----
        case 0x121: r[fp + code[pc + 1]] = memLen / 65536; pc += 2; break;
        case 0x122: // MEMORY_GROW [d, n]
          r[fp + code[pc + 1]] = mem!.grow(r[fp + code[pc + 2]] >>> 0);
          u8 = mem!.u8; dv = mem!.dv; memLen = u8.length;
          pc += 3;
          break;
        case 0x123: memoryFill(u8, r[fp + code[pc + 1]] >>> 0, r[fp + code[pc + 2]], r[fp + code[pc + 3]] >>> 0); pc += 4; break;
        case 0x124: memoryCopy(u8, r[fp + code[pc + 1]] >>> 0, r[fp + code[pc + 2]] >>> 0, r[fp + code[pc + 3]] >>> 0); pc += 4; break;
        case 0x125: // MEMORY_INIT [seg, d, s, n]
          dataInit(u8, inst.datas[code[pc + 1]], r[fp + code[pc + 2]] >>> 0, r[fp + code[pc + 3]] >>> 0, r[fp + code[pc + 4]] >>> 0);
          pc += 5;
          break;
        case 0x126: inst.datas[code[pc + 1]] = null; pc += 2; break;

        // ---- fused immediates ----
        case 0x130: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] + code[pc + 3]) | 0; pc += 4; break;
        case 0x131: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] & code[pc + 3]; pc += 4; break;
        case 0x132: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] << code[pc + 3]; pc += 4; break;
        case 0x133: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] >>> code[pc + 3]) | 0; pc += 4; break;
        case 0x134: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] >> code[pc + 3]; pc += 4; break;
        case 0x135: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] | code[pc + 3]; pc += 4; break;
        case 0x136: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] ^ code[pc + 3]; pc += 4; break;

        // ---- f64 arithmetic on a loaded operand [op, d, x, a, b, offset] (compile.ts fuseF64Load) ----
        case 0x150: case 0x151: case 0x152: case 0x153: {
          const ea = ((r[fp + code[pc + 3]] + r[fp + code[pc + 4]]) >>> 0) + (code[pc + 5] >>> 0);
          if (ea + 8 > memLen) oob();
          const m = dv.getFloat64(ea, true), x = d[(fp + code[pc + 2]) >> 1];
          const op = code[pc];
          d[(fp + code[pc + 1]) >> 1] = op === 0x150 ? x + m : op === 0x151 ? x - m : op === 0x152 ? m - x : x * m;
          pc += 6;
          break;
        }

        case 0x154: { // F64_ADD_TO_MEM [x, a, b, offset]
          const ea = ((r[fp + code[pc + 2]] + r[fp + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 8 > memLen) oob();
          dv.setFloat64(ea, d[(fp + code[pc + 1]) >> 1] + dv.getFloat64(ea, true), true);
          pc += 5;
          break;
        }

        // ---- loads [op, d, a, b, offset]: ea = ((a + b) mod 2^32) + offset (see compile.ts addressPair) ----
        case 0x28: case 0x2a: { // i32.load, f32.load (bits)
          const ea = ((r[fp + code[pc + 2]] + r[fp + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) oob();
          r[fp + code[pc + 1]] = dv.getInt32(ea, true);
          pc += 5;
          break;
        }
        case 0x29: case 0x2b: { // i64.load, f64.load: one 64-bit access of the raw bits (DataView keeps NaN bits)
          const ea = ((r[fp + code[pc + 2]] + r[fp + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 8 > memLen) oob();
          d[(fp + code[pc + 1]) >> 1] = dv.getFloat64(ea, true);
          pc += 5;
          break;
        }
        case 0x2c: case 0x2d: case 0x30: case 0x31: { // 8-bit loads
          const ea = ((r[fp + code[pc + 2]] + r[fp + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) oob();
          const op = code[pc], x = fp + code[pc + 1];
          const v = op === 0x2c || op === 0x30 ? (u8[ea] << 24) >> 24 : u8[ea];
          r[x] = v;
          if (op >= 0x30) r[x + 1] = v >> 31;
          pc += 5;
          break;
        }
        case 0x2e: case 0x2f: case 0x32: case 0x33: { // 16-bit loads
          const ea = ((r[fp + code[pc + 2]] + r[fp + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 2 > memLen) oob();
          const op = code[pc], x = fp + code[pc + 1];
          const v = op === 0x2e || op === 0x32 ? dv.getInt16(ea, true) : dv.getUint16(ea, true);
          r[x] = v;
          if (op >= 0x32) r[x + 1] = v >> 31;
          pc += 5;
          break;
        }
        case 0x34: case 0x35: { // i64.load32_s/u
          const ea = ((r[fp + code[pc + 2]] + r[fp + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) oob();
          const x = fp + code[pc + 1];
          const v = dv.getInt32(ea, true);
          r[x] = v;
          r[x + 1] = code[pc] === 0x34 ? v >> 31 : 0;
          pc += 5;
          break;
        }
        // ---- stores [op, a, b, value, offset] ----
        case 0x36: case 0x38: case 0x3e: {
          const ea = ((r[fp + code[pc + 1]] + r[fp + code[pc + 2]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) oob();
          dv.setInt32(ea, r[fp + code[pc + 3]], true);
          pc += 5;
          break;
        }
        case 0x37: case 0x39: { // i64.store, f64.store: raw 64 bits
          const ea = ((r[fp + code[pc + 1]] + r[fp + code[pc + 2]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 8 > memLen) oob();
          dv.setFloat64(ea, d[(fp + code[pc + 3]) >> 1], true);
          pc += 5;
          break;
        }
        case 0x3a: case 0x3c: {
          const ea = ((r[fp + code[pc + 1]] + r[fp + code[pc + 2]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) oob();
          u8[ea] = r[fp + code[pc + 3]];
          pc += 5;
          break;
        }
        case 0x3b: case 0x3d: {
          const ea = ((r[fp + code[pc + 1]] + r[fp + code[pc + 2]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 2 > memLen) oob();
          dv.setInt16(ea, r[fp + code[pc + 3]], true);
          pc += 5;
          break;
        }

        // ---- i32 ----
        case 0x45: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] === 0 ? 1 : 0; pc += 3; break;
        case 0x46: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] === r[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x47: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] !== r[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x48: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] < r[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x49: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] >>> 0 < r[fp + code[pc + 3]] >>> 0 ? 1 : 0; pc += 4; break;
        case 0x4a: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] > r[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x4b: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] >>> 0 > r[fp + code[pc + 3]] >>> 0 ? 1 : 0; pc += 4; break;
        case 0x4c: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] <= r[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x4d: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] >>> 0 <= r[fp + code[pc + 3]] >>> 0 ? 1 : 0; pc += 4; break;
        case 0x4e: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] >= r[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x4f: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] >>> 0 >= r[fp + code[pc + 3]] >>> 0 ? 1 : 0; pc += 4; break;
        case 0x67: r[fp + code[pc + 1]] = Math.clz32(r[fp + code[pc + 2]]); pc += 3; break;
        case 0x68: r[fp + code[pc + 1]] = I32.ctz(r[fp + code[pc + 2]]); pc += 3; break;
        case 0x69: r[fp + code[pc + 1]] = I32.popcnt(r[fp + code[pc + 2]]); pc += 3; break;
        case 0x6a: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] + r[fp + code[pc + 3]]) | 0; pc += 4; break;
        case 0x6b: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] - r[fp + code[pc + 3]]) | 0; pc += 4; break;
        case 0x6c: r[fp + code[pc + 1]] = Math.imul(r[fp + code[pc + 2]], r[fp + code[pc + 3]]); pc += 4; break;
        case 0x6d: r[fp + code[pc + 1]] = I32.div_s(r[fp + code[pc + 2]], r[fp + code[pc + 3]]); pc += 4; break;
        case 0x6e: r[fp + code[pc + 1]] = I32.div_u(r[fp + code[pc + 2]], r[fp + code[pc + 3]]); pc += 4; break;
        case 0x6f: r[fp + code[pc + 1]] = I32.rem_s(r[fp + code[pc + 2]], r[fp + code[pc + 3]]); pc += 4; break;
        case 0x70: r[fp + code[pc + 1]] = I32.rem_u(r[fp + code[pc + 2]], r[fp + code[pc + 3]]); pc += 4; break;
        case 0x71: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] & r[fp + code[pc + 3]]; pc += 4; break;
        case 0x72: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] | r[fp + code[pc + 3]]; pc += 4; break;
        case 0x73: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] ^ r[fp + code[pc + 3]]; pc += 4; break;
        case 0x74: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] << r[fp + code[pc + 3]]; pc += 4; break;
        case 0x75: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] >> r[fp + code[pc + 3]]; pc += 4; break;
        case 0x76: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] >>> r[fp + code[pc + 3]]) | 0; pc += 4; break;
        case 0x77: r[fp + code[pc + 1]] = I32.rotl(r[fp + code[pc + 2]], r[fp + code[pc + 3]]); pc += 4; break;
        case 0x78: r[fp + code[pc + 1]] = I32.rotr(r[fp + code[pc + 2]], r[fp + code[pc + 3]]); pc += 4; break;

        // ---- i64: cheap ops on int32 halves, the rest through BigInt ----
        // Compares bind numeric/i64-halves.ts. Ops with an i64 result (bit counts, shifts, rotates, extends)
        // are inline copies of the functions there: taking the high word back through H.HI measured ~9% slower
        // on bench i64-mix (in-process A/B, CPU time).
        case 0x50: { const x = fp + code[pc + 2]; r[fp + code[pc + 1]] = H.eqz(r[x], r[x + 1]); pc += 3; break; }
        case 0x51: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.eq(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x52: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.ne(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x53: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.lt_s(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x54: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.lt_u(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x55: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.gt_s(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x56: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.gt_u(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x57: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.le_s(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x58: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.le_u(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x59: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.ge_s(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x5a: { const x = fp + code[pc + 2], y = fp + code[pc + 3]; r[fp + code[pc + 1]] = H.ge_u(r[x], r[x + 1], r[y], r[y + 1]); pc += 4; break; }
        case 0x79: { // clz
          const x = fp + code[pc + 2], y = fp + code[pc + 1];
          const hi = r[x + 1];
          r[y] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(r[x]);
          r[y + 1] = 0;
          pc += 3;
          break;
        }
        case 0x7a: { // ctz
          const x = fp + code[pc + 2], y = fp + code[pc + 1];
          const lo = r[x];
          r[y] = lo !== 0 ? I32.ctz(lo) : 32 + I32.ctz(r[x + 1]);
          r[y + 1] = 0;
          pc += 3;
          break;
        }
        case 0x7b: { // popcnt
          const x = fp + code[pc + 2], y = fp + code[pc + 1];
          r[y] = I32.popcnt(r[x]) + I32.popcnt(r[x + 1]);
          r[y + 1] = 0;
          pc += 3;
          break;
        }
        // add/sub/mul/and/or/xor as BigInt: TurboFan lowers asIntN(64, a op b) on BigInt64Array elements to
        // plain 64-bit machine ops (no allocation), and one 64-bit store avoids a store-forwarding stall.
        case 0x7c: b[(fp + code[pc + 1]) >> 1] = BigInt.asIntN(64, b[(fp + code[pc + 2]) >> 1] + b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x7d: b[(fp + code[pc + 1]) >> 1] = BigInt.asIntN(64, b[(fp + code[pc + 2]) >> 1] - b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x7e: b[(fp + code[pc + 1]) >> 1] = BigInt.asIntN(64, b[(fp + code[pc + 2]) >> 1] * b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x7f: b[(fp + code[pc + 1]) >> 1] = I64.div_s(b[(fp + code[pc + 2]) >> 1], b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x80: b[(fp + code[pc + 1]) >> 1] = I64.div_u(b[(fp + code[pc + 2]) >> 1], b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x81: b[(fp + code[pc + 1]) >> 1] = I64.rem_s(b[(fp + code[pc + 2]) >> 1], b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x82: b[(fp + code[pc + 1]) >> 1] = I64.rem_u(b[(fp + code[pc + 2]) >> 1], b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x83: b[(fp + code[pc + 1]) >> 1] = BigInt.asIntN(64, b[(fp + code[pc + 2]) >> 1] & b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x84: b[(fp + code[pc + 1]) >> 1] = BigInt.asIntN(64, b[(fp + code[pc + 2]) >> 1] | b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x85: b[(fp + code[pc + 1]) >> 1] = BigInt.asIntN(64, b[(fp + code[pc + 2]) >> 1] ^ b[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0x86: { // shl
          const x = fp + code[pc + 2], z = fp + code[pc + 1];
          const k = r[fp + code[pc + 3]] & 63, lo = r[x], hi = r[x + 1];
          if (k === 0) { r[z] = lo; r[z + 1] = hi; }
          else if (k < 32) { r[z + 1] = (hi << k) | (lo >>> (32 - k)); r[z] = lo << k; }
          else { r[z + 1] = lo << (k - 32); r[z] = 0; }
          pc += 4;
          break;
        }
        case 0x87: { // shr_s
          const x = fp + code[pc + 2], z = fp + code[pc + 1];
          const k = r[fp + code[pc + 3]] & 63, lo = r[x], hi = r[x + 1];
          if (k === 0) { r[z] = lo; r[z + 1] = hi; }
          else if (k < 32) { r[z] = (lo >>> k) | (hi << (32 - k)); r[z + 1] = hi >> k; }
          else { r[z] = hi >> (k - 32); r[z + 1] = hi >> 31; }
          pc += 4;
          break;
        }
        case 0x88: { // shr_u
          const x = fp + code[pc + 2], z = fp + code[pc + 1];
          const k = r[fp + code[pc + 3]] & 63, lo = r[x], hi = r[x + 1];
          if (k === 0) { r[z] = lo; r[z + 1] = hi; }
          else if (k < 32) { r[z] = (lo >>> k) | (hi << (32 - k)); r[z + 1] = hi >>> k; }
          else { r[z] = hi >>> (k - 32); r[z + 1] = 0; }
          pc += 4;
          break;
        }
        case 0x89: case 0x8a: { // rotl, rotr on halves (BigInt rotates cost ~10x more in V8 11)
          const x = fp + code[pc + 2], z = fp + code[pc + 1];
          let k = r[fp + code[pc + 3]] & 63;
          if (code[pc] === 0x8a) k = (64 - k) & 63;
          let lo = r[x], hi = r[x + 1];
          if (k >= 32) { const t = lo; lo = hi; hi = t; k -= 32; }
          if (k === 0) { r[z] = lo; r[z + 1] = hi; }
          else { r[z] = (lo << k) | (hi >>> (32 - k)); r[z + 1] = (hi << k) | (lo >>> (32 - k)); }
          pc += 4;
          break;
        }

        // ---- f32 (abs/neg/copysign on bits, spec 4.3.3) ----
        case 0x5b: r[fp + code[pc + 1]] = f[fp + code[pc + 2]] === f[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x5c: r[fp + code[pc + 1]] = f[fp + code[pc + 2]] !== f[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x5d: r[fp + code[pc + 1]] = f[fp + code[pc + 2]] < f[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x5e: r[fp + code[pc + 1]] = f[fp + code[pc + 2]] > f[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x5f: r[fp + code[pc + 1]] = f[fp + code[pc + 2]] <= f[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x60: r[fp + code[pc + 1]] = f[fp + code[pc + 2]] >= f[fp + code[pc + 3]] ? 1 : 0; pc += 4; break;
        case 0x8b: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] & 0x7fffffff; pc += 3; break;
        case 0x8c: r[fp + code[pc + 1]] = r[fp + code[pc + 2]] ^ -0x80000000; pc += 3; break;
        case 0x8d: f[fp + code[pc + 1]] = Math.ceil(f[fp + code[pc + 2]]); pc += 3; break;
        case 0x8e: f[fp + code[pc + 1]] = Math.floor(f[fp + code[pc + 2]]); pc += 3; break;
        case 0x8f: f[fp + code[pc + 1]] = Math.trunc(f[fp + code[pc + 2]]); pc += 3; break;
        case 0x90: f[fp + code[pc + 1]] = F32.nearest(f[fp + code[pc + 2]]); pc += 3; break;
        case 0x91: f[fp + code[pc + 1]] = Math.sqrt(f[fp + code[pc + 2]]); pc += 3; break;
        case 0x92: f[fp + code[pc + 1]] = f[fp + code[pc + 2]] + f[fp + code[pc + 3]]; pc += 4; break;
        case 0x93: f[fp + code[pc + 1]] = f[fp + code[pc + 2]] - f[fp + code[pc + 3]]; pc += 4; break;
        case 0x94: f[fp + code[pc + 1]] = f[fp + code[pc + 2]] * f[fp + code[pc + 3]]; pc += 4; break;
        case 0x95: f[fp + code[pc + 1]] = f[fp + code[pc + 2]] / f[fp + code[pc + 3]]; pc += 4; break;
        case 0x96: f[fp + code[pc + 1]] = F32.min(f[fp + code[pc + 2]], f[fp + code[pc + 3]]); pc += 4; break;
        case 0x97: f[fp + code[pc + 1]] = F32.max(f[fp + code[pc + 2]], f[fp + code[pc + 3]]); pc += 4; break;
        case 0x98: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] & 0x7fffffff) | (r[fp + code[pc + 3]] & -0x80000000); pc += 4; break;

        // ---- f64 (abs/neg/copysign on the high half) ----
        case 0x61: r[fp + code[pc + 1]] = d[(fp + code[pc + 2]) >> 1] === d[(fp + code[pc + 3]) >> 1] ? 1 : 0; pc += 4; break;
        case 0x62: r[fp + code[pc + 1]] = d[(fp + code[pc + 2]) >> 1] !== d[(fp + code[pc + 3]) >> 1] ? 1 : 0; pc += 4; break;
        case 0x63: r[fp + code[pc + 1]] = d[(fp + code[pc + 2]) >> 1] < d[(fp + code[pc + 3]) >> 1] ? 1 : 0; pc += 4; break;
        case 0x64: r[fp + code[pc + 1]] = d[(fp + code[pc + 2]) >> 1] > d[(fp + code[pc + 3]) >> 1] ? 1 : 0; pc += 4; break;
        case 0x65: r[fp + code[pc + 1]] = d[(fp + code[pc + 2]) >> 1] <= d[(fp + code[pc + 3]) >> 1] ? 1 : 0; pc += 4; break;
        case 0x66: r[fp + code[pc + 1]] = d[(fp + code[pc + 2]) >> 1] >= d[(fp + code[pc + 3]) >> 1] ? 1 : 0; pc += 4; break;
        case 0x99: { const x = fp + code[pc + 2], z = fp + code[pc + 1]; r[z] = r[x]; r[z + 1] = r[x + 1] & 0x7fffffff; pc += 3; break; }
        case 0x9a: { const x = fp + code[pc + 2], z = fp + code[pc + 1]; r[z] = r[x]; r[z + 1] = r[x + 1] ^ -0x80000000; pc += 3; break; }
        case 0x9b: d[(fp + code[pc + 1]) >> 1] = F64.ceil(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0x9c: d[(fp + code[pc + 1]) >> 1] = F64.floor(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0x9d: d[(fp + code[pc + 1]) >> 1] = F64.trunc(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0x9e: d[(fp + code[pc + 1]) >> 1] = F64.nearest(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0x9f: d[(fp + code[pc + 1]) >> 1] = Math.sqrt(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0xa0: d[(fp + code[pc + 1]) >> 1] = d[(fp + code[pc + 2]) >> 1] + d[(fp + code[pc + 3]) >> 1]; pc += 4; break;
        case 0xa1: d[(fp + code[pc + 1]) >> 1] = d[(fp + code[pc + 2]) >> 1] - d[(fp + code[pc + 3]) >> 1]; pc += 4; break;
        case 0xa2: d[(fp + code[pc + 1]) >> 1] = d[(fp + code[pc + 2]) >> 1] * d[(fp + code[pc + 3]) >> 1]; pc += 4; break;
        case 0xa3: d[(fp + code[pc + 1]) >> 1] = d[(fp + code[pc + 2]) >> 1] / d[(fp + code[pc + 3]) >> 1]; pc += 4; break;
        case 0xa4: d[(fp + code[pc + 1]) >> 1] = F64.min(d[(fp + code[pc + 2]) >> 1], d[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0xa5: d[(fp + code[pc + 1]) >> 1] = F64.max(d[(fp + code[pc + 2]) >> 1], d[(fp + code[pc + 3]) >> 1]); pc += 4; break;
        case 0xa6: {
          const x = fp + code[pc + 2], y = fp + code[pc + 3], z = fp + code[pc + 1];
          r[z] = r[x];
          r[z + 1] = (r[x + 1] & 0x7fffffff) | (r[y + 1] & -0x80000000);
          pc += 4;
          break;
        }

        // ---- conversions ----
        case 0xa7: r[fp + code[pc + 1]] = r[fp + code[pc + 2]]; pc += 3; break; // wrap: low half
        case 0xa8: case 0xa9: {
          const v = f[fp + code[pc + 2]];
          r[fp + code[pc + 1]] = code[pc] === 0xa8 ? CV.i32_trunc_f32_s(v) : CV.i32_trunc_f32_u(v);
          pc += 3;
          break;
        }
        case 0xaa: case 0xab: {
          const v = d[(fp + code[pc + 2]) >> 1];
          r[fp + code[pc + 1]] = code[pc] === 0xaa ? CV.i32_trunc_f64_s(v) : CV.i32_trunc_f64_u(v);
          pc += 3;
          break;
        }
        case 0xac: { const v = r[fp + code[pc + 2]], z = fp + code[pc + 1]; r[z] = v; r[z + 1] = v >> 31; pc += 3; break; }
        case 0xad: { const v = r[fp + code[pc + 2]], z = fp + code[pc + 1]; r[z] = v; r[z + 1] = 0; pc += 3; break; }
        case 0xae: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_f32_s(f[fp + code[pc + 2]]); pc += 3; break;
        case 0xaf: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_f32_u(f[fp + code[pc + 2]]); pc += 3; break;
        case 0xb0: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_f64_s(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0xb1: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_f64_u(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0xb2: f[fp + code[pc + 1]] = r[fp + code[pc + 2]]; pc += 3; break;
        case 0xb3: f[fp + code[pc + 1]] = r[fp + code[pc + 2]] >>> 0; pc += 3; break;
        case 0xb4: { const x = fp + code[pc + 2]; f[fp + code[pc + 1]] = CV.f32_convert_s64_halves(r[x], r[x + 1]); pc += 3; break; }
        case 0xb5: { const x = fp + code[pc + 2]; f[fp + code[pc + 1]] = CV.f32_convert_u64_halves(r[x], r[x + 1]); pc += 3; break; }
        case 0xb6: f[fp + code[pc + 1]] = d[(fp + code[pc + 2]) >> 1]; pc += 3; break;
        case 0xb7: d[(fp + code[pc + 1]) >> 1] = r[fp + code[pc + 2]]; pc += 3; break;
        case 0xb8: d[(fp + code[pc + 1]) >> 1] = r[fp + code[pc + 2]] >>> 0; pc += 3; break;
        case 0xb9: { const x = fp + code[pc + 2]; d[(fp + code[pc + 1]) >> 1] = CV.f64_convert_s64_halves(r[x], r[x + 1]); pc += 3; break; }
        case 0xba: { const x = fp + code[pc + 2]; d[(fp + code[pc + 1]) >> 1] = CV.f64_convert_u64_halves(r[x], r[x + 1]); pc += 3; break; }
        case 0xbb: d[(fp + code[pc + 1]) >> 1] = f[fp + code[pc + 2]]; pc += 3; break;
        case 0xbc: case 0xbe: r[fp + code[pc + 1]] = r[fp + code[pc + 2]]; pc += 3; break; // reinterpret: bits unchanged
        case 0xbd: case 0xbf: { const x = fp + code[pc + 2], z = fp + code[pc + 1]; r[z] = r[x]; r[z + 1] = r[x + 1]; pc += 3; break; }
        case 0xc0: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] << 24) >> 24; pc += 3; break;
        case 0xc1: r[fp + code[pc + 1]] = (r[fp + code[pc + 2]] << 16) >> 16; pc += 3; break;
        case 0xc2: case 0xc3: case 0xc4: {
          const op = code[pc], v = r[fp + code[pc + 2]], z = fp + code[pc + 1];
          const lo = op === 0xc2 ? (v << 24) >> 24 : op === 0xc3 ? (v << 16) >> 16 : v;
          r[z] = lo;
          r[z + 1] = lo >> 31;
          pc += 3;
          break;
        }
        // saturating truncation (0xFC 0..7 → 0xe0..0xe7)
        case 0xe0: r[fp + code[pc + 1]] = CV.i32_trunc_sat_f32_s(f[fp + code[pc + 2]]); pc += 3; break;
        case 0xe1: r[fp + code[pc + 1]] = CV.i32_trunc_sat_f32_u(f[fp + code[pc + 2]]); pc += 3; break;
        case 0xe2: r[fp + code[pc + 1]] = CV.i32_trunc_sat_f64_s(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0xe3: r[fp + code[pc + 1]] = CV.i32_trunc_sat_f64_u(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0xe4: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_sat_f32_s(f[fp + code[pc + 2]]); pc += 3; break;
        case 0xe5: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_sat_f32_u(f[fp + code[pc + 2]]); pc += 3; break;
        case 0xe6: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_sat_f64_s(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;
        case 0xe7: b[(fp + code[pc + 1]) >> 1] = CV.i64_trunc_sat_f64_u(d[(fp + code[pc + 2]) >> 1]); pc += 3; break;

        default:
          throw new InternalError('bad-ir', `unknown IR opcode 0x${code[pc].toString(16)} at ${pc}`);
      }
    }
  } catch (e) {
    th.cur = cur; th.pc = pc; th.fp = fp; th.depth = depth; th.fuel = fuel + reserve; th.fuelUsed += startFuel - th.fuel;
    throw e;
  }
}

