// Run with `npx vitest run --root . --config bench/vitest.config.ts` (see stats.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import type { CompiledModule, Engine, Instance, RunResult } from '../src/interp/api.ts';
import { BenchRunError, interpRunner, loadInterp, nativeRunner } from './engines.ts';

async function wat(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat('t.wat', text);
  return new Uint8Array(mod.toBinary({}).buffer);
}

/** An Engine whose instances answer every run with `result`. */
function fakeEngine(result: RunResult): Engine {
  const instance = { run: () => result, fuelUsed: 42 } as unknown as Instance;
  return {
    name: 'interp',
    compile: () => ({ module: undefined, imports: [], exports: [] }) as CompiledModule,
    instantiate: () => instance,
  };
}

describe('nativeRunner', () => {
  it('returns an i64 result as a signed bigint', async () => {
    const bytes = await wat('(module (func (export "run") (param i32) (result i64) (i64.extend_i32_s (local.get 0))))');
    const t = nativeRunner(bytes).run(-5);
    expect(t.checksum).toBe(-5n);
    expect(t.ms).toBeGreaterThanOrEqual(0);
  });
});

describe('interpRunner', () => {
  it('normalizes an unsigned-looking i64 to signed, and passes fuelUsed on', () => {
    const t = interpRunner(fakeEngine({ status: 'done', results: [2n ** 64n - 1n] }), new Uint8Array()).run(1);
    expect(t.checksum).toBe(-1n);
    expect(t.fuel).toBe(42);
  });
  it('turns a non-done run into a BenchRunError naming the status', () => {
    const r = interpRunner(fakeEngine({ status: 'out-of-fuel' }), new Uint8Array());
    expect(() => r.run(1)).toThrow(BenchRunError);
    expect(() => r.run(1)).toThrow(/out of fuel/);
  });
  it('rejects a non-integer result', () => {
    const r = interpRunner(fakeEngine({ status: 'done', results: [1.5] }), new Uint8Array());
    expect(() => r.run(1)).toThrow(/expected an integer/);
  });
});

describe('loadInterp', () => {
  afterEach(() => {
    delete process.env.SANDBUILD_BENCH_INTERP;
  });
  it('reports a missing module instead of throwing', async () => {
    process.env.SANDBUILD_BENCH_INTERP = '/nonexistent/interp.ts';
    const loaded = await loadInterp();
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toMatch(/does not exist/);
  });
});
