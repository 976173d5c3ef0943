// `npm run bench`: runs every program in bench/wasm on Node's native WebAssembly and on our interpreter,
// checks that both return the same checksum, and prints the times, the ratios and their geometric mean.
// See bench/README.md. Exit code: 0 when every checksum matched (or the interpreter is unavailable and
// only native times were taken), 1 on any mismatch or failure, 2 on bad arguments.

import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/interp/api.ts';
import { PROGRAMS, type BenchProgram } from './programs.ts';
import { interpRunner, loadInterp, nativeRunner, setClock } from './engines.ts';
import { fmtMs, fmtRatio, geomean, markdownTable, measure, type Measurement } from './stats.ts';

const USAGE = `usage: npm run bench -- [options]
  --only a,b     run only these programs (${PROGRAMS.map((p) => p.name).join(', ')})
  --runs N       timed interpreter runs per program (default 3; fewer once they would take more than
                 --budget seconds, but at least 1), after one warm-up call with n/10.
                 Native always takes 2 warm-ups and 5 timed runs at the full n.
  --budget S     seconds of timed interpreter runs per program (default 30)
  --scale F      multiply each program's n by F (e.g. 0.1 for a quick check; checksums still compared)
  --native-only  skip the interpreter
  --clock C      cpu (default: this process's user+system time) or wall
  --json         print the results as JSON on stdout (progress still goes to stderr)
  --baseline F   a file saved earlier with --json: adds a column with the interp time change
  --list         list the programs and exit`;

interface Row {
  program: string;
  n: number;
  native?: Measurement;
  interp?: Measurement;
  ratio?: number;
  status: 'ok' | 'native-only' | 'mismatch' | 'error';
  error?: string;
}

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseCli() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        only: { type: 'string' },
        runs: { type: 'string', default: '3' },
        budget: { type: 'string', default: '30' },
        scale: { type: 'string', default: '1' },
        'native-only': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        clock: { type: 'string', default: 'cpu' },
        baseline: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  const num = (name: string, s: string, min: number) => {
    const x = Number(s);
    if (!Number.isFinite(x) || x < min) fail(`--${name} must be a number >= ${min}, got ${s}`);
    return x;
  };
  let programs: readonly BenchProgram[] = PROGRAMS;
  if (v.only !== undefined) {
    const names = v.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((name) => !PROGRAMS.some((p) => p.name === name));
    if (unknown.length) fail(`unknown program(s): ${unknown.join(', ')}`);
    programs = PROGRAMS.filter((p) => names.includes(p.name));
  }
  if (v.clock !== 'cpu' && v.clock !== 'wall') fail(`--clock must be cpu or wall, got ${v.clock}`);
  return {
    programs,
    clock: v.clock as 'cpu' | 'wall',
    runs: Math.floor(num('runs', v.runs, 1)),
    budgetMs: num('budget', v.budget, 0) * 1000,
    scale: num('scale', v.scale, Number.MIN_VALUE),
    nativeOnly: v['native-only'],
    baseline: v.baseline === undefined ? undefined : readBaseline(v.baseline),
    json: v.json,
    list: v.list,
    help: v.help,
  };
}

/** Interp median ms by program and n, from an earlier --json output. */
function readBaseline(file: string): Map<string, number> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`cannot read baseline ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const rows = (data as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) fail(`baseline ${file} has no "rows" array; save one with --json`);
  const out = new Map<string, number>();
  for (const r of rows as { program?: unknown; n?: unknown; interp?: { medianMs?: unknown } }[]) {
    if (typeof r.program === 'string' && typeof r.n === 'number' && typeof r.interp?.medianMs === 'number') {
      out.set(`${r.program}@${r.n}`, r.interp.medianMs);
    }
  }
  return out;
}

/** "-12%" when faster than the baseline; only for the same program at the same n. */
function baselineDelta(base: Map<string, number> | undefined, r: Row): string {
  const before = base?.get(`${r.program}@${r.n}`);
  if (before === undefined || r.interp === undefined) return '-';
  const pct = Math.round((r.interp.medianMs / before - 1) * 100);
  return `${pct > 0 ? '+' : ''}${pct === 0 ? 0 : pct}%`;
}

function machine() {
  const cpus = os.cpus();
  const load = os.loadavg()[0];
  return {
    loadAvg1: load,
    loadNote:
      load > cpus.length * 0.5
        ? `load average ${load.toFixed(2)} on ${cpus.length} CPUs at start: the machine is busy, times are inflated and noisy`
        : `load average ${load.toFixed(2)} on ${cpus.length} CPUs at start`,
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus.length ? `${cpus[0].model.trim()} (${cpus.length} logical CPUs)` : 'unknown',
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

const progress = (s: string) => process.stderr.write(s);

function benchProgram(p: BenchProgram, n: number, engine: Engine | undefined, runs: number, budgetMs: number): Row {
  const row: Row = { program: p.name, n, status: 'error' };
  const file = new URL(`./wasm/${p.name}.wasm`, import.meta.url);
  if (!existsSync(file)) {
    row.error = `bench/wasm/${p.name}.wasm is missing; run bench/build.sh`;
    return row;
  }
  const bytes = new Uint8Array(readFileSync(file));
  const dot = (what: string, ms: number) => progress(` ${what === 'warm-up' ? '(' : ''}${fmtMs(ms)}${what === 'warm-up' ? ')' : ''}`);
  try {
    progress(`${p.name}: native`);
    row.native = measure(nativeRunner(bytes), n, { warmups: 2, runs: 5, budgetMs: Infinity, onRun: dot });
    progress('\n');
  } catch (e) {
    progress('\n');
    row.error = `native: ${e instanceof Error ? e.message : String(e)}`;
    return row;
  }
  if (!engine) {
    row.status = 'native-only';
    return row;
  }
  try {
    progress(`${p.name}: interp`);
    // The interpreter's own JS is hot after a fraction of a second, so a tenth of the work warms it up.
    const warmupN = Math.max(1, Math.round(n / 10));
    row.interp = measure(interpRunner(engine, bytes), n, { warmups: 1, warmupN, runs, budgetMs, onRun: dot });
    progress('\n');
  } catch (e) {
    progress('\n');
    // Any throw here is a finding about the interpreter on this program (a DecodeError, a Trap thrown
    // from instantiate, an ExhaustionError, or a bug), so it fails the run.
    const name = e instanceof Error ? e.constructor.name : 'thrown';
    row.error = `interp: ${name}: ${e instanceof Error ? e.message : String(e)}`;
    return row;
  }
  row.ratio = row.interp.medianMs / row.native.medianMs;
  if (row.interp.checksum !== row.native.checksum) {
    row.status = 'mismatch';
    row.error = `checksum mismatch: native ${row.native.checksum}, interp ${row.interp.checksum}`;
  } else {
    row.status = 'ok';
  }
  return row;
}

async function main(): Promise<number> {
  const opts = parseCli();
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.list) {
    for (const p of PROGRAMS) process.stdout.write(`${p.name.padEnd(11)} n=${String(p.n).padEnd(9)} ${p.stresses}\n`);
    return 0;
  }
  setClock(opts.clock);
  const clockName = opts.clock === 'cpu' ? 'CPU (user+system)' : 'wall-clock';
  const env = machine();
  let engine: Engine | undefined;
  let interpNote: string;
  if (opts.nativeOnly) {
    interpNote = 'interpreter skipped (--native-only)';
  } else {
    const loaded = await loadInterp();
    if (loaded.ok) {
      engine = loaded.engine;
      interpNote = `interpreter: ${loaded.from}`;
    } else {
      interpNote = `INTERPRETER NOT AVAILABLE (${loaded.reason}): native times only, no ratios`;
    }
  }
  progress(`${interpNote}\n`);

  const rows: Row[] = [];
  for (const p of opts.programs) {
    const n = Math.max(1, Math.round(p.n * opts.scale));
    rows.push(benchProgram(p, n, engine, opts.runs, opts.budgetMs));
  }
  const ratios = rows.filter((r) => r.status === 'ok' && r.ratio !== undefined).map((r) => r.ratio as number);
  const gm = geomean(ratios);
  const failed = rows.filter((r) => r.status === 'error' || r.status === 'mismatch');

  if (opts.json) {
    const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
    const out = { ...env, interpreter: interpNote, clock: opts.clock, scale: opts.scale, geomeanRatio: ratios.length ? gm : null, rows };
    process.stdout.write(`${JSON.stringify(out, replacer, 2)}\n`);
  } else {
    const lines = [
      `date: ${env.date}`,
      `node: ${env.node} (V8 ${env.v8})`,
      `cpu: ${env.cpu}`,
      `os: ${env.os}`,
      env.loadNote,
      interpNote,
      opts.scale !== 1 ? `scale: ${opts.scale} (n differs from the defaults; not comparable with full runs)` : '',
      '',
      `Times are the median of the timed runs of one \`run(n)\` call, in ms of ${clockName} time; ratio = interp / native.`,
      'M ops: millions of fuel units (interpreter instructions) one call executed; ns/op: interp time per unit.',
      '',
    ].filter((l, i, a) => l !== '' || a[i - 1] !== '');
    const header = ['program', 'n', 'native ms', 'interp ms', 'ratio', 'interp runs', 'M ops', 'ns/op', 'checksum'];
    if (opts.baseline) header.splice(4, 0, 'vs base');
    const body = rows.map((r) => [
      r.program,
      String(r.n),
      fmtMs(r.native?.medianMs),
      fmtMs(r.interp?.medianMs),
      fmtRatio(r.ratio),
      r.interp ? String(r.interp.runsMs.length) : '-',
      r.interp?.fuel ? (r.interp.fuel / 1e6).toFixed(0) : '-',
      r.interp?.fuel ? ((r.interp.medianMs * 1e6) / r.interp.fuel).toFixed(2) : '-',
      r.status === 'ok' ? 'match' : r.status === 'native-only' ? (r.native ? BigInt.asUintN(64, r.native.checksum).toString(16).padStart(16, '0') : '-') : r.status.toUpperCase(),
    ]);
    if (opts.baseline) body.forEach((cells, i) => cells.splice(4, 0, baselineDelta(opts.baseline, rows[i])));
    // Without an interpreter only program, n, native ms and checksum carry information.
    const keep = header.map((_, i) => i).filter((i) => engine || i < 3 || i === header.length - 1);
    const pick = (cells: string[]) => keep.map((i) => cells[i]);
    const shown = pick(header);
    const right = new Set(shown.map((_, i) => i).filter((i) => i > 0 && i < shown.length - 1));
    lines.push(markdownTable(shown, body.map(pick), right));
    lines.push('');
    if (ratios.length) {
      const of = ratios.length === rows.length ? '' : ` (over ${ratios.length} of ${rows.length} programs)`;
      lines.push(`geometric mean of ratios: ${fmtRatio(gm)}${of}`);
    } else {
      lines.push(`geometric mean of ratios: - (${engine ? 'no program ran on both engines with matching checksums' : 'no interpreter times'})`);
    }
    for (const r of rows) if (r.error) lines.push(`${r.program}: ${r.error}`);
    if (!engine && !opts.nativeOnly) lines.push('NOTE: the interpreter is not available; this run measured native only.');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (failed.length) process.stderr.write(`bench: ${failed.length} program(s) failed: ${failed.map((r) => r.program).join(', ')}\n`);
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
