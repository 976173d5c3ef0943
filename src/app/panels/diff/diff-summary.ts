// The diff view's tables and numbers, as pure functions of the worker's DiffResult: the syscall rows (new
// in B, gone in B; labels are src/audit's syscallLabel, computed in the worker), the A → B summary numbers,
// and the `sandbuild diff` command that gives the same result in a terminal.

import type { SyscallChange } from '../../../audit/index.ts';
import { denyingRule } from '../../../worker/denied.ts';
import type { DiffResult, DiffSide, EngineName } from '../../../worker/types.ts';

export interface SyscallRow {
  key: string;
  label: string;
  countA: number;
  countB: number;
  /** The rule that denied it (policy or sandbox escape), when it was denied. */
  deniedBy?: string;
  /** The first record's seq in the run that made it. */
  seq: number;
}

export function syscallRows(changes: readonly SyscallChange[]): SyscallRow[] {
  return changes.map((c) => {
    const deniedBy = denyingRule(c.record);
    return { key: c.key, label: c.label, countA: c.countA, countB: c.countB, seq: c.record.seq, ...(deniedBy ? { deniedBy } : {}) };
  });
}

export interface SideNumbers {
  steps: number;
  syscalls: number;
  capDenials: number;
  syscallDenials: number;
}

function numbers(s: DiffSide): SideNumbers | undefined {
  const m = s.summary;
  return m && { steps: m.stepCount, syscalls: m.syscalls, capDenials: m.capDenials.length, syscallDenials: m.syscallDenials };
}

/** A → B numbers (a side that did not run has none). */
export function summaryNumbers(r: DiffResult): { a?: SideNumbers; b?: SideNumbers } {
  return { a: numbers(r.a), b: numbers(r.b) };
}

/** Quote a shell word only when it needs it. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The terminal equivalent. `policy` is the preset id: the default audit policy needs no flag; any other
 * policy must be saved to a file first (the view says so).
 */
export function cliCommand(aName: string, bName: string, run: { options: Record<string, string>; engine: EngineName | string; policy: string }, json = false): string {
  const parts = ['npx sandbuild diff', shellWord(aName), shellWord(bName)];
  for (const [k, v] of Object.entries(run.options)) parts.push(shellWord(`-D${k}=${v}`));
  if (run.engine !== 'interp') parts.push('--engine', shellWord(run.engine));
  if (run.policy !== 'audit') parts.push('--policy', 'policy.json');
  if (json) parts.push('--json');
  return parts.join(' ');
}
