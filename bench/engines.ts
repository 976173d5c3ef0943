// The two ways a benchmark program is run: Node's own WebAssembly (V8), and our interpreter through the
// Engine interface of src/interp/api.ts. Both hand back the checksum as a bigint and the time of the
// `run` call alone: compiling and instantiating are outside the timed region.

import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Engine, RunResult } from '../src/interp/api.ts';

export interface Timed {
  checksum: bigint;
  ms: number;
  /** Fuel units the interpreter counted for the call (its executed instructions), when it reports them. */
  fuel?: number;
}

export interface Runner {
  /** Time spent decoding/validating (interp) or compiling (native) the module, once. */
  readonly compileMs: number;
  /** Instantiates a fresh instance (untimed) and times one call of `run(n)`. */
  run(n: number): Timed;
}

export class BenchRunError extends Error {
  override name = 'BenchRunError';
}

/** Normalizes a result to a signed 64-bit bigint, so an i64 from either engine compares equal. */
function toChecksum(v: unknown, who: string): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new BenchRunError(`${who}: run returned ${typeof v} ${String(v)}, expected an integer`);
}

export type Clock = 'cpu' | 'wall';
let clock: Clock = 'cpu';
/**
 * Which time a run is measured in. CPU time (user + system of this process) is the default: on a shared
 * machine, wall time also counts the time spent waiting for a core, which inflated native times 2-3x in
 * our runs. On an idle machine the two agree for these single-threaded programs.
 */
export function setClock(c: Clock): void {
  clock = c;
}
function now(): number {
  if (clock === 'wall') return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function nativeRunner(bytes: Uint8Array<ArrayBuffer>): Runner {
  const t0 = performance.now();
  const mod = new WebAssembly.Module(bytes);
  const compileMs = performance.now() - t0;
  return {
    compileMs,
    run(n) {
      const instance = new WebAssembly.Instance(mod, {});
      const fn = instance.exports.run;
      if (typeof fn !== 'function') throw new BenchRunError('native: the module does not export a function "run"');
      const start = now();
      const result: unknown = fn(n);
      const ms = now() - start;
      return { checksum: toChecksum(result, 'native'), ms };
    },
  };
}

function describe(result: RunResult): string {
  switch (result.status) {
    case 'done':
      return 'done';
    case 'trap':
      return `trap (${result.trap.kind}): ${result.trap.message}`;
    case 'suspended':
      return `suspended at host call ${result.call.module}.${result.call.name}`;
    case 'out-of-fuel':
      return 'out of fuel';
  }
}

export function interpRunner(engine: Engine, bytes: Uint8Array): Runner {
  const t0 = performance.now();
  const mod = engine.compile(bytes);
  const compileMs = performance.now() - t0;
  return {
    compileMs,
    run(n) {
      const instance = engine.instantiate(mod, {});
      const start = now();
      const result = instance.run('run', [n]);
      const ms = now() - start;
      if (result.status !== 'done') throw new BenchRunError(`interp: run ended with ${describe(result)}`);
      if (result.results.length !== 1) {
        throw new BenchRunError(`interp: run returned ${result.results.length} values, expected 1`);
      }
      // A fresh instance, so fuelUsed is this call's count. It is counted even when unmetered.
      const fuel = instance.fuelUsed > 0 ? instance.fuelUsed : undefined;
      return { checksum: toChecksum(result.results[0], 'interp'), ms, fuel };
    },
  };
}

/** Where the interpreter lives; SANDBUILD_BENCH_INTERP may point at another module with the same export. */
function interpModuleUrl(): URL {
  const override = process.env.SANDBUILD_BENCH_INTERP;
  if (override) return pathToFileURL(override);
  return new URL('../src/interp/index.ts', import.meta.url);
}

export type InterpLoad = { ok: true; engine: Engine; from: string } | { ok: false; reason: string };

/**
 * Imports `interpEngine` lazily, so the benchmark still reports native times while the interpreter is
 * missing or broken. The path is computed, not a literal, so that typechecking bench/ does not depend on
 * src/interp/index.ts existing.
 */
export async function loadInterp(): Promise<InterpLoad> {
  const url = interpModuleUrl();
  const from = fileURLToPath(url);
  if (!existsSync(from)) return { ok: false, reason: `${from} does not exist` };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, reason: `importing ${from} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const engine = mod.interpEngine as Partial<Engine> | undefined;
  if (!engine || typeof engine.compile !== 'function' || typeof engine.instantiate !== 'function') {
    return { ok: false, reason: `${from} does not export an Engine named interpEngine` };
  }
  return { ok: true, engine: engine as Engine, from };
}
