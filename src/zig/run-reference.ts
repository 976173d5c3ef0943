// Reference runs of a compiled graph runner, for fidelity checks and until the project's own engine and
// WASI host take over: the wasm under Node's node:wasi, and the native build as a child process. Both
// get the same args, environment and package directory (the cwd, preopened as "." for WASI). Node-only.

import { execFile } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WASI } from 'node:wasi';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Arguments after argv[0] (e.g. -Dname=value). */
  args: string[];
  env: Record<string, string>;
  /** Package root: cwd of the native run, preopen "." of the WASI run. */
  dir: string;
}

/** Run build.wasm under node:wasi. Its stdout/stderr go through temp files (node:wasi writes to fds). */
export async function runWasmNodeWasi(wasm: Uint8Array, opts: RunOptions): Promise<RunResult> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-wasi-'));
  const outPath = path.join(scratch, 'stdout');
  const errPath = path.join(scratch, 'stderr');
  const out = openSync(outPath, 'w+');
  const err = openSync(errPath, 'w+');
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: ['build', ...opts.args],
      env: opts.env,
      preopens: { '.': opts.dir },
      stdout: out,
      stderr: err,
      returnOnExit: true,
    });
    const mod = await WebAssembly.compile(new Uint8Array(wasm));
    const inst = await WebAssembly.instantiate(mod, wasi.getImportObject() as WebAssembly.Imports);
    let status: number;
    try {
      status = wasi.start(inst);
    } catch (e) {
      // A trap (e.g. `unreachable` after a panic) ends the run like a crash.
      status = 134;
      return { status, stdout: readFileSync(outPath, 'utf8'), stderr: `${readFileSync(errPath, 'utf8')}${String(e)}\n` };
    }
    return { status, stdout: readFileSync(outPath, 'utf8'), stderr: readFileSync(errPath, 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
    await rm(scratch, { recursive: true, force: true });
  }
}

export function runNative(exe: string, opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(exe, opts.args, { cwd: opts.dir, env: opts.env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}
