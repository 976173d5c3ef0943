import { describe, expect, it } from 'vitest';
import { auditPolicy } from '../../../audit/index.ts';
import type { Attribution, FrameSource } from '../../../attribution/index.ts';
import { withAllowRule } from '../../../session/index.ts';
import { E } from '../../../wasi-vfs/constants.ts';
import type { TraceRecord } from '../../../wasi-vfs/index.ts';
import { addedRules, answeredText, argRows, attributionText, decisionView, enabledControls, errnoText, frameRows, packageText, parseSeq, shortcutFor, statusText, type ControlState } from './view-format.ts';

const open: TraceRecord = {
  seq: 7,
  fn: 'path_open',
  errno: 'acces',
  args: { fd: { fd: 3, path: '.' }, path: 'root/.ssh/id_rsa', dirflags: ['symlink_follow'], oflags: [], rights: ['fd_read', 'fd_seek'] },
  decisions: [{ op: 'read', path: 'root/.ssh/id_rsa', guestPath: '/root/.ssh/id_rsa', verdict: 'deny', rule: 'deny-host-paths' }],
};

describe('paused call', () => {
  it('lists every decoded arg in order, empty flag sets as none', () => {
    expect(argRows(open)).toEqual([
      { name: 'fd', text: '3<.>' },
      { name: 'path', text: '"root/.ssh/id_rsa"' },
      { name: 'dirflags', text: 'symlink_follow' },
      { name: 'oflags', text: 'none' },
      { name: 'rights', text: 'fd_read|fd_seek' },
    ]);
  });

  it('names the errno the guest will get', () => {
    expect(errnoText(E.acces)).toBe('acces (2)');
    expect(errnoText(0)).toBe('success (0)');
    expect(errnoText(undefined)).toBe('—');
  });

  it('shows the decision with its rule, and the guest path only when it is spelled differently', () => {
    expect(decisionView(open.decisions![0])).toEqual({ verdict: 'deny', what: 'read root/.ssh/id_rsa', rule: 'deny-host-paths' });
    expect(decisionView({ op: 'read', path: '../.env', guestPath: '/../.env', verdict: 'deny', rule: 'sandbox:outside-package' })!.what).toBe('read ../.env');
    expect(decisionView({ op: 'read', path: 'x', guestPath: '/work/x', verdict: 'allow', rule: 'r' })!.what).toBe('read x (guest: /work/x)');
    expect(decisionView(undefined)).toBeUndefined();
  });
});

describe('stack and attribution', () => {
  const frames: FrameSource[] = [
    { func: 1, name: '_start', offset: 10 },
    { func: 273, name: 'build.build', offset: 112195, source: { file: 'build.zig', line: 22, column: 48 } },
    { func: 89, name: 'open', offset: 10269, source: { file: '/zig-lib/posix.c', line: 67, column: 12 }, inlinedCallers: [{ file: '/zig-lib/posix.c', line: 53, column: 12 }] },
    { func: 55, offset: 5077 },
  ];
  const a: Attribution = { package: '', frameIndex: 1, func: 273, name: 'build.build', offset: 112195, file: 'build.zig', line: 22, column: 48, inlined: false, via: 'dwarf' };

  it('lists frames innermost first with source lines, inlined call sites and the attributed frame', () => {
    expect(frameRows(frames, a)).toEqual([
      { index: 3, name: 'func[55]', where: undefined, inlined: [], attributed: false },
      { index: 2, name: 'open', where: '/zig-lib/posix.c:67', inlined: ['/zig-lib/posix.c:53'], attributed: false },
      { index: 1, name: 'build.build', where: 'build.zig:22', inlined: [], attributed: true },
      { index: 0, name: '_start', where: undefined, inlined: [], attributed: false },
    ]);
  });

  it('says which line of which package', () => {
    expect(attributionText(a)).toBe('build.zig:22 in the root package');
    expect(attributionText({ ...a, package: 'dep "x"' })).toBe('build.zig:22 in package "dep \\"x\\""');
    expect(attributionText({ frameIndex: 1, func: 273, name: 'build.build', offset: 1, via: 'name' })).toBe('build.build in some package');
    expect(attributionText({ ...a, inlined: true })).toBe('build.zig:22 in the root package (inlined call site)');
    expect(attributionText(undefined)).toBeUndefined();
    // With the root's build.zig.zon name (what the trace shows), the root is named like the trace names it.
    expect(packageText('', 'tiny')).toBe('tiny (root package)');
    expect(packageText('', undefined)).toBe('the root package');
    expect(packageText('alpha', 'tiny')).toBe('package "alpha"');
  });
});

describe('controls', () => {
  const base: ControlState = { open: true, busy: false, running: false, status: 'paused', seq: 3 };

  it('disables everything but close while a call is in flight, and all but pause and close while running', () => {
    const busy = enabledControls({ ...base, busy: true });
    expect(Object.entries(busy).filter(([, v]) => v).map(([k]) => k)).toEqual(['close']);
    const running = enabledControls({ ...base, running: true, status: 'running' });
    expect(Object.entries(running).filter(([, v]) => v).map(([k]) => k)).toEqual(['pause', 'close']);
  });

  it('needs an answer at a prompt before going forwards; back works there', () => {
    const c = enabledControls({ ...base, status: 'ask' });
    expect([c.next, c.denied, c.run, c.answer, c.back, c.runTo, c.restart]).toEqual([false, false, false, true, true, true, true]);
  });

  it('cannot step back before the first syscall, nor go forwards after the end', () => {
    expect(enabledControls({ ...base, status: 'ready', seq: -1 }).back).toBe(false);
    const done = enabledControls({ ...base, status: 'done', seq: 17 });
    expect([done.next, done.denied, done.run, done.back]).toEqual([false, false, false, true]);
    expect(Object.values(enabledControls({ ...base, open: false, status: undefined })).some(Boolean)).toBe(false);
  });
});

describe('shortcuts', () => {
  const none = { ctrlKey: false, metaKey: false, altKey: false };

  it('maps n, p and c', () => {
    expect(['n', 'p', 'c', 'x', 'N'].map((k) => shortcutFor(k, none, { tagName: 'BODY' }))).toEqual(['next', 'back', 'denied', undefined, undefined]);
    expect(shortcutFor('n', none, null)).toBe('next');
  });

  it('ignores keys typed into fields and editors, and with modifiers', () => {
    for (const t of [{ tagName: 'input' }, { tagName: 'TEXTAREA' }, { tagName: 'SELECT' }, { tagName: 'DIV', isContentEditable: true }, { tagName: 'DIV', inEditor: true }]) {
      expect(shortcutFor('n', none, t)).toBeUndefined();
    }
    expect(shortcutFor('c', { ...none, ctrlKey: true }, { tagName: 'BODY' })).toBeUndefined();
    expect(shortcutFor('p', { ...none, metaKey: true }, { tagName: 'BODY' })).toBeUndefined();
  });
});

describe('small parts', () => {
  it('parses the run-to box', () => {
    expect(['12', ' #7 ', '0', '-1', '1.5', '', 'abc', '1e3'].map(parseSeq)).toEqual([12, 7, 0, undefined, undefined, undefined, undefined, undefined]);
  });

  it('finds the rules "allow always" added', () => {
    const p = auditPolicy();
    const q = withAllowRule(p, 'read', 'root/.ssh/id_rsa');
    expect(addedRules(p, q)).toEqual([q.fs[0]]);
    expect(addedRules(p, p)).toEqual([]);
    expect(addedRules(q, p)).toEqual([]);
  });

  it('says where the session stands', () => {
    expect(statusText('paused', 7, 'path_open', false)).toBe('paused at #7 (path_open)');
    expect(statusText('ask', 7, 'path_open', false)).toBe('asking at #7 (path_open)');
    expect(statusText('done', 17, undefined, false)).toBe('done: 17 syscalls');
    expect(statusText('paused', 7, 'x', true)).toBe('running…');
    expect(statusText(undefined, -1, undefined, false)).toBe('no session');
    expect(statusText('running', 4, undefined, false)).toBe('paused between syscalls (after #4)');
    expect(statusText('running', -1, undefined, false)).toBe('paused before the first syscall');
  });

  it('says what to press after a prompt was answered', () => {
    expect(answeredText('once', 8, 44)).toBe('Answered "allow once": stopped at the answered call #8, where the guest gets noent (44). Run goes on to the next prompt or the end; n steps one syscall.');
    expect(answeredText('deny', 3, undefined)).toBe('Answered "deny": stopped at the answered call #3. Run goes on to the next prompt or the end; n steps one syscall.');
  });
});
