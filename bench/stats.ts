// Small statistics and formatting helpers for the benchmark report.

import type { Runner } from './engines.ts';
import { BenchRunError } from './engines.ts';

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Geometric mean: the right average for ratios (a 2x win and a 2x loss cancel out). */
export function geomean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return Math.exp(xs.reduce((acc, x) => acc + Math.log(x), 0) / xs.length);
}

export interface Measurement {
  checksum: bigint;
  compileMs: number;
  warmupMs: number[];
  runsMs: number[];
  medianMs: number;
  minMs: number;
  /** Fuel units of one measured call, if the engine counts them. */
  fuel?: number;
}

export interface MeasurePlan {
  warmups: number;
  /** The n of the warm-up calls (default: the measured n). A smaller n warms the JIT for less time. */
  warmupN?: number;
  runs: number;
  /** Stop taking runs (after the first) once another one would bring their total past this. */
  budgetMs: number;
  /** Called after each call, for progress output. */
  onRun?: (what: 'warm-up' | 'run', ms: number) => void;
}

/**
 * Warm-up calls (so V8 has tiered up both the wasm and our interpreter's own JS), then timed calls on fresh
 * instances. Every call with the same n must return the same checksum; a program that does not is not
 * deterministic and its timings mean nothing.
 */
export function measure(runner: Runner, n: number, plan: MeasurePlan): Measurement {
  const warmupN = plan.warmupN ?? n;
  const checksums = new Map<number, bigint>();
  const call = (arg: number) => {
    const t = runner.run(arg);
    const prev = checksums.get(arg);
    if (prev === undefined) checksums.set(arg, t.checksum);
    else if (prev !== t.checksum) throw new BenchRunError(`checksum changed between calls: ${prev} then ${t.checksum}`);
    return t;
  };
  const warmupMs: number[] = [];
  for (let i = 0; i < plan.warmups; i++) {
    const t = call(warmupN);
    warmupMs.push(t.ms);
    plan.onRun?.('warm-up', t.ms);
  }
  const runsMs: number[] = [];
  let total = 0;
  let fuel: number | undefined;
  while (runsMs.length < plan.runs) {
    const t = call(n);
    fuel = t.fuel;
    runsMs.push(t.ms);
    total += t.ms;
    plan.onRun?.('run', t.ms);
    if (total + t.ms > plan.budgetMs) break;
  }
  return {
    checksum: checksums.get(n) as bigint,
    compileMs: runner.compileMs,
    warmupMs,
    runsMs,
    medianMs: median(runsMs),
    minMs: Math.min(...runsMs),
    fuel,
  };
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

export function fmtRatio(r: number | undefined): string {
  if (r === undefined || Number.isNaN(r)) return '-';
  return `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}x`;
}

/** A Markdown table, so the output can be pasted into BENCHMARKS.md as is. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
