// Determinism: with a fixed clock and seeded random, two runs of the same module, package and policy give
// byte-identical JSON Lines traces, on each engine and across the two engines. The control case (real
// random) must differ, which shows the trace really carries the nondeterministic values.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../interp/api.ts';
import { interpEngine } from '../interp/engine.ts';
import { nativeEngine } from '../interp/native/index.ts';
import { parsePolicy, type Policy } from '../policy/schema.ts';
import { MemFS } from './fs.ts';
import { runWasi } from './runner.ts';

const WAT = `(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $stat (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $envsz (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "out.txt")
  (func $write_stamp (param $fd i32)
    (drop (call $clock (i32.const 0) (i64.const 0) (i32.const 200)))
    (drop (call $random (i32.const 208) (i32.const 16)))
    (i32.store (i32.const 400) (i32.const 200))
    (i32.store (i32.const 404) (i32.const 24))
    (drop (call $write (local.get $fd) (i32.const 400) (i32.const 1) (i32.const 408))))
  (func $main (export "_start")
    (local $fd i32)
    (drop (call $envsz (i32.const 600) (i32.const 604)))
    (drop (call $open (i32.const 3) (i32.const 1) (i32.const 100) (i32.const 7) (i32.const 9)
      (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 300)))
    (local.set $fd (i32.load (i32.const 300)))
    (call $write_stamp (local.get $fd))
    (call $write_stamp (i32.const 1))
    (drop (call $close (local.get $fd)))
    (drop (call $stat (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 7) (i32.const 500)))
    (drop (call $readdir (i32.const 3) (i32.const 1024) (i32.const 1024) (i64.const 0) (i32.const 700)))
    (call $exit (i32.const 7))))`;

let wasmBytes: Uint8Array | undefined;
async function wasm(): Promise<Uint8Array> {
  if (!wasmBytes) {
    const wabt = await (await import('wabt')).default();
    const m = wabt.parseWat('det.wat', WAT);
    m.resolveNames();
    m.validate();
    wasmBytes = new Uint8Array(m.toBinary({ write_debug_names: true }).buffer);
  }
  return wasmBytes;
}

const fixed = parsePolicy({ version: 1, default: 'allow', env: { allow: ['A*'] }, clock: { mode: 'fixed' }, random: { mode: 'seeded', seed: 42 } });
const realRandom = parsePolicy({ version: 1, default: 'allow', env: { allow: ['A*'] }, clock: { mode: 'fixed' }, random: { mode: 'real' } });

async function traceOf(engine: Engine, policy: Policy, captureStack = false): Promise<{ jsonl: string; code: number }> {
  const fs = new MemFS({ now: () => 0n });
  fs.createFile(fs.root, 'input.txt', new TextEncoder().encode('hello'));
  const r = runWasi(engine, await wasm(), {
    fs, policy, args: ['det.wasm'], env: { A: '1', AB: '2', SECRET: 'x' }, preopens: [{ guest: '/' }], captureStack,
  });
  return { jsonl: r.host.trace?.toJsonl() ?? '', code: r.exitCode };
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const engines: [string, Engine][] = [['native', nativeEngine], ['interp', interpEngine]];

describe('deterministic traces', () => {
  for (const [name, engine] of engines) {
    it(`two runs on ${name} give identical trace hashes`, async () => {
      const a = await traceOf(engine, fixed);
      const b = await traceOf(engine, fixed);
      expect(a.code).toBe(7);
      expect(a.jsonl.split('\n').length).toBeGreaterThan(10);
      expect(sha(a.jsonl)).toBe(sha(b.jsonl));
    });
  }

  it('the interp and native traces are byte-identical', async () => {
    const a = await traceOf(nativeEngine, fixed);
    const b = await traceOf(interpEngine, fixed);
    expect(sha(b.jsonl)).toBe(sha(a.jsonl));
  });

  it('control: with real random the traces differ', async () => {
    const a = await traceOf(nativeEngine, realRandom);
    const b = await traceOf(nativeEngine, realRandom);
    expect(sha(a.jsonl)).not.toBe(sha(b.jsonl));
  });

  it('on interp each record carries the guest stack with function names', async () => {
    const { jsonl } = await traceOf(interpEngine, fixed, true);
    const recs = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { fn: string; stack?: { name?: string }[] });
    const rnd = recs.find((r) => r.fn === 'random_get');
    expect(rnd?.stack?.map((f) => f.name)).toEqual(expect.arrayContaining(['main', 'write_stamp']));
  });
});

// Real toolchain output (Rust std, wasi-libc) from the WASI testsuite; skipped when the suite is absent.
const SUITE = new URL('../../../shared/wasi-testsuite/tests/', import.meta.url);
const REAL = ['rust/testsuite/wasm32-wasip1/fd_readdir', 'c/testsuite/wasm32-wasip1/stat-dev-ino', 'rust/testsuite/wasm32-wasip1/big_random_buf'];

describe.each(REAL)('deterministic traces of %s', (name) => {
  const wasmPath = fileURLToPath(new URL(`${name}.wasm`, SUITE));
  it.skipIf(!existsSync(wasmPath))('are identical across runs and engines', () => {
    const bytes = new Uint8Array(readFileSync(wasmPath));
    const hashes: string[] = [];
    for (const engine of [nativeEngine, interpEngine, nativeEngine, interpEngine]) {
      const fs = new MemFS({ now: () => 0n });
      for (const f of ['file', 'lseek.txt']) fs.createFile(fs.root, f, new TextEncoder().encode('content'));
      fs.mkdir(fs.root, 'writeable');
      const r = runWasi(engine, bytes, { fs, policy: fixed, args: [name], preopens: [{ guest: '/' }], fuel: engine.name === 'interp' ? 1e10 : undefined });
      expect(r.exitCode).toBe(0);
      hashes.push(sha(r.host.trace?.toJsonl() ?? ''));
    }
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size).toBe(1);
  });
});
