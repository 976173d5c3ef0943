// `sandbuild audit <package dir|tarball> [-Dk=v ...] [--policy FILE] [--engine interp|native] [--make STEP] [--json]`
//
// Runs the package's compiled build logic (.sandbuild/build.wasm) in the sandbox under one policy, prints
// the graph summary and every denial (configure-time syscalls and graph capability requests) with the rule
// that denied it. Exit status: 0 clean, 3 something was denied (so CI can gate on it), 1 bad input or a
// failed run without denials (one line on stderr), 2 bad usage.
// `--make STEP` also makes one custom step in the sandbox after configure (guest/make.zig): its outcome and
// its own syscalls and denials are listed apart from configure's; a failed make without denials is status 1.

import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { denyingDecision } from '../audit/denials.ts';
import { capPolicyFrom } from '../graph/policy-adapter.ts';
import type { Graph } from '../graph/schema.ts';
import type { Policy } from '../policy/schema.ts';
import type { MakeResult } from '../audit/make.ts';
import { hasDenials, runAudit, type AuditResult } from '../audit/run-audit.ts';
import type { Engine } from '../interp/api.ts';
import { summarizeGraph } from '../audit/summary.ts';
import {
  auditPath, capText, COMMON_FLAGS, guard, loadEngine, loadPolicy, nativeHostTriple, outcomeText, parseCommon, safe, stderrTail, syscallText, UsageError,
  type CommonOptions,
} from './audit-common.ts';
import { loadPackage } from './package-loader.ts';

export const DENIED_EXIT = 3;

const USAGE = `usage: sandbuild audit <package dir | tarball> [options]
${COMMON_FLAGS}
  --learn FILE             allow everything and write the smallest policy this run needs to FILE
  --make STEP              then make this custom step (name or graph id) in the sandbox, under the policy
  --trace FILE.jsonl       write the syscall trace as JSON Lines`;

/** The --json document: everything but the full trace (use --trace for that). */
export function auditJson(pkg: string, engine: string, policyLabel: string, options: Record<string, string>, r: AuditResult) {
  const g = r.graph;
  return {
    package: pkg,
    engine,
    policy: policyLabel,
    options,
    verdict: hasDenials(r) ? 'denied' : r.graph && !makeFailed(r) ? 'clean' : 'failed',
    outcome: r.outcome,
    durationMs: Math.round(r.durationMs),
    summary: g ? summarizeGraph(g) : undefined,
    graphError: r.graphError,
    syscalls: { total: r.traceTotal, dropped: r.traceDropped },
    syscallDenials: r.syscallDenials.map((d) => ({ seq: d.seq, fn: d.fn, errno: d.errno, ...denyingDecision(d) })),
    capDenials: r.capDenials.map((d) => ({ step: d.step, stepName: g?.steps[d.step].name, ...d.cap, rule: d.rule })),
    blocked: r.blocked.map((b) => ({ ...b, stepName: g?.steps[b.step].name })),
    missing: r.missing,
    make: r.make && makeJson(r.make, g),
    stderr: r.stderr,
    learnedPolicy: r.learnedPolicy,
    graph: g,
  };
}

function makeJson(m: MakeResult, g: Graph | undefined) {
  return {
    request: m.request,
    step: m.step,
    stepName: m.step !== undefined ? g?.steps[m.step]?.name : undefined,
    status: m.status,
    message: m.message,
    syscalls: m.syscallTotal,
    syscallDenials: m.denials.map((d) => ({ seq: d.seq, fn: d.fn, errno: d.errno, ...denyingDecision(d) })),
    missing: m.missing,
  };
}

/** Did the step's make() fail (the run's exit status 1 when nothing was denied)? */
const makeFailed = (r: AuditResult): boolean => r.make !== undefined && r.make.status !== 'ok';

function makeStatusText(m: MakeResult, r: AuditResult): string {
  if (m.status === 'ok') return 'ok';
  if (m.status === 'error') return `FAILED: ${m.message}`;
  if (m.status === 'trap') return `did not finish: the build logic ${outcomeText(r)}`;
  return `not run: ${m.message}`;
}

function makeLines(m: MakeResult, r: AuditResult): string[] {
  const g = r.graph;
  const step = m.step !== undefined ? `step ${m.step} "${g?.steps[m.step]?.name ?? m.request}"` : `"${m.request}"`;
  const out = [`make ${step}: ${makeStatusText(m, r)}`];
  out.push(`make-time syscalls (attributed to ${m.step !== undefined ? `step ${m.step}` : 'the step'}): ${m.syscallTotal}, denied: ${m.denials.length}`);
  for (const d of m.denials) out.push(`  DENIED ${syscallText(d)} by rule ${denyingDecision(d)?.rule}`);
  if (m.missing.length > 0) {
    out.push('  looked for paths that are not in the package:');
    for (const x of m.missing) out.push(`    #${x.seq} ${x.fn} ${x.path}`);
  }
  return out;
}

/** Granted capability requests grouped by what and which rule: `exec hello [artifact] by rule x` → steps. */
function allowedCaps(g: Graph, policy: Policy): Map<string, number[]> {
  const decide = capPolicyFrom(policy);
  const out = new Map<string, number[]>();
  for (const s of g.steps) {
    for (const c of s.caps) {
      const d = decide(c, s);
      if (!d.allowed) continue;
      const key = `${capText(c)} by rule ${d.rule}`;
      const steps = out.get(key) ?? [];
      if (!steps.includes(s.id)) steps.push(s.id);
      out.set(key, steps);
    }
  }
  return out;
}

function printText(pkg: string, engine: string, policyLabel: string, policy: Policy, r: AuditResult): void {
  const out: string[] = [];
  out.push(`sandbuild audit: ${pkg} (engine ${engine}, ${policyLabel}, ${Math.round(r.durationMs)} ms)`);
  const g = r.graph;
  if (g) {
    const s = summarizeGraph(g);
    const kinds = Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
    out.push(`graph: ${s.steps} steps (${kinds})`);
    out.push(`  host ${s.host}, install prefix ${s.installPrefix}, default step ${s.defaultStep ?? '(none)'}${s.packages.length ? `, dependencies: ${s.packages.join(', ')}` : ''}`);
    out.push('top-level steps:');
    const w = Math.max(...s.topLevel.map((t) => t.name.length), 4);
    for (const t of s.topLevel) out.push(`  ${t.name.padEnd(w)}  ${t.description}`);
    out.push('options:');
    for (const o of s.options) out.push(`  -D${o.name} (${o.type}) = ${JSON.stringify(o.value)}`);
  }
  out.push(`configure-time syscalls: ${r.traceTotal - (r.make?.syscallTotal ?? 0)}, denied: ${r.syscallDenials.length}`);
  for (const d of r.syscallDenials) out.push(`  DENIED ${syscallText(d)} by rule ${denyingDecision(d)?.rule}`);
  if (r.missing.length > 0) {
    out.push('looked for paths that are not in the package:');
    for (const m of r.missing) out.push(`  #${m.seq} ${m.fn} ${m.path}`);
  }
  if (g) {
    out.push(`graph capability requests: ${g.steps.reduce((n, s) => n + s.caps.length, 0)}, denied: ${r.capDenials.length}`);
    for (const d of r.capDenials) out.push(`  DENIED step ${d.step} "${g.steps[d.step].name}": ${capText(d.cap)} by rule ${d.rule}`);
    for (const [text, steps] of allowedCaps(g, policy)) out.push(`  allowed ${text} (step${steps.length > 1 ? 's' : ''} ${steps.join(', ')})`);
    if (r.blocked.length > 0) {
      out.push('blocked by a denied step they depend on:');
      for (const b of r.blocked) out.push(`  step ${b.step} "${g.steps[b.step].name}" <- ${b.blockedBy.join(', ')}`);
    }
  }
  if (r.make && r.graph) out.push(...makeLines(r.make, r));
  // Each entry is one line; guest text inside it must not break out of it (audit-common.ts, safe).
  console.log(out.map(safe).join('\n'));
}

/** auditPath (audit-common.ts) with `--make`; the trace file's records carry `step` from make time on. */
export async function auditCommand(argv: string[]): Promise<number> {
  return guard('audit', USAGE, async () => {
    let traceFile: string | undefined;
    let make: string | undefined;
    const o = parseCommon(argv, (flag, value, opts) => {
      if (flag === '--learn') opts.learnFile = value();
      else if (flag === '--trace') traceFile = value();
      else if (flag === '--make') make = value();
      else return false;
      return true;
    });
    o.traceFile = traceFile;
    if (o.packages.length !== 1) throw new UsageError(o.packages.length ? `expected one package, got ${o.packages.length}` : 'missing package dir or tarball');
    if (o.policyFile && o.learnFile) throw new UsageError('--policy and --learn are exclusive');
    const pkg = o.packages[0];
    const engine = await loadEngine(o.engine);
    const { policy, label } = loadPolicy(o);
    if (make === '') throw new UsageError('--make needs a step name or id');
    const r = await auditPath(pkg, o, policy, engine, make);
    if (o.learnFile && r.learnedPolicy) writeFileSync(o.learnFile, `${JSON.stringify(r.learnedPolicy, null, 2)}\n`);

    if (o.json) console.log(JSON.stringify(auditJson(basename(pkg), o.engine, label, o.options, r), null, 2));
    else printText(basename(pkg), o.engine, label, policy, r);

    const denied = hasDenials(r);
    if (r.graphError) {
      console.error(safe(`sandbuild audit: invalid graph at ${r.graphError.path}: ${r.graphError.message}`));
      return 1;
    }
    if (!r.graph) {
      console.error(`sandbuild audit: the build logic ${outcomeText(r)}${r.stderr ? `:\n${stderrTail(r)}` : ''}`);
      return denied ? DENIED_EXIT : 1;
    }
    const makeDenied = r.make ? `, ${r.make.denials.length} make-time syscalls` : '';
    if (!o.json) console.log(denied ? `result: DENIED (${r.syscallDenials.length} syscalls${makeDenied}, ${r.capDenials.length} capability requests)` : makeFailed(r) ? 'result: make failed' : 'result: clean');
    return denied ? DENIED_EXIT : makeFailed(r) ? 1 : 0;
  });
}
