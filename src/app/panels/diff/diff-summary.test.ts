import { describe, expect, it } from 'vitest';
import { diffTraces } from '../../../audit/index.ts';
import type { TraceRecord } from '../../../wasi-vfs/index.ts';
import { cliCommand, shellWord, syscallRows } from './diff-summary.ts';

const open = (seq: number, path: string, extra: Partial<TraceRecord> = {}): TraceRecord => ({ seq, fn: 'path_open', args: { fd: { fd: 3, path: '.' }, path }, errno: 'success', ...extra });

describe('syscallRows', () => {
  it('keeps diffTraces’ labels and counts and names the denying rule', () => {
    const denied = open(2, 'root/.ssh/id_rsa', { errno: 'acces', decisions: [{ op: 'read', path: 'root/.ssh/id_rsa', verdict: 'deny', rule: 'deny-host-paths' }] });
    const d = diffTraces([open(0, 'a')], [open(0, 'b'), open(1, 'b'), denied]);
    expect(syscallRows(d.added).map(({ label, countA, countB, deniedBy, seq }) => ({ label, countA, countB, deniedBy, seq }))).toEqual([
      { label: 'path_open b -> success', countA: 0, countB: 2, deniedBy: undefined, seq: 0 },
      { label: 'path_open root/.ssh/id_rsa -> acces', countA: 0, countB: 1, deniedBy: 'deny-host-paths', seq: 2 },
    ]);
    expect(syscallRows(d.removed).map((r) => [r.label, r.countA, r.countB])).toEqual([['path_open a -> success', 1, 0]]);
  });
});

describe('cliCommand', () => {
  it('is the sandbuild diff invocation with the same options, engine and policy', () => {
    expect(cliCommand('g-v1.tar.gz', 'g-v2.tar.gz', { options: {}, engine: 'interp', policy: 'audit' })).toBe('npx sandbuild diff g-v1.tar.gz g-v2.tar.gz');
    expect(cliCommand('old pkg.tgz', "it's.tgz", { options: { 'fetch-assets': 'true', name: 'a b' }, engine: 'native', policy: 'custom' }, true)).toBe(
      `npx sandbuild diff 'old pkg.tgz' 'it'\\''s.tgz' -Dfetch-assets=true '-Dname=a b' --engine native --policy policy.json --json`,
    );
    expect(shellWord('$(rm -rf ~)')).toBe("'$(rm -rf ~)'");
  });
});
