// Runs the WebAssembly 2.0 spec testsuite (.wast scripts) against one engine.
//
//   npm run conformance:wasm -- [--engine interp|native] [--jobs N] [--timeout SECONDS] [filter...]
//
// Suite folder: $WASM_TESTSUITE_DIR, default ../shared/wasm-testsuite next to the repo. Filters keep files
// whose name contains any of them. simd_*.wast files are skipped (no SIMD). Files run on worker threads
// (default 2), one file at a time per worker, each under a timeout: a hung file fails and its worker is
// replaced. Last line: `wasm-spec: N passed, M failed, K skipped`, counting files. Exit 1 if any failed.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { Engine } from '../src/interp/api.ts';
import type { ScriptResult } from '../src/interp/script/commands.ts';

type EngineName = 'interp' | 'native';

interface Job {
  dir: string;
  file: string;
  engine: EngineName;
}
type Outcome = { file: string; ms: number; result: ScriptResult; engine: EngineName } | { file: string; ms: number; error: string };

const DEFAULT_JOBS = 2;
const DEFAULT_TIMEOUT_S = 120;
const FAILURES_SHOWN = 5;
const MESSAGE_WIDTH = 240;

// ---- Engines (the interpreter is imported lazily: it may not exist yet in this checkout) ----

const INTERP_PATH = '../src/interp/index.ts';

async function loadEngine(name: EngineName): Promise<{ engine: Engine; name: EngineName; note?: string }> {
  if (name === 'interp') {
    // Fall back to native only while the interpreter does not exist; if it exists but fails to load,
    // that is an error (a silent fallback would let a broken interpreter pass CI).
    if (existsSync(fileURLToPath(new URL(INTERP_PATH, import.meta.url)))) {
      // A variable specifier keeps the typecheck independent of whether the interpreter exists yet.
      const mod = (await import(INTERP_PATH)) as { interpEngine?: Engine };
      if (!mod.interpEngine) throw new Error('src/interp/index.ts does not export interpEngine');
      return { engine: mod.interpEngine, name };
    }
    const { nativeEngine } = await import('../src/interp/native/index.ts');
    return { engine: nativeEngine, name: 'native', note: 'src/interp/index.ts not found; using the native engine' };
  }
  const { nativeEngine } = await import('../src/interp/native/index.ts');
  return { engine: nativeEngine, name: 'native' };
}

async function runFile(job: Job): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const [{ parseWast, runScript }, loaded] = await Promise.all([import('../src/interp/script/index.ts'), loadEngine(job.engine)]);
    const script = await parseWast(readFileSync(join(job.dir, job.file)), job.file);
    const result = await runScript(script, loaded.engine);
    return { file: job.file, ms: performance.now() - t0, result, engine: loaded.name };
  } catch (e) {
    return { file: job.file, ms: performance.now() - t0, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

// ---- Worker side ----

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (job: Job) => {
    void runFile(job).then((o) => port.postMessage(o));
  });
} else {
  await main();
}

// ---- Main thread ----

function parseArgs(argv: string[]): { engine: EngineName; jobs: number; timeoutS: number; filters: string[] } {
  let engine: EngineName = 'interp', jobs = DEFAULT_JOBS, timeoutS = DEFAULT_TIMEOUT_S;
  const filters: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--engine')) {
      const v = value();
      if (v !== 'interp' && v !== 'native') usage(`unknown engine "${v}"`);
      engine = v;
    } else if (a.startsWith('--jobs')) jobs = Math.max(1, Number(value()) | 0);
    else if (a.startsWith('--timeout')) timeoutS = Math.max(1, Number(value()));
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else filters.push(a);
  }
  return { engine, jobs, timeoutS, filters };
}

function usage(msg: string): never {
  console.error(`conformance-wasm: ${msg}\nusage: conformance-wasm [--engine interp|native] [--jobs N] [--timeout S] [filter...]`);
  process.exit(2);
}

function formatOutcome(o: Outcome): string[] {
  const time = `${Math.round(o.ms)} ms`;
  if ('error' in o) return [`FAIL ${o.file}  error  (${time})`, `       ${o.error.split('\n').slice(0, 3).join(' | ').slice(0, MESSAGE_WIDTH)}`];
  const r = o.result;
  const lines = [`${r.failed ? 'FAIL' : 'ok  '} ${o.file}  ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped  (${time})`];
  for (const f of r.failures.slice(0, FAILURES_SHOWN)) lines.push(`       line ${f.line}: ${f.message.slice(0, MESSAGE_WIDTH)}`);
  if (r.failures.length > FAILURES_SHOWN) lines.push(`       ... and ${r.failures.length - FAILURES_SHOWN} more`);
  return lines;
}

function fileFailed(o: Outcome): boolean {
  return 'error' in o || o.result.failed > 0;
}

/** Runs jobs on `n` worker threads with a per-file timeout; resolves outcomes in completion order. */
function runOnWorkers(jobs: Job[], n: number, timeoutMs: number, onOutcome: (o: Outcome) => void): Promise<void> {
  const tsxApi = pathToFileURL(fileURLToPath(import.meta.resolve('tsx/esm/api'))).href;
  // Workers do not inherit tsx's loader: register it first, then load this file as the worker body.
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const queue = [...jobs];
  let running = 0;
  return new Promise((done) => {
    const startWorker = (): void => {
      const job = queue.shift();
      if (!job) {
        if (running === 0) done();
        return;
      }
      running++;
      const w = new Worker(boot, { eval: true });
      let current: Job | undefined;
      let timer: NodeJS.Timeout | undefined;
      const finish = (o: Outcome, keep: boolean): void => {
        clearTimeout(timer);
        current = undefined;
        onOutcome(o);
        const next = keep ? queue.shift() : undefined;
        if (next) return give(next);
        running--;
        void w.terminate();
        if (!keep) startWorker(); // a replacement for a worker that hung or crashed
        else if (running === 0 && queue.length === 0) done();
      };
      const give = (j: Job): void => {
        current = j;
        const t0 = performance.now();
        timer = setTimeout(() => {
          finish({ file: j.file, ms: performance.now() - t0, error: `timeout after ${timeoutMs / 1000} s` }, false);
        }, timeoutMs);
        w.postMessage(j);
      };
      w.on('message', (o: Outcome) => {
        if (current && o.file === current.file) finish(o, true);
      });
      w.on('error', (e) => {
        if (current) finish({ file: current.file, ms: 0, error: `worker crashed: ${e.message}` }, false);
      });
      w.on('exit', (code) => {
        if (current) finish({ file: current.file, ms: 0, error: `worker exited with code ${code}` }, false);
      });
      give(job);
    };
    for (let i = 0; i < Math.min(n, jobs.length); i++) startWorker();
    if (jobs.length === 0) done();
  });
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = resolve(process.env.WASM_TESTSUITE_DIR ?? join(repoRoot, '..', 'shared', 'wasm-testsuite'));
  if (!existsSync(dir)) {
    console.log(`wasm spec testsuite not found: looked in ${dir} (set WASM_TESTSUITE_DIR to its folder)`);
    console.log('wasm-spec: 0 passed, 0 failed, 0 skipped');
    return;
  }
  const all = readdirSync(dir).filter((f) => f.endsWith('.wast')).sort();
  const chosen = opts.filters.length ? all.filter((f) => opts.filters.some((p) => f.includes(p))) : all;
  const simd = chosen.filter((f) => f.startsWith('simd_'));
  const files = chosen.filter((f) => !f.startsWith('simd_'));

  const probe = await loadEngine(opts.engine);
  if (probe.note) console.log(`note: ${probe.note}`);
  console.log(`wasm spec testsuite: ${dir}, engine ${probe.name}, ${files.length} files` +
    (simd.length ? ` (+${simd.length} simd_*.wast skipped: SIMD is not implemented)` : ''));

  const jobs = files.map((file) => ({ dir, file, engine: probe.name }));
  const outcomes = new Map<string, Outcome>();
  // Print in file order as soon as every earlier file is done.
  let printed = 0;
  const onOutcome = (o: Outcome): void => {
    outcomes.set(o.file, o);
    while (printed < files.length && outcomes.has(files[printed])) {
      for (const line of formatOutcome(outcomes.get(files[printed])!)) console.log(line);
      printed++;
    }
  };
  const t0 = performance.now();
  let parallel = opts.jobs > 1 && jobs.length > 1;
  if (parallel) {
    try {
      await runOnWorkers(jobs, opts.jobs, opts.timeoutS * 1000, onOutcome);
    } catch (e) {
      console.log(`note: worker threads unavailable (${e instanceof Error ? e.message : String(e)}); running serially`);
      parallel = false;
    }
  }
  if (!parallel) {
    // In-process: no timeout guard is possible for synchronous guest code.
    for (const j of jobs) if (!outcomes.has(j.file)) onOutcome(await runFile(j));
  }

  const failed = files.filter((f) => fileFailed(outcomes.get(f)!)).length;
  console.log(`time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`wasm-spec: ${files.length - failed} passed, ${failed} failed, ${simd.length} skipped`);
  process.exitCode = failed > 0 ? 1 : 0;
}
