// WASI preview1 conformance: runs the wasm32-wasip1 tests of ../shared/wasi-testsuite (or
// $WASI_TESTSUITE_DIR) on both engines, following the suite's doc/specification.md: the test's `root` is
// copied into the in-memory FS and preopened as '/', args as given, env holding only the listed keys; the
// exit code and stdout are checked. Prints one line per test and engine, then
//   wasi[interp]: N passed, M failed
//   wasi[native]: N passed, M failed
// Exit status 1 when any test failed. An engine that is not available is reported as skipped.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/interp/api.ts';
import { copyHostDir } from '../src/cli/host-dir.ts';
import { MemFS } from '../src/wasi-vfs/fs.ts';
import { runWasi } from '../src/wasi-vfs/runner.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const suiteDir = resolve(process.env.WASI_TESTSUITE_DIR ?? join(here, '../../shared/wasi-testsuite'));
const TIMEOUT_FUEL = 5_000_000_000;

interface Spec {
  args: string[];
  env: Record<string, string>;
  root: string | null;
  exitCode: number;
  stdout: string | null;
}

/** Legacy and operation-based specs (doc/specification.md) reduced to what a non-socket test needs. */
function readSpec(wasm: string): Spec {
  const jsonPath = wasm.replace(/\.wasm$/, '.json');
  // stdout is checked only when the spec gives it (a `read` op or a legacy "stdout" key): the reference
  // runner's legacy TestConfig defaults stdout to None, and tests such as poll_oneoff_stdio print
  // diagnostics without specifying any.
  const spec: Spec = { args: [], env: {}, root: null, exitCode: 0, stdout: null };
  if (!existsSync(jsonPath)) return spec;
  const j = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
  if (Array.isArray(j.operations)) {
    for (const op of j.operations as Record<string, unknown>[]) {
      if (op.type === 'run') {
        spec.args = (op.args as string[]) ?? [];
        spec.env = (op.env as Record<string, string>) ?? {};
        spec.root = (op.root as string) ?? null;
      } else if (op.type === 'wait') spec.exitCode = (op.exit_code as number) ?? 0;
      else if (op.type === 'read' && (op.id ?? 'stdout') === 'stdout') spec.stdout = (op.payload as string) ?? '';
    }
  } else {
    spec.args = (j.args as string[]) ?? [];
    spec.env = (j.env as Record<string, string>) ?? {};
    spec.root = (j.root as string) ?? null;
    spec.exitCode = (j.exit_code as number) ?? 0;
    spec.stdout = typeof j.stdout === 'string' ? j.stdout : null;
  }
  return spec;
}

export function findTests(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && !e.name.endsWith('.dir')) walk(p);
      else if (e.isFile() && e.name.endsWith('.wasm') && d.endsWith('wasm32-wasip1')) out.push(p);
    }
  };
  walk(join(suiteDir, 'tests'));
  return out.sort();
}

export function runOne(engine: Engine, wasm: string): { ok: boolean; why: string } {
  const spec = readSpec(wasm);
  const fs = new MemFS();
  if (spec.root) copyHostDir(fs, join(dirname(wasm), spec.root));
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  try {
    const r = runWasi(engine, new Uint8Array(readFileSync(wasm)), {
      fs,
      args: [basename(wasm), ...spec.args],
      env: spec.env,
      preopens: spec.root ? [{ guest: '/' }] : [],
      policy: undefined,
      trace: false,
      stdout: { write: (b) => stdout.push(b.slice()) },
      stderr: { write: (b) => stderr.push(b.slice()) },
      fuel: engine.name === 'interp' ? TIMEOUT_FUEL : undefined,
    });
    const out = Buffer.concat(stdout).toString('utf8');
    const err = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-3).join(' | ');
    if (r.outcome.status === 'trap') return { ok: false, why: `trap: ${r.outcome.trap.message}${err ? ` — ${err}` : ''}` };
    if (r.outcome.status === 'out-of-fuel') return { ok: false, why: 'out of fuel' };
    if (r.exitCode !== spec.exitCode) return { ok: false, why: `exit ${r.exitCode}, expected ${spec.exitCode}${err ? ` — ${err}` : ''}` };
    if (spec.stdout !== null && out !== spec.stdout) return { ok: false, why: `stdout ${JSON.stringify(out.slice(0, 80))}, expected ${JSON.stringify(spec.stdout)}` };
    return { ok: true, why: '' };
  } catch (e) {
    return { ok: false, why: `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
  }
}

async function loadEngine(name: 'interp' | 'native'): Promise<Engine | undefined> {
  try {
    if (name === 'native') return (await import('../src/interp/native/index.ts')).nativeEngine;
    const m = (await import('../src/interp/index.ts')) as { interpEngine?: Engine };
    return m.interpEngine;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  if (!existsSync(join(suiteDir, 'tests'))) {
    console.log(`wasi-testsuite not found at ${suiteDir} (set WASI_TESTSUITE_DIR); skipping WASI conformance`);
    console.log('wasi[interp]: 0 passed, 0 failed');
    console.log('wasi[native]: 0 passed, 0 failed');
    return 0;
  }
  const tests = findTests();
  const only = process.argv[2];
  const engines = (process.env.WASI_ENGINES ?? 'interp,native').split(',') as ('interp' | 'native')[];
  const summary: string[] = [];
  let failed = 0;
  for (const name of ['interp', 'native'] as const) {
    // A skipped engine still ends with the exact summary line, after a line saying why (skipped ≠ passed).
    if (!engines.includes(name)) {
      summary.push(`wasi[${name}]: ${tests.length} tests skipped (not selected in WASI_ENGINES)`, `wasi[${name}]: 0 passed, 0 failed`);
      continue;
    }
    const engine = await loadEngine(name);
    if (!engine) {
      summary.push(`wasi[${name}]: engine not available; ${tests.length} tests skipped`, `wasi[${name}]: 0 passed, 0 failed`);
      continue;
    }
    let pass = 0;
    let fail = 0;
    for (const t of tests) {
      const id = `${t.split('/tests/')[1].split('/')[0]}/${basename(t, '.wasm')}`;
      if (only && !id.includes(only)) continue;
      const r = runOne(engine, t);
      if (r.ok) pass++;
      else fail++;
      console.log(`${r.ok ? 'PASS' : 'FAIL'} [${name}] ${id}${r.ok ? '' : `: ${r.why}`}`);
    }
    failed += fail;
    summary.push(`wasi[${name}]: ${pass} passed, ${fail} failed`);
  }
  for (const s of summary) console.log(s);
  return failed > 0 ? 1 : 0;
}

// Run only when executed (npm run conformance:wasi), not when a test imports the helpers above.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main();
