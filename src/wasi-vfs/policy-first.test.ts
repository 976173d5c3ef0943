// The policy is asked before existence matters (syscalls-path.ts, `locate`): a denied path answers `acces`
// with a deny decision and its rule whether or not it exists; an allowed missing path answers `noent` with
// its allow decision; escapes are refused with `perm` and the host records their decision itself (rule
// `sandbox:outside-package`). Decisions carry the package path and the path as the guest names it.

import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { parsePolicy, type PolicyInput } from '../policy/schema.ts';
import { E, OFLAGS, R } from './constants.ts';
import { ESCAPE_RULE, guestPathOf } from './context.ts';
import { MemFS, type DirNode } from './fs.ts';
import { Harness, PREOPEN_FD as P } from './test-harness.ts';
import { Trace, type TraceDecision } from './trace.ts';

const enc = new TextEncoder();
let fs: MemFS;
let h: Harness;
let trace: Trace;

/** A package at the FS root: build.zig, src/{main.zig, sub/, .ssh/id_rsa, l -> ../build.zig}, links out. */
function pkg(): MemFS {
  const m = new MemFS({ now: () => 0n });
  m.createFile(m.root, 'build.zig', enc.encode('pub fn build() void {}'));
  const src = m.mkdir(m.root, 'src');
  m.createFile(src, 'main.zig', enc.encode('main'));
  m.mkdir(src, 'sub');
  m.createFile(m.mkdir(src, '.ssh'), 'id_rsa', enc.encode('KEY'));
  m.symlink(src, 'l', '../build.zig');
  m.symlink(m.root, 'up', '../../etc');
  m.symlink(m.root, 'abs', '/etc');
  return m;
}

const POLICY: PolicyInput = {
  version: 1,
  default: 'allow',
  fs: [
    { id: 'no-keys', ops: ['read'], paths: ['**/.ssh/**'], verdict: 'deny' },
    { id: 'deny-host-paths', ops: ['read'], paths: ['**'], where: 'outside', verdict: 'deny' },
    { id: 'ro-src', ops: ['create', 'write', 'delete'], paths: ['src/**'], verdict: 'deny' },
  ],
};

function setup(policy: PolicyInput = POLICY, guest = '/'): void {
  fs = pkg();
  trace = new Trace();
  h = new Harness({ fs, trace, policy: parsePolicy(policy), preopens: [{ guest }] });
}

beforeEach(() => setup());

const last = (): TraceDecision[] | undefined => trace.records[trace.records.length - 1].decisions;
const two = (fn: string, a: string, b: string, flags?: number): number => {
  const [ap, al] = h.str(a);
  const [bp, bl] = h.str(b);
  if (fn === 'path_symlink') return h.call(fn, ap, al, P, bp, bl);
  if (fn === 'path_link') return h.call(fn, P, flags ?? 0, ap, al, P, bp, bl);
  return h.call(fn, P, ap, al, P, bp, bl);
};
const withPath = (fn: string, path: string): number => {
  const [p, l] = h.str(path);
  switch (fn) {
    case 'path_filestat_get':
      return h.call(fn, P, 1, p, l, h.alloc(64));
    case 'path_filestat_set_times':
      return h.call(fn, P, 0, p, l, 1n, 1n, 0b1010);
    case 'path_readlink':
      return h.call(fn, P, p, l, h.alloc(64), 64, h.alloc(4));
    default:
      return h.pathCall(fn, P, path);
  }
};

describe('a denied path is acces whether or not it exists', () => {
  // [call, existing path, missing path, the op and the rule that deny each (one for both, or a pair)]
  type Pair = string | [string, string];
  const cases: [string, (path: string) => number, string, string, Pair, Pair][] = [
    ['path_open (read)', (p) => h.tryOpen(P, p, { rights: R.fd_read }).errno, 'src/.ssh/id_rsa', 'src/.ssh/id_ed25519', 'read', 'no-keys'],
    ['path_open (creat)', (p) => h.tryOpen(P, p, { oflags: OFLAGS.creat, rights: R.fd_write }).errno, 'src/main.zig', 'src/new.zig', ['write', 'create'], 'ro-src'],
    ['path_open (creat|excl)', (p) => h.tryOpen(P, p, { oflags: OFLAGS.creat | OFLAGS.excl, rights: R.fd_write }).errno, 'src/.ssh/id_rsa', 'src/.ssh/new', ['read', 'create'], ['no-keys', 'ro-src']],
    ['path_filestat_get', (p) => withPath('path_filestat_get', p), 'src/.ssh/id_rsa', 'src/.ssh/config', 'read', 'no-keys'],
    ['path_filestat_set_times', (p) => withPath('path_filestat_set_times', p), 'src/main.zig', 'src/gone.zig', 'write', 'ro-src'],
    ['path_readlink', (p) => withPath('path_readlink', p), 'src/.ssh/id_rsa', 'src/.ssh/link', 'read', 'no-keys'],
    // Over an existing entry nothing is created, only its existence reported: that is a read (see below).
    ['path_create_directory', (p) => withPath('path_create_directory', p), 'src/.ssh/id_rsa', 'src/.ssh/newdir', ['read', 'create'], ['no-keys', 'ro-src']],
    ['path_remove_directory', (p) => withPath('path_remove_directory', p), 'src/sub', 'src/nodir', 'delete', 'ro-src'],
    ['path_unlink_file', (p) => withPath('path_unlink_file', p), 'src/main.zig', 'src/none.zig', 'delete', 'ro-src'],
    ['path_rename (source)', (p) => two('path_rename', p, 'moved'), 'src/main.zig', 'src/none.zig', 'delete', 'ro-src'],
    ['path_rename (target)', (p) => two('path_rename', 'build.zig', p), 'src/main.zig', 'src/none.zig', 'create', 'ro-src'],
    ['path_link (source)', (p) => two('path_link', p, 'copy'), 'src/main.zig', 'src/none.zig', 'write', 'ro-src'],
    ['path_symlink', (p) => two('path_symlink', 'x', p), 'src/.ssh/id_rsa', 'src/new-link', ['read', 'create'], ['no-keys', 'ro-src']],
    ['path_link (target)', (p) => two('path_link', 'build.zig', p), 'src/.ssh/id_rsa', 'src/.ssh/copy', ['read', 'create'], ['no-keys', 'ro-src']],
  ];
  it.each(cases)('%s', (_, call, existing, missing, ops, rules) => {
    for (const [i, path] of [existing, missing].entries()) {
      const op = typeof ops === 'string' ? ops : ops[i];
      const rule = typeof rules === 'string' ? rules : rules[i];
      expect(call(path)).toBe(E.acces);
      expect(last()).toContainEqual({ op, path, guestPath: `/${path}`, verdict: 'deny', rule });
    }
    // Nothing changed: the denial came before any effect.
    expect(h.fileText('src/main.zig')).toBe('main');
    expect((fs.root.entries.get('src') as DirNode).entries.has('sub')).toBe(true);
  });
});

describe('an allowed missing path is noent, with its decision recorded', () => {
  it('path_open of a missing file', () => {
    expect(h.tryOpen(P, 'src/nope.zig', { rights: R.fd_read }).errno).toBe(E.noent);
    expect(last()).toEqual([{ op: 'read', path: 'src/nope.zig', guestPath: '/src/nope.zig', verdict: 'allow', rule: 'default' }]);
  });
  it('a missing intermediate is decided at the whole requested path', () => {
    expect(h.tryOpen(P, 'src/gone/deeper/x.zig', { rights: R.fd_read }).errno).toBe(E.noent);
    expect(last()?.[0]).toMatchObject({ path: 'src/gone/deeper/x.zig', verdict: 'allow' });
  });
  it('a file used as a directory (notdir) is decided first too', () => {
    expect(h.tryOpen(P, 'build.zig/x').errno).toBe(E.notdir);
    expect(last()?.[0]).toMatchObject({ op: 'read', path: 'build.zig/x', verdict: 'allow' });
    expect(h.tryOpen(P, 'src/.ssh/id_rsa/').errno).toBe(E.acces);
  });
  it('a path through a symlink is decided where it really is', () => {
    expect(h.tryOpen(P, 'src/l').errno).toBe(E.success);
    expect(last()?.[0]).toMatchObject({ path: 'build.zig', guestPath: '/src/l' });
  });
  it('existing and missing answers differ only where the policy allows', () => {
    expect(withPath('path_create_directory', 'src2')).toBe(E.success);
    expect(withPath('path_create_directory', 'src2')).toBe(E.exist);
  });
  it('mkdir of a folder the guest may read but not create is exist, as POSIX (Zig makePath relies on it)', () => {
    expect(withPath('path_create_directory', 'src/sub')).toBe(E.exist);
    expect(last()).toEqual([{ op: 'read', path: 'src/sub', guestPath: '/src/sub', verdict: 'allow', rule: 'default' }]);
    expect(withPath('path_create_directory', 'src/sub2')).toBe(E.acces);
  });
});

describe('paths outside the package in the guest\'s view (rule `where: outside`)', () => {
  it('/root/.aws/credentials, sent as root/.aws/credentials, is a denied read of a host path', () => {
    expect(h.tryOpen(P, 'root/.aws/credentials', { rights: R.fd_read }).errno).toBe(E.acces);
    expect(last()).toEqual([
      { op: 'read', path: 'root/.aws/credentials', guestPath: '/root/.aws/credentials', verdict: 'deny', rule: 'deny-host-paths' },
    ]);
  });
  it('first match wins: /root/.ssh/id_rsa is caught by the earlier key rule', () => {
    expect(h.tryOpen(P, 'root/.ssh/id_rsa', { rights: R.fd_read }).errno).toBe(E.acces);
    expect(last()?.[0]).toMatchObject({ path: 'root/.ssh/id_rsa', rule: 'no-keys' });
  });
  it('a stat of /etc and a readlink under /home are denied the same way', () => {
    expect(withPath('path_filestat_get', 'etc')).toBe(E.acces);
    expect(withPath('path_readlink', 'home/u/.bashrc')).toBe(E.acces);
    expect(last()?.[0].rule).toBe('deny-host-paths');
  });
  it('a missing path under a top-level entry the package has is inside: noent', () => {
    expect(h.tryOpen(P, 'src/etc/passwd', { rights: R.fd_read }).errno).toBe(E.noent);
  });
  it('a top-level entry created during the run is inside from then on', () => {
    expect(h.tryOpen(P, 'out/x').errno).toBe(E.acces);
    expect(withPath('path_create_directory', 'out')).toBe(E.success);
    expect(h.tryOpen(P, 'out/x').errno).toBe(E.noent);
  });
  it('the guest path follows the preopen name as the guest\'s libc reads it', () => {
    setup(POLICY, '.');
    expect(h.tryOpen(P, 'root/.ssh/id_rsa').errno).toBe(E.acces);
    expect(last()?.[0]).toMatchObject({ path: 'root/.ssh/id_rsa', guestPath: '/root/.ssh/id_rsa' });
  });
});

describe('escapes: refused by the host, which records the decision (no policy can allow them)', () => {
  // A policy that allows everything, so any deny below is the host's.
  beforeEach(() => setup({ version: 1, default: 'allow' }));
  const escape = (op: string, path: string, guestPath: string) => ({ op, path, guestPath, verdict: 'deny', rule: ESCAPE_RULE });

  it('".." past the preopen', () => {
    expect(h.tryOpen(P, '../.env', { rights: R.fd_read }).errno).toBe(E.perm);
    expect(last()).toEqual([escape('read', '../.env', '/../.env')]);
    // Opened for reading and writing, the write is the op named.
    expect(h.tryOpen(P, '../.env', { rights: R.fd_read | R.fd_write }).errno).toBe(E.perm);
    expect(last()).toEqual([escape('write', '../.env', '/../.env')]);
  });
  it('".." past the preopen after descending', () => {
    expect(h.tryOpen(P, 'src/sub/../../../x', { rights: R.fd_read }).errno).toBe(E.perm);
    expect(last()).toEqual([escape('read', '../x', '/src/sub/../../../x')]);
  });
  it('an absolute path', () => {
    expect(h.tryOpen(P, '/root/.config/autostart/x.desktop', { oflags: OFLAGS.creat | OFLAGS.trunc, rights: R.fd_write }).errno).toBe(E.perm);
    expect(last()).toEqual([escape('create', '/root/.config/autostart/x.desktop', '/root/.config/autostart/x.desktop')]);
  });
  it('a relative symlink leading out', () => {
    expect(h.tryOpen(P, 'up/passwd', { rights: R.fd_read }).errno).toBe(E.perm);
    expect(last()).toEqual([escape('read', '../../etc/passwd', '/up/passwd')]);
  });
  it('an absolute symlink', () => {
    expect(withPath('path_filestat_get', 'abs/passwd')).toBe(E.perm);
    expect(last()).toEqual([escape('read', '/etc/passwd', '/abs/passwd')]);
  });
  it('creating an absolute symlink', () => {
    expect(two('path_symlink', '/etc/passwd', 'src/pw')).toBe(E.perm);
    expect(last()).toEqual([escape('create', 'src/pw', '/src/pw')]);
    expect((fs.root.entries.get('src') as DirNode).entries.has('pw')).toBe(false);
  });
  it('unlink, rename and mkdir name the op they needed', () => {
    expect(withPath('path_unlink_file', '../x')).toBe(E.perm);
    expect(last()).toEqual([escape('delete', '../x', '/../x')]);
    expect(two('path_rename', 'build.zig', '../stolen')).toBe(E.perm);
    expect(last()).toContainEqual(escape('create', '../stolen', '/../stolen'));
    expect(withPath('path_create_directory', '../evil')).toBe(E.perm);
    expect(last()).toEqual([escape('create', '../evil', '/../evil')]);
  });
  it('an escape is never shown to the policy (learn mode does not learn it)', () => {
    setup({ version: 1, mode: 'learn' });
    expect(h.tryOpen(P, '../.env').errno).toBe(E.perm);
    expect(last()?.[0].rule).toBe(ESCAPE_RULE);
    expect(h.host.policyEngine.learned().fs).toEqual([]);
  });
  it('perm that is no escape (hard link of a directory) carries no deny decision', () => {
    expect(two('path_link', 'src/sub', 'sub2')).toBe(E.perm);
    expect(last()?.every((d) => d.verdict === 'allow')).toBe(true);
  });
});

describe('guestPathOf', () => {
  it.each([
    ['/', 'root/.ssh/id_rsa', '/root/.ssh/id_rsa'],
    ['.', 'root/.ssh/id_rsa', '/root/.ssh/id_rsa'],
    ['./', 'a/./b/', '/a/b'],
    ['./src', 'x', '/src/x'],
    ['/work', '../x', '/work/../x'],
    ['work', 'x', '/work/x'],
    ['.', '.', '/'],
    ['.', '/etc/passwd', '/etc/passwd'],
  ])('(%j, %j) is %j', (fd, rel, want) => expect(guestPathOf(fd, rel)).toBe(want));
});

describe('the errno of a denied call does not depend on what exists (property)', () => {
  // Two packages that differ only in what exists under secret/ and at the top; the same policy; any path.
  const build = (full: boolean): MemFS => {
    const m = new MemFS({ now: () => 0n });
    const s = m.mkdir(m.root, 'secret');
    m.mkdir(m.root, 'pub');
    if (full) {
      m.createFile(s, 'key', enc.encode('KEY'));
      m.mkdir(s, 'dir');
      m.symlink(s, 'back', '../pub');
      m.mkdir(m.root, 'etc');
    }
    return m;
  };
  const policy = parsePolicy({
    version: 1,
    default: 'allow',
    fs: [
      { id: 'no-secret', ops: ['read', 'write', 'create', 'delete'], paths: ['secret/**'], verdict: 'deny' },
      { id: 'deny-host-paths', ops: ['read'], paths: ['**'], where: 'outside', verdict: 'deny' },
    ],
  });
  const comp = fc.constantFrom('secret', 'key', 'dir', 'back', 'pub', 'etc', 'nope', '.', '..');
  const relPath = fc.array(comp, { minLength: 1, maxLength: 5 }).map((cs) => cs.join('/'));
  const calls = ['open', 'path_filestat_get', 'path_create_directory', 'path_unlink_file', 'path_remove_directory'] as const;

  it('a call denied in one package is denied, with the same rule, in the other', () => {
    fc.assert(
      fc.property(relPath, fc.constantFrom(...calls), (p, call) => {
        const run = (full: boolean) => {
          const t = new Trace();
          const hh = new Harness({ fs: build(full), trace: t, policy });
          const [ptr, len] = hh.str(p);
          const errno = call === 'open' ? hh.tryOpen(P, p, { rights: R.fd_read }).errno
            : call === 'path_filestat_get' ? hh.call(call, P, 1, ptr, len, hh.alloc(64))
            : hh.call(call, P, ptr, len);
          const deny = t.records[0].decisions?.find((d) => d.verdict === 'deny');
          return { errno, rule: deny?.rule };
        };
        const [a, b] = [run(true), run(false)];
        // Paths below the denied folder are compared: there the answer must not reveal what exists. Left
        // out: `..` (it can leave the folder) and the symlink `back`, which the policy judges where it
        // leads (the real location, by design). Elsewhere existence legitimately differs (`etc`).
        const cs = p.split('/').filter((c) => c !== '.' && c !== '');
        if (cs.length >= 2 && cs[0] === 'secret' && !cs.includes('..') && !cs.includes('back')) {
          expect(a.rule).toBe('no-secret');
          expect(b).toEqual(a);
          expect(a.errno).toBe(E.acces);
        }
        // Whatever the path: a policy denial is acces, an escape is perm, and both name their rule.
        for (const r of [a, b]) {
          if (r.rule === ESCAPE_RULE) expect(r.errno).toBe(E.perm);
          else if (r.rule !== undefined) expect(r.errno).toBe(E.acces);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
