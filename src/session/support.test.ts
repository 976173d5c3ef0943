// The session's helpers: the memory regions a call touches, the FS copy replays start from, prompt rules.

import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/schema.ts';
import { PolicyEngine } from '../policy/evaluate.ts';
import { MemFS } from '../wasi-vfs/fs.ts';
import type { DirNode } from '../wasi-vfs/fs.ts';
import { cloneFs } from './fs-clone.ts';
import { hexDump, memoryView } from './memory-view.ts';
import { displayPath, exactGlob, questionText, withAllowRule } from './prompt.ts';

function mem(): Uint8Array {
  const m = new Uint8Array(1024);
  m.set(new TextEncoder().encode('hello.txt'), 100);
  // iovec array at 200: {buf 300, len 5}, {buf 400, len 3}
  const dv = new DataView(m.buffer);
  dv.setUint32(200, 300, true);
  dv.setUint32(204, 5, true);
  dv.setUint32(208, 400, true);
  dv.setUint32(212, 3, true);
  m.set(new TextEncoder().encode('world'), 300);
  m.set([0xff, 0x00, 0x41], 400);
  return m;
}

describe('memoryView', () => {
  it('path_open reads the path and writes the new fd', () => {
    const v = memoryView('path_open', [3, 0, 100, 9, 0, 2n, 0n, 0, 500], mem());
    expect(v.map((r) => [r.role, r.label, r.addr, r.len])).toEqual([
      ['read', 'path', 100, 9],
      ['write', 'fd', 500, 4],
    ]);
    expect(v[0].text).toBe('hello.txt');
  });

  it('fd_write expands the iovec array into its buffers; non-UTF-8 has no text', () => {
    const v = memoryView('fd_write', [1, 200, 2, 600], mem());
    expect(v.map((r) => r.label)).toEqual(['iovs', 'iovs[0]', 'iovs[1]', 'nwritten']);
    expect(v[1].text).toBe('world');
    expect(v[2].text).toBeUndefined();
    // Address 400 = 0x190; the hex column is 16 × 3 − 1 = 47 wide.
    expect(v[2].hex).toEqual([`00000190  ${'ff 00 41'.padEnd(47)}  |..A|`]);
  });

  it('bounds the copy and flags regions outside memory', () => {
    const v = memoryView('random_get', [10, 1000], mem(), { maxBytes: 16 });
    expect(v[0]).toMatchObject({ inBounds: true, truncated: true, len: 1000 });
    expect(v[0].bytes.length).toBe(16);
    const out = memoryView('path_create_directory', [3, 1020, 50], mem());
    expect(out[0]).toMatchObject({ inBounds: false, truncated: true });
    expect(out[0].bytes.length).toBe(0);
  });

  it('hexDump prints 16 bytes a line with addresses', () => {
    const lines = hexDump(new Uint8Array(20).fill(0x61), 0x10);
    expect(lines).toHaveLength(2);
    expect(lines[0].startsWith('00000010  61 61')).toBe(true);
    expect(lines[1].endsWith('|aaaa|')).toBe(true);
  });
});

/** Path, kind, bytes or target, times and link count of every entry. */
function listing(fs: MemFS): string[] {
  const out: string[] = [];
  const walk = (dir: DirNode, prefix: string) => {
    for (const [name, n] of dir.entries) {
      const p = `${prefix}${name}`;
      const what = n.kind === 'file' ? new TextDecoder().decode(n.data.view()) : n.kind === 'symlink' ? `-> ${n.target}` : '';
      out.push(`${p} ${n.kind} ${what} ${n.atim} ${n.mtim} ${n.ctim} ${n.kind === 'dir' ? '' : n.nlink}`);
      if (n.kind === 'dir') walk(n, `${p}/`);
    }
  };
  walk(fs.root, '');
  return out;
}

describe('cloneFs', () => {
  it('copies content, symlinks, hard links and times, independently of the source', () => {
    const fs = new MemFS({ now: () => 5n });
    const src = fs.mkdir(fs.root, 'src');
    const f = fs.createFile(src, 'a.txt', new TextEncoder().encode('abc'));
    fs.link(f, fs.root, 'hard');
    fs.symlink(fs.root, 'ln', 'src/a.txt');
    f.mtim = 42n;
    const copy = cloneFs(fs);
    expect(listing(copy)).toEqual(listing(fs));
    expect(listing(copy)).toHaveLength(4);
    const cf = (copy.root.entries.get('src') as { entries: Map<string, unknown> }).entries.get('a.txt');
    expect(copy.root.entries.get('hard')).toBe(cf);
    expect((cf as { nlink: number; mtim: bigint }).nlink).toBe(2);
    expect((cf as { mtim: bigint }).mtim).toBe(42n);
    // Writing the copy leaves the source alone.
    copy.createFile(copy.root, 'new', new Uint8Array(1));
    expect(fs.root.entries.has('new')).toBe(false);
    // Two copies number their inodes alike (the guest can see inode numbers).
    const inos = (m: MemFS) => [...m.root.entries.values()].map((n) => n.ino);
    expect(inos(cloneFs(fs))).toEqual(inos(cloneFs(fs)));
  });
});

describe('prompt rules', () => {
  const base = parsePolicy({ version: 1, default: 'ask', fs: [{ id: 'src', ops: ['read'], paths: ['src/**'], verdict: 'allow' }] });

  it('an "always" rule allows exactly that op and path, ahead of the others', () => {
    const p = withAllowRule(base, 'read', 'home/.ssh/id_rsa');
    expect(p.fs[0]).toMatchObject({ id: 'asked-read-1', ops: ['read'], paths: ['home/.ssh/id_rsa'], verdict: 'allow' });
    const e = new PolicyEngine(p);
    expect(e.fs('read', 'home/.ssh/id_rsa')).toEqual({ verdict: 'allow', rule: 'asked-read-1' });
    expect(e.fs('write', 'home/.ssh/id_rsa').verdict).toBe('ask');
    expect(e.fs('read', 'home/.ssh/id_rsa2').verdict).toBe('ask');
    // Adding it again changes nothing; another path gets the next id.
    expect(withAllowRule(p, 'read', 'home/.ssh/id_rsa')).toBe(p);
    expect(withAllowRule(p, 'read', 'x').fs[0].id).toBe('asked-read-2');
  });

  it('glob characters in a name become single-character wildcards', () => {
    expect(exactGlob('a/*{b}?.txt')).toBe('a/??b}?.txt');
    const e = new PolicyEngine(withAllowRule(base, 'read', 'a*b'));
    expect(e.fs('read', 'a*b').verdict).toBe('allow');
    expect(e.fs('read', 'aXXb').verdict).toBe('ask');
  });

  it('the question names the package when attribution knows it', () => {
    const q = { seq: 3, fn: 'path_open', op: 'read' as const, path: 'home/.ssh/id_rsa', rule: 'default' };
    expect(questionText({ ...q, package: 'alpha', where: 'deps/alpha/build.zig:12' })).toBe(
      'Package "alpha"\'s build.zig (deps/alpha/build.zig:12) wants to read home/.ssh/id_rsa (path_open; rule default says ask). Allow once, allow always, or deny?',
    );
    expect(questionText(q).startsWith('The build logic wants to read')).toBe(true);
  });

  it('paths under the offered HOME are shown as $HOME/...', () => {
    expect(displayPath('home/u/.ssh/id_rsa', { HOME: '/home/u' })).toBe('$HOME/.ssh/id_rsa');
    expect(displayPath('home/u', { HOME: '/home/u/' })).toBe('$HOME');
    expect(displayPath('home/user2/x', { HOME: '/home/u' })).toBe('home/user2/x');
    expect(displayPath('src/a', undefined)).toBe('src/a');
  });
});
