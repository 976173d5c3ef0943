// Reference runs of a compiled graph runner, for fidelity checks and until the project's own engine and
// WASI host take over: the wasm under Node's node:wasi, and the native build as a child process. Both
// get the same args, environment and package directory (the cwd, preopened as "." for WASI). Node-only.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

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

// node:wasi in a child process: uvwasi closes the fds it was handed when the WASI object is collected,
// which in-process can close an unrelated, reused fd (e.g. a test runner's IPC pipe). A child owns its stdio.
const WASI_CHILD = `
const { WASI } = require('node:wasi');
const { readFileSync } = require('node:fs');
const [wasmPath, dir, envJson, ...args] = process.argv.slice(1);
const wasi = new WASI({ version: 'preview1', args: ['build', ...args], env: JSON.parse(envJson), preopens: { '.': dir }, returnOnExit: true });
WebAssembly.instantiate(readFileSync(wasmPath), wasi.getImportObject()).then(({ instance }) => {
  process.exitCode = wasi.start(instance);
});
`;

/** Run build.wasm under node:wasi (in a child process) with the package directory preopened as ".". */
export async function runWasmNodeWasi(wasm: Uint8Array, opts: RunOptions): Promise<RunResult> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbuild-wasi-'));
  const wasmPath = path.join(scratch, 'build.wasm');
  try {
    await writeFile(wasmPath, wasm);
    return await new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--no-warnings', '-e', WASI_CHILD, wasmPath, opts.dir, JSON.stringify(opts.env), ...opts.args],
        { maxBuffer: 64 << 20, env: {} },
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ status, stdout, stderr });
        },
      );
    });
  } finally {
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
