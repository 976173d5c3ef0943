// Adversarial path tests: every escape class other WASI runtimes shipped a fix for. The FS root holds
// `outside/secret.txt`; only `sandbox/` is preopened (fd 3). After each test the secret must be intact and
// nothing may have appeared outside the sandbox.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/schema.ts';
import { E, OFLAGS, R, READONLY_DROP_RIGHTS } from './constants.ts';
import { MemFS, type DirNode } from './fs.ts';
import { MAX_SYMLINK_EXPANSIONS } from './path.ts';
import { Harness, PREOPEN_FD as P } from './test-harness.ts';

let fs: MemFS;
let sandbox: DirNode;
let h: Harness;

function setup(extra: Partial<ConstructorParameters<typeof Harness>[0]> = {}): Harness {
  return new Harness({ fs, preopens: [{ guest: '/', dir: sandbox }], ...extra });
}

beforeEach(() => {
  fs = new MemFS({ now: () => 0n });
  const outside = fs.mkdir(fs.root, 'outside');
  fs.createFile(outside, 'secret.txt', new TextEncoder().encode('secret'));
  sandbox = fs.mkdir(fs.root, 'sandbox');
  const a = fs.mkdir(sandbox, 'a');
  fs.mkdir(a, 'b');
  fs.createFile(a, 'f', new TextEncoder().encode('in a'));
  fs.createFile(sandbox, 'file', new TextEncoder().encode('data'));
  h = setup();
});

afterEach(() => {
  // Invariant for every case: the outside world is exactly as it was.
  expect([...fs.root.entries.keys()].sort()).toEqual(['outside', 'sandbox']);
  const outside = fs.root.entries.get('outside') as DirNode;
  expect([...outside.entries.keys()]).toEqual(['secret.txt']);
  expect(h.fileText('outside/secret.txt')).toBe('secret');
});

const symlink = (target: string, at: string, fd = P): number => {
  const [tp, tl] = h.str(target);
  const [np, nl] = h.str(at);
  return h.call('path_symlink', tp, tl, fd, np, nl);
};
const rename = (from: string, to: string): number => {
  const [ap, al] = h.str(from);
  const [bp, bl] = h.str(to);
  return h.call('path_rename', P, ap, al, P, bp, bl);
};
const link = (from: string, to: string): number => {
  const [ap, al] = h.str(from);
  const [bp, bl] = h.str(to);
  return h.call('path_link', P, 0, ap, al, P, bp, bl);
};
const stat = (path: string, follow = true): number => {
  const [p, l] = h.str(path);
  return h.call('path_filestat_get', P, follow ? 1 : 0, p, l, h.alloc(64));
};

describe('".." checked as text only, or only in path_open', () => {
  it('open ".." is perm', () => expect(h.tryOpen(P, '..').errno).toBe(E.perm));
  it('open "../outside/secret.txt" is perm', () => expect(h.tryOpen(P, '../outside/secret.txt').errno).toBe(E.perm));
  it('".." after a real component still cannot leave', () => expect(h.tryOpen(P, 'a/../../outside/secret.txt').errno).toBe(E.perm));
  it('deeper ".." chain', () => expect(h.tryOpen(P, 'a/b/../../../outside/secret.txt').errno).toBe(E.perm));
  it('"./../x" is perm', () => expect(h.tryOpen(P, './../x').errno).toBe(E.perm));
  it('".." that comes back inside is not allowed to pass outside in between', () => {
    // Textually this normalises to "sandbox/file", but it steps outside the preopen on the way.
    expect(h.tryOpen(P, '../sandbox/file').errno).toBe(E.perm);
  });
  it('".." that stays inside works', () => expect(h.tryOpen(P, 'a/b/../../file').errno).toBe(E.success));
  it('path_create_directory "../evil" is perm', () => expect(h.pathCall('path_create_directory', P, '../evil')).toBe(E.perm));
  it('path_unlink_file "../outside/secret.txt" is perm', () => expect(h.pathCall('path_unlink_file', P, '../outside/secret.txt')).toBe(E.perm));
  it('path_remove_directory "../outside" is perm', () => expect(h.pathCall('path_remove_directory', P, '../outside')).toBe(E.perm));
  it('path_filestat_get "../outside/secret.txt" is perm', () => expect(stat('../outside/secret.txt')).toBe(E.perm));
  it('path_filestat_set_times "../outside/secret.txt" is perm', () => {
    const [p, l] = h.str('../outside/secret.txt');
    expect(h.call('path_filestat_set_times', P, 1, p, l, 1n, 1n, 0b1010)).toBe(E.perm);
  });
  it('path_readlink "../x" is perm', () => {
    const [p, l] = h.str('../x');
    expect(h.call('path_readlink', P, p, l, h.alloc(64), 64, h.alloc(4))).toBe(E.perm);
  });
  it('path_symlink at "../evil" is perm', () => expect(symlink('file', '../evil')).toBe(E.perm));
  it('a directory fd is its own root: ".." from a subdirectory fd is perm', () => {
    const sub = h.open(P, 'a', { oflags: OFLAGS.directory });
    expect(h.tryOpen(sub, '../file').errno).toBe(E.perm);
  });
});

describe('symlinks to ../../.. created and then followed', () => {
  it('a symlink to "../../.." may be created but not followed', () => {
    expect(symlink('../../..', 'up')).toBe(E.success);
    expect(h.tryOpen(P, 'up/outside/secret.txt').errno).toBe(E.perm);
    expect(stat('up')).toBe(E.perm);
    expect(stat('up', false)).toBe(E.success);
  });
  it('a symlink to ".." at the root escapes nothing', () => {
    expect(symlink('..', 'parent')).toBe(E.success);
    expect(h.tryOpen(P, 'parent/outside/secret.txt').errno).toBe(E.perm);
  });
  it('a symlink in a subdirectory to "../.." is perm when followed', () => {
    expect(symlink('../..', 'a/up2')).toBe(E.success);
    expect(h.tryOpen(P, 'a/up2/outside/secret.txt').errno).toBe(E.perm);
  });
  it('a chain of symlinks ending outside is perm', () => {
    expect(symlink('l2', 'l1')).toBe(E.success);
    expect(symlink('../outside', 'l2')).toBe(E.success);
    expect(h.tryOpen(P, 'l1/secret.txt').errno).toBe(E.perm);
  });
  it('absolute symlink targets are refused at creation', () => expect(symlink('/outside/secret.txt', 'abs')).toBe(E.perm));
  it('an absolute symlink that came from a package is refused when followed', () => {
    fs.symlink(sandbox, 'abs', '/outside/secret.txt');
    expect(h.tryOpen(P, 'abs').errno).toBe(E.perm);
    expect(stat('abs', false)).toBe(E.success);
  });
  it('".." inside a symlink target is resolved from the link\'s directory (POSIX), staying inside', () => {
    expect(symlink('b', 'a/lb')).toBe(E.success);
    // a/lb → a/b, then ".." → a, then f → a/f
    const fd = h.open(P, 'a/lb/../f');
    expect(new TextDecoder().decode(h.read(fd, 16))).toBe('in a');
  });
  it('symlink loops end in loop', () => {
    symlink('y', 'x');
    symlink('x', 'y');
    expect(h.tryOpen(P, 'x').errno).toBe(E.loop);
    symlink('self', 'self');
    expect(h.tryOpen(P, 'self').errno).toBe(E.loop);
  });
  it(`a chain of ${MAX_SYMLINK_EXPANSIONS} links resolves and one more is loop`, () => {
    for (let i = 0; i < MAX_SYMLINK_EXPANSIONS; i++) symlink(i === 0 ? 'file' : `s${i - 1}`, `s${i}`);
    expect(h.tryOpen(P, `s${MAX_SYMLINK_EXPANSIONS - 1}`).errno).toBe(E.success);
    symlink(`s${MAX_SYMLINK_EXPANSIONS - 1}`, 'over');
    expect(h.tryOpen(P, 'over').errno).toBe(E.loop);
  });
  it('opening a symlink without follow is loop, not the target', () => {
    symlink('../outside/secret.txt', 'nf');
    expect(h.tryOpen(P, 'nf', { follow: false }).errno).toBe(E.loop);
  });
});

describe('trailing slash combined with a symlink', () => {
  it('"file/" is notdir', () => expect(h.tryOpen(P, 'file/').errno).toBe(E.notdir));
  it('a symlink to a file with a trailing slash is notdir', () => {
    symlink('file', 'flink');
    expect(h.tryOpen(P, 'flink/').errno).toBe(E.notdir);
  });
  it('a trailing slash forces following, and following an escaping link is perm', () => {
    symlink('../outside', 'esc');
    expect(h.tryOpen(P, 'esc/', { follow: false }).errno).toBe(E.perm);
    expect(h.pathCall('path_unlink_file', P, 'esc/')).toBe(E.perm);
  });
  it('a symlink to a directory with a trailing slash opens the directory', () => {
    symlink('a', 'dlink');
    expect(h.tryOpen(P, 'dlink/', { oflags: OFLAGS.directory }).errno).toBe(E.success);
  });
  it('unlink "link/" for a link to a directory does not remove the directory', () => {
    symlink('a', 'dlink');
    expect(h.pathCall('path_unlink_file', P, 'dlink/')).toBe(E.isdir);
    expect(sandbox.entries.get('a')?.kind).toBe('dir');
  });
});

describe('rename or link across the root', () => {
  it('rename a file to "../moved" is perm and the file stays', () => {
    expect(rename('file', '../moved')).toBe(E.perm);
    expect(h.fileText('sandbox/file')).toBe('data');
  });
  it('rename from outside into the sandbox is perm', () => expect(rename('../outside/secret.txt', 'stolen')).toBe(E.perm));
  it('rename through an escaping symlink directory is perm', () => {
    symlink('../outside', 'esc');
    expect(rename('esc/secret.txt', 'stolen')).toBe(E.perm);
    expect(rename('file', 'esc/planted')).toBe(E.perm);
  });
  it('hard link from outside is perm', () => expect(link('../outside/secret.txt', 'stolen')).toBe(E.perm));
  it('hard link to outside is perm', () => expect(link('file', '../outside/planted')).toBe(E.perm));
  it('hard links to directories are perm', () => expect(link('a', 'alink')).toBe(E.perm));
  it('a directory cannot be renamed into its own subdirectory', () => expect(rename('a', 'a/b/a')).toBe(E.inval));
});

describe('read-only bypass: truncate, open flags, a second mount', () => {
  beforeEach(() => {
    h = setup({ preopens: [{ guest: '/', dir: sandbox, dropRights: READONLY_DROP_RIGHTS }] });
  });
  it('O_TRUNC on a read-only mount is notcapable and the file is intact', () => {
    expect(h.tryOpen(P, 'file', { oflags: OFLAGS.trunc }).errno).toBe(E.notcapable);
    expect(h.fileText('sandbox/file')).toBe('data');
  });
  it('O_CREAT on a read-only mount is notcapable', () => {
    expect(h.tryOpen(P, 'new', { oflags: OFLAGS.creat }).errno).toBe(E.notcapable);
    expect(sandbox.entries.has('new')).toBe(false);
  });
  it('opening for write on a read-only mount is notcapable', () => {
    expect(h.tryOpen(P, 'file', { rights: R.fd_write }).errno).toBe(E.notcapable);
  });
  it('an fd opened for reading cannot truncate, allocate or write', () => {
    const fd = h.open(P, 'file', { rights: R.fd_read | R.fd_seek | R.fd_filestat_get });
    expect(h.call('fd_filestat_set_size', fd, 0n)).toBe(E.notcapable);
    expect(h.call('fd_allocate', fd, 0n, 100n)).toBe(E.notcapable);
    expect(() => h.write(fd, 'x')).toThrow(/notcapable/);
    expect(h.fileText('sandbox/file')).toBe('data');
  });
  it('rights cannot be regained with fd_fdstat_set_rights', () => {
    const fd = h.open(P, 'file', { rights: R.fd_read });
    expect(h.call('fd_fdstat_set_rights', fd, R.fd_read | R.fd_write, 0n)).toBe(E.notcapable);
  });
  it('unlink, rmdir, rename, mkdir, symlink are all refused', () => {
    expect(h.pathCall('path_unlink_file', P, 'file')).toBe(E.notcapable);
    expect(h.pathCall('path_remove_directory', P, 'a/b')).toBe(E.notcapable);
    expect(h.pathCall('path_create_directory', P, 'd')).toBe(E.notcapable);
    expect(rename('file', 'file2')).toBe(E.notcapable);
    expect(symlink('file', 'sl')).toBe(E.notcapable);
  });
  it('a second, writable mount of the same tree is still bound by the path policy', () => {
    const policy = parsePolicy({
      version: 1, default: 'allow',
      fs: [{ id: 'protect-file', ops: ['write', 'delete'], paths: ['sandbox/file'], verdict: 'deny' }],
    });
    h = setup({ policy, preopens: [{ guest: '/ro', dir: sandbox, dropRights: READONLY_DROP_RIGHTS }, { guest: '/rw', dir: sandbox }] });
    const rw = 4;
    expect(h.tryOpen(rw, 'file', { oflags: OFLAGS.trunc }).errno).toBe(E.acces);
    expect(h.tryOpen(rw, 'a/../file', { rights: R.fd_write }).errno).toBe(E.acces);
    expect(h.pathCall('path_unlink_file', rw, 'file')).toBe(E.acces);
    expect(h.fileText('sandbox/file')).toBe('data');
  });
  it('a hard link cannot carry a protected file into a writable folder', () => {
    const policy = parsePolicy({
      version: 1, default: 'allow',
      fs: [{ id: 'protect-a', ops: ['write', 'delete'], paths: ['sandbox/a/**'], verdict: 'deny' }],
    });
    h = setup({ policy });
    expect(link('a/f', 'copy')).toBe(E.acces);
    expect(sandbox.entries.has('copy')).toBe(false);
  });
  it('renaming a directory needs delete on everything inside it', () => {
    const policy = parsePolicy({
      version: 1, default: 'allow',
      fs: [{ id: 'protect-a', ops: ['write', 'delete'], paths: ['sandbox/a/**'], verdict: 'deny' }],
    });
    h = setup({ policy });
    expect(rename('a', 'moved')).toBe(E.acces);
    expect(sandbox.entries.get('a')?.kind).toBe('dir');
    expect(h.fileText('sandbox/a/f')).toBe('in a');
  });
  it('a rename cannot drop new content onto a write-protected path', () => {
    const policy = parsePolicy({
      version: 1, default: 'allow',
      fs: [{ id: 'ro-a', ops: ['write'], paths: ['sandbox/a/**'], verdict: 'deny' }],
    });
    h = setup({ policy });
    expect(rename('file', 'a/f')).toBe(E.acces);
    expect(rename('file', 'a/new')).toBe(E.acces);
    expect(h.fileText('sandbox/a/f')).toBe('in a');
  });
  it('the policy judges the real location, not the symlink text', () => {
    const policy = parsePolicy({ version: 1, default: 'deny', fs: [{ ops: ['read', 'create'], paths: ['sandbox/a/**', 'sandbox/a'], verdict: 'allow' }] });
    h = setup({ policy });
    fs.symlink(sandbox.entries.get('a') as DirNode, 'lf', '../file');
    expect(h.tryOpen(P, 'a/f', { rights: R.fd_read }).errno).toBe(E.success);
    expect(h.tryOpen(P, 'a/lf', { rights: R.fd_read }).errno).toBe(E.acces);
  });
});

describe('information from outside', () => {
  it("readdir's '..' at the preopen root is the root itself, also through a re-opened '.'", () => {
    const inoOf = (fd: number, want: string): bigint | undefined => {
      const buf = h.alloc(512);
      const used = h.alloc(4);
      expect(h.call('fd_readdir', fd, buf, 512, 0n, used)).toBe(E.success);
      const dv = new DataView(h.buf);
      for (let off = 0; off + 24 <= h.u32(used); ) {
        const len = dv.getUint32(buf + off + 16, true);
        if (new TextDecoder().decode(h.bytes(buf + off + 24, len)) === want) return dv.getBigUint64(buf + off + 8, true);
        off += 24 + len;
      }
      return undefined;
    };
    const dot = h.open(P, '.', { oflags: OFLAGS.directory });
    expect(inoOf(P, '..')).toBe(BigInt(sandbox.ino));
    expect(inoOf(dot, '..')).toBe(BigInt(sandbox.ino));
    const sub = h.open(P, 'a', { oflags: OFLAGS.directory });
    expect(inoOf(sub, '..')).toBe(BigInt(sandbox.ino));
  });
});

describe('renumbering or closing a preopen; fd_renumber onto a bad fd', () => {
  it('a closed preopen is badf for path calls', () => {
    expect(h.call('fd_close', P)).toBe(E.success);
    expect(h.tryOpen(P, 'file').errno).toBe(E.badf);
    expect(h.pathCall('path_create_directory', P, 'x')).toBe(E.badf);
  });
  it('fd_renumber onto a closed fd is badf and both fds are unchanged', () => {
    expect(h.call('fd_renumber', P, 77)).toBe(E.badf);
    expect(h.tryOpen(P, 'file').errno).toBe(E.success);
  });
  it('fd_renumber from a bad fd is badf', () => expect(h.call('fd_renumber', 99, P)).toBe(E.badf));
  it('a renumbered preopen keeps its confinement', () => {
    const fd = h.open(P, 'file');
    expect(h.call('fd_renumber', P, fd)).toBe(E.success);
    expect(h.tryOpen(P, 'file').errno).toBe(E.badf);
    expect(h.tryOpen(fd, 'file').errno).toBe(E.success);
    expect(h.tryOpen(fd, '../outside/secret.txt').errno).toBe(E.perm);
  });
  it('renumbering a file over a preopen replaces it: the file fd is no directory', () => {
    const fd = h.open(P, 'file');
    expect(h.call('fd_renumber', fd, P)).toBe(E.success);
    expect(h.tryOpen(P, 'file').errno).toBe(E.notdir);
  });
  it('huge and negative fd numbers are badf', () => {
    expect(h.tryOpen(0x7fffffff, 'file').errno).toBe(E.badf);
    expect(h.tryOpen(-1, 'file').errno).toBe(E.badf);
  });
  it('a file fd used as a directory fd is notdir', () => {
    const fd = h.open(P, 'file');
    expect(h.tryOpen(fd, '../outside/secret.txt').errno).toBe(E.notdir);
  });
  it('a removed directory accepts no new entries through its fd', () => {
    const sub = h.open(P, 'a/b', { oflags: OFLAGS.directory });
    expect(h.pathCall('path_remove_directory', P, 'a/b')).toBe(E.success);
    expect(h.tryOpen(sub, 'new', { oflags: OFLAGS.creat }).errno).toBe(E.noent);
    expect(h.pathCall('path_create_directory', sub, 'd')).toBe(E.noent);
  });
});

describe('absolute paths, NUL bytes, very long paths', () => {
  it('"/file" is perm', () => expect(h.tryOpen(P, '/file').errno).toBe(E.perm));
  it('"/outside/secret.txt" is perm', () => expect(h.tryOpen(P, '/outside/secret.txt').errno).toBe(E.perm));
  it('"//file" is perm', () => expect(h.tryOpen(P, '//file').errno).toBe(E.perm));
  it('a trailing NUL is inval', () => expect(h.tryOpen(P, 'file\0').errno).toBe(E.inval));
  it('an embedded NUL is inval (no C-string truncation to "../")', () => expect(h.tryOpen(P, '..\0/file').errno).toBe(E.inval));
  it('a NUL in a symlink target is inval', () => expect(symlink('fi\0le', 'nul')).toBe(E.inval));
  it('a path of PATH_MAX bytes is nametoolong', () => expect(h.tryOpen(P, 'a/'.repeat(2048)).errno).toBe(E.nametoolong));
  it('a component over NAME_MAX bytes is nametoolong', () => expect(h.tryOpen(P, 'x'.repeat(256), { oflags: OFLAGS.creat }).errno).toBe(E.nametoolong));
  it('invalid UTF-8 in a path is ilseq', () => {
    const [p, l] = h.str(new Uint8Array([0x66, 0xff, 0x2e, 0x2e]));
    const out = h.alloc(4);
    expect(h.call('path_open', P, 1, p, l, 0, 0n, 0n, 0, out)).toBe(E.ilseq);
  });
  it('an empty path is noent', () => expect(h.tryOpen(P, '').errno).toBe(E.noent));
  it('a path pointer out of guest memory is fault', () => {
    const out = h.alloc(4);
    expect(h.call('path_open', P, 1, 0x7ffffff0, 100, 0, 0n, 0n, 0, out)).toBe(E.fault);
  });
  it('invalid oflags bits are inval', () => expect(h.tryOpen(P, 'file', { oflags: 0x40 }).errno).toBe(E.inval));
});
