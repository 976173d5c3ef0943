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
}

export interface MeasurePlan {
  warmups: number;
  runs: number;
  /** After the warm-up, take fewer runs if `runs` of them would take longer than this. */
  budgetMs: number;
  /** Called after each call, for progress output. */
  onRun?: (what: 'warm-up' | 'run', ms: number) => void;
}

/**
 * Warm-up calls (so V8 has tiered up both the wasm and our interpreter's own JS), then timed calls on fresh
 * instances. Every call must return the same checksum; a program that does not is not deterministic and
 * its timings mean nothing.
 */
export function measure(runner: Runner, n: number, plan: MeasurePlan): Measurement {
  let checksum: bigint | undefined;
  const check = (c: bigint) => {
    if (checksum === undefined) checksum = c;
    else if (c !== checksum) throw new BenchRunError(`checksum changed between calls: ${checksum} then ${c}`);
  };
  const warmupMs: number[] = [];
  for (let i = 0; i < plan.warmups; i++) {
    const t = runner.run(n);
    check(t.checksum);
    warmupMs.push(t.ms);
    plan.onRun?.('warm-up', t.ms);
  }
  const slowest = Math.max(0, ...warmupMs);
  const affordable = slowest > 0 ? Math.floor(plan.budgetMs / slowest) : plan.runs;
  const runs = Math.max(1, Math.min(plan.runs, affordable));
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = runner.run(n);
    check(t.checksum);
    runsMs.push(t.ms);
    plan.onRun?.('run', t.ms);
  }
  return {
    checksum: checksum as bigint,
    compileMs: runner.compileMs,
    warmupMs,
    runsMs,
    medianMs: median(runsMs),
    minMs: Math.min(...runsMs),
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
