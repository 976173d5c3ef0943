// A package for the step-through tests that the examples cannot give: a build script that computes for a
// long stretch without a single syscall (so a move must be sliced to be paused), then prints a one-step
// graph. Its build.wasm is a few lines of WAT, assembled with wabt in the test process.

import { packageTarball } from './fixtures.ts';

/** The smallest valid graph: one top-level install step. */
export const ONE_STEP_GRAPH = JSON.stringify({
  version: 1, zig_version: '0.14.0', host: 'x86_64-linux-gnu', install_prefix: 'zig-out', default_step: 0,
  options: [], top_level_steps: [{ name: 'install', description: 'Copy build artifacts to prefix path', step: 0 }],
  missing_lazy_dependencies: [],
  steps: [{ id: 0, name: 'install', kind: 'top_level', package: '', deps: [], data: { description: 'Copy build artifacts to prefix path' }, caps: [] }],
});

/** A wasm32-wasi command: `iterations` turns of an empty loop, then the graph on stdout (one fd_write). */
export async function spinWasm(iterations: number): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default();
  const text = new TextEncoder().encode(ONE_STEP_GRAPH);
  const bytes = `"${Array.from(text, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}"`;
  const wat = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 64) ${bytes})
    (func $spin (param $n i32) (local $i i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))
    (func (export "_start")
      (call $spin (i32.const ${iterations >>> 0}))
      (i32.store (i32.const 0) (i32.const 64))
      (i32.store (i32.const 4) (i32.const ${text.length}))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
  const mod = wabt.parseWat('spin.wat', wat);
  try {
    return new Uint8Array(mod.toBinary({ write_debug_names: true }).buffer);
  } finally {
    mod.destroy();
  }
}

export async function spinPackage(iterations: number): Promise<Uint8Array> {
  return packageTarball(await spinWasm(iterations));
}
