// The `spectest` host module the spec scripts import from (spec interpreter host/spectest.ml).
// The embedding API has no "create a memory/table/global" call, so the globals, table and memory come from
// a tiny wasm module instantiated on the engine under test; it also re-exports the print functions (host
// functions that do nothing), which gives them a fixed wasm signature that import matching checks on any
// engine. Engine-neutral by construction.

import { hostFunc } from '../api.ts';
import type { Engine, Extern, HostFunc } from '../api.ts';
import { F32, F64, I32, I64 } from '../syntax/types.ts';
import type { ValType } from '../syntax/types.ts';
import { watToBinary } from './wast.ts';

const PRINTS: [string, ValType[]][] = [
  ['print', []],
  ['print_i32', [I32]],
  ['print_i64', [I64]],
  ['print_f32', [F32]],
  ['print_f64', [F64]],
  ['print_i32_f32', [I32, F32]],
  ['print_f64_f64', [F64, F64]],
];

const NAMES: Record<ValType, string> = { [I32]: 'i32', [I64]: 'i64', [F32]: 'f32', [F64]: 'f64' };

const SPECTEST_WAT = `(module
${PRINTS.map(([n, ps]) => `  (import "host" "${n}" (func $${n} (param ${ps.map((p) => NAMES[p]).join(' ')})))`).join('\n')}
${PRINTS.map(([n]) => `  (export "${n}" (func $${n}))`).join('\n')}
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2))`;

let binary: Promise<Uint8Array> | undefined;

/** The spectest module binary (compiled once per process). */
export function spectestBinary(): Promise<Uint8Array> {
  return (binary ??= watToBinary(SPECTEST_WAT, 'spectest.wat'));
}

function printFuncs(): Record<string, HostFunc> {
  const out: Record<string, HostFunc> = {};
  for (const [name, params] of PRINTS) out[name] = hostFunc({ params, results: [] }, () => undefined);
  return out;
}

/** A fresh spectest instance's exports on `engine` (one per script: scripts may write its memory). */
export async function spectestExports(engine: Engine): Promise<Record<string, Extern>> {
  const mod = engine.compile(await spectestBinary());
  return engine.instantiate(mod, { host: printFuncs() }).exports;
}
