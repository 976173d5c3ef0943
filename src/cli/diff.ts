// `sandbuild diff old new [-Dk=v ...] [--policy FILE] [--engine interp|native] [--json]`
//
// Audits two versions of a package (directories or tarballs) with the same options and policy and prints
// what changed: steps and capability requests added or removed (diffGraphs), steps whose data, deps or
// capabilities changed, options and top-level steps, and the configure-time syscalls new in the new version
// (compared by a normalised key, src/audit/diff.ts). Exit status: 0 when the new version adds nothing the
// policy denies, 3 when it adds denied capabilities or denied syscalls, 1 bad input, 2 bad usage.

import { basename } from 'node:path';
import { denyingDecision } from '../audit/denials.ts';
import { diffAudits, stepName, type VersionDiff } from '../audit/diff.ts';
import type { AuditResult } from '../audit/run-audit.ts';
import type { Graph } from '../graph/schema.ts';
import { auditPath, capText, COMMON_FLAGS, guard, loadEngine, loadPolicy, parseCommon, safe, UsageError } from './audit-common.ts';
import { DENIED_EXIT } from './audit.ts';

const USAGE = `usage: sandbuild diff <old package> <new package> [options]
${COMMON_FLAGS}`;

/**
 * The --json document. Step ids refer to the old graph (removed) or the new one (added, changed.after).
 * Only the graphs are read, so the playground's worker result (DiffSide) gives the same document.
 */
export function diffJson(oldName: string, newName: string, a: Pick<AuditResult, 'graph'>, b: Pick<AuditResult, 'graph'>, d: VersionDiff) {
  const ga = a.graph;
  const gb = b.graph;
  const g = d.graph;
  return {
    old: oldName,
    new: newName,
    regressed: d.regressed,
    graphMissing: d.graphMissing,
    steps: g && {
      added: g.added.map((id) => ({ id, name: stepName(gb, id), kind: gb?.steps[id].kind, caps: gb?.steps[id].caps })),
      removed: g.removed.map((id) => ({ id, name: stepName(ga, id), kind: ga?.steps[id].kind })),
      changed: g.changed.map((c) => ({ ...c, name: stepName(gb, c.after) })),
    },
    capsAdded: g?.capsAdded.map((c) => ({ step: c.step, stepName: stepName(gb, c.step), ...c.cap })),
    capsRemoved: g?.changed.flatMap((c) => c.capsRemoved.map((cap) => ({ step: c.before, stepName: stepName(ga, c.before), ...cap }))),
    capsAddedDenied: d.capsAddedDenied.map((c) => ({ step: c.step, stepName: stepName(gb, c.step), ...c.cap, rule: c.rule })),
    options: g && { added: g.optionsAdded, removed: g.optionsRemoved },
    topLevel: g && { added: g.topLevelAdded, removed: g.topLevelRemoved },
    syscalls: {
      added: d.syscalls.added.map((c) => ({ label: c.label, key: c.key, count: c.countB, seq: c.record.seq, denied: denyingDecision(c.record) ?? null })),
      removed: d.syscalls.removed.map((c) => ({ label: c.label, key: c.key, count: c.countA, seq: c.record.seq })),
      truncated: d.traceTruncated,
    },
  };
}

function stepLine(g: Graph | undefined, id: number): string {
  const s = g?.steps[id];
  if (!s) return `#${id}`;
  return `[${id}] ${s.package ? `${s.package}: ` : ''}${s.name} (${s.kind})`;
}

function printText(oldName: string, newName: string, a: AuditResult, b: AuditResult, d: VersionDiff): void {
  const out: string[] = [`sandbuild diff: ${oldName} -> ${newName} (same options and policy)`];
  const g = d.graph;
  if (!g) out.push(`no graph diff: ${d.graphMissing}`);
  else {
    const ga = a.graph;
    const gb = b.graph;
    out.push(`steps added: ${g.added.length}`);
    for (const id of g.added) {
      out.push(`  + ${stepLine(gb, id)}`);
      for (const cap of gb!.steps[id].caps) out.push(`      requests ${capText(cap)}`);
    }
    out.push(`steps removed: ${g.removed.length}`);
    for (const id of g.removed) out.push(`  - ${stepLine(ga, id)}`);
    out.push(`steps changed: ${g.changed.length}`);
    for (const c of g.changed) out.push(`  ~ ${stepLine(gb, c.after)}: ${c.changed.join(', ')}`);
    const removedCaps = g.changed.flatMap((c) => c.capsRemoved.map((cap) => ({ step: c.before, cap })));
    out.push(`capabilities added: ${g.capsAdded.length}`);
    for (const c of g.capsAdded) {
      const rule = d.capsAddedDenied.find((x) => x.step === c.step && x.cap === c.cap)?.rule;
      out.push(`  + step ${c.step} "${stepName(gb, c.step)}": ${capText(c.cap)}${rule ? ` DENIED by rule ${rule}` : ''}`);
    }
    out.push(`capabilities removed: ${removedCaps.length}`);
    for (const c of removedCaps) out.push(`  - step ${c.step} "${stepName(ga, c.step)}": ${capText(c.cap)}`);
    if (g.optionsAdded.length || g.optionsRemoved.length) out.push(`options: +[${g.optionsAdded.join(', ')}] -[${g.optionsRemoved.join(', ')}]`);
    if (g.topLevelAdded.length || g.topLevelRemoved.length) out.push(`top-level steps: +[${g.topLevelAdded.join(', ')}] -[${g.topLevelRemoved.join(', ')}]`);
  }
  out.push(`syscalls new in ${newName}: ${d.syscalls.added.length}`);
  for (const c of d.syscalls.added) {
    const dd = denyingDecision(c.record);
    out.push(`  + ${c.label}${c.countB > 1 ? ` (x${c.countB})` : ''}${dd ? ` DENIED ${dd.op} by rule ${dd.rule}` : ''}`);
  }
  out.push(`syscalls no longer made: ${d.syscalls.removed.length}`);
  for (const c of d.syscalls.removed) out.push(`  - ${c.label}${c.countA > 1 ? ` (x${c.countA})` : ''}`);
  if (d.traceTruncated) out.push('note: a trace hit its size cap; syscalls past it were not compared');
  out.push(d.regressed ? `result: ${newName} adds ${d.capsAddedDenied.length} denied capability requests and ${d.syscallDenialsAdded.length} denied syscalls` : `result: ${newName} adds nothing the policy denies`);
  // Each entry is one line; guest text inside it must not break out of it (audit-common.ts, safe).
  console.log(out.map(safe).join('\n'));
}

export async function diffCommand(argv: string[]): Promise<number> {
  return guard('diff', USAGE, async () => {
    const o = parseCommon(argv);
    if (o.packages.length !== 2) throw new UsageError(`expected two packages (old and new), got ${o.packages.length}`);
    const engine = await loadEngine(o.engine);
    const { policy } = loadPolicy(o);
    const [oldPath, newPath] = o.packages;
    // Sequential: each run is synchronous anyway, and errors then name the first bad input.
    const a = await auditPath(oldPath, o, policy, engine);
    const b = await auditPath(newPath, o, policy, engine);
    const d = diffAudits(a, b);
    const [oldName, newName] = [basename(oldPath), basename(newPath)];
    if (o.json) console.log(JSON.stringify(diffJson(oldName, newName, a, b, d), null, 2));
    else printText(oldName, newName, a, b, d);
    if (!d.graph) {
      console.error(safe(`sandbuild diff: ${d.graphMissing}`));
      return 1;
    }
    return d.regressed ? DENIED_EXIT : 0;
  });
}
