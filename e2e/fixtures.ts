// Packages made in the test process for the UI's error and hostile-input paths. Their build.wasm is a
// tiny hand-written module (WAT, assembled with wabt) that prints a fixed text on stdout, traps, or
// exits, so the tests need no Zig toolchain and control exactly what the "build script" emits.

import { gzipSync } from 'fflate';
import { packTar, type TarHeader } from 'modern-tar';

const MTIME = new Date(Date.UTC(1980, 0, 1));

/** A WAT string literal holding arbitrary bytes (every byte hex-escaped, so nothing needs quoting). */
function watBytes(bytes: Uint8Array): string {
  return `"${Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}"`;
}

/** print: write text to stdout (after `syscalls` calls to sched_yield, to load the trace); trap; or exit. */
export type GuestBehaviour = { print: string; syscalls?: number } | { trap: true } | { exit: number; stderr?: string };

/** Assemble a wasm32-wasi command that does one thing. */
export async function guestWasm(b: GuestBehaviour): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default();
  const enc = new TextEncoder();
  const text = 'print' in b ? enc.encode(b.print) : 'exit' in b ? enc.encode(b.stderr ?? '') : new Uint8Array(0);
  const fd = 'print' in b ? 1 : 2;
  const spin = 'print' in b && b.syscalls
    ? `(block $done (loop $l
         (br_if $done (i32.ge_u (local.get $i) (i32.const ${b.syscalls})))
         (drop (call $sched_yield))
         (local.set $i (i32.add (local.get $i) (i32.const 1)))
         (br $l)))`
    : '';
  const body =
    'trap' in b
      ? 'unreachable'
      : `${spin}
         (i32.store (i32.const 0) (i32.const 64))
         (i32.store (i32.const 4) (i32.const ${text.length}))
         (drop (call $fd_write (i32.const ${fd}) (i32.const 0) (i32.const 1) (i32.const 8)))
         ${'exit' in b ? `(call $proc_exit (i32.const ${b.exit}))` : ''}`;
  const pages = Math.max(1, Math.ceil((64 + text.length) / 65536));
  const wat = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
    (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
    (memory (export "memory") ${pages})
    (data (i32.const 64) ${watBytes(text)})
    (func (export "_start") (local $i i32) ${body}))`;
  const mod = wabt.parseWat('guest.wat', wat);
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/** A .tar.gz package: build.zig plus, unless `wasm` is null, .sandbuild/build.wasm. */
export async function packageTarball(wasm: Uint8Array | null, buildZig = 'pub fn build(b: *@import("std").Build) void { _ = b; }\n'): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const h = (name: string, size: number, type: 'file' | 'directory'): TarHeader => ({ name, size, type, mtime: MTIME, mode: type === 'file' ? 0o644 : 0o755, uid: 0, gid: 0 });
  const zig = enc.encode(buildZig);
  const entries: { header: TarHeader; body: Uint8Array }[] = [{ header: h('build.zig', zig.length, 'file'), body: zig }];
  if (wasm) entries.push({ header: h('.sandbuild/', 0, 'directory'), body: new Uint8Array(0) }, { header: h('.sandbuild/build.wasm', wasm.length, 'file'), body: wasm });
  return gzipSync(await packTar(entries), { mtime: MTIME });
}

export const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_ARG = '"><script>window.__pwned=2</script>';

/** A valid graph whose strings try to inject markup: a step name, a description, an argv entry. */
export function hostileGraph(): string {
  return JSON.stringify({
    version: 1, zig_version: '0.14.0', host: 'x86_64-linux-gnu', install_prefix: 'zig-out', default_step: 0,
    options: [{ name: '<b>opt</b>', type: 'bool', description: '<script>window.__pwned=3</script>', value: null }],
    top_level_steps: [{ name: 'install', description: HOSTILE_NAME, step: 0 }],
    missing_lazy_dependencies: [],
    steps: [
      { id: 0, name: 'install', kind: 'top_level', package: '', deps: [1], data: { description: HOSTILE_NAME }, caps: [] },
      {
        id: 1, name: HOSTILE_NAME, kind: 'run', package: '', deps: [],
        data: { command: 'system', argv: [{ text: 'sh' }, { text: HOSTILE_ARG }], cwd: null, env: [], stdio: 'inherit', has_side_effects: true },
        caps: [{ kind: 'exec', target: HOSTILE_NAME, detail: 'system' }],
      },
    ],
  });
}
