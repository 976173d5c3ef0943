// The benchmark programs: bench/programs/<name>.c, built by bench/build.sh into bench/wasm/<name>.wasm.
// Each exports `run(n: i32) -> i64` returning a checksum. `n` is picked so that one call takes roughly
// 100 ms on Node 20's native WebAssembly (V8 TurboFan) on the AMD EPYC machines this project runs on.

export interface BenchProgram {
  name: string;
  /** The argument to `run`. */
  n: number;
  /** What the program stresses, for the table in README.md and the --list output. */
  stresses: string;
}

export const PROGRAMS: readonly BenchProgram[] = [
  { name: 'crc-hash', n: 500, stresses: 'u8 loads, table lookups, i64 mul/rotate (CRC-32, FNV-1a, xxHash64-style)' },
  { name: 'matmul', n: 80, stresses: 'f64 mul/add, f64 loads/stores, nested loops (160x160 matrices)' },
  { name: 'sort', n: 10, stresses: 'branches, i32 memory traffic, recursion (quicksort + mergesort of 100k i32)' },
  { name: 'expr-vm', n: 10_000, stresses: 'tokenizer + parser + switch-dispatched bytecode VM: br_table, branches' },
  { name: 'recursion', n: 25, stresses: 'calls: fib, Ackermann(3,8), a 5,000-deep chain, call_indirect tree walk' },
  { name: 'nbody', n: 2_000, stresses: 'f64 arithmetic, f64.sqrt, division (2M n-body steps)' },
  { name: 'mandelbrot', n: 4, stresses: 'f32 arithmetic and compares, int/float conversion' },
  { name: 'i64-mix', n: 12_000_000, stresses: 'i64: xoshiro256**, popcnt/clz/ctz, rotl, div/rem, __multi3' },
];
