// Package loading: well-formed .tar/.tgz archives load; every hostile archive ends in a typed ArchiveError.
// Archives are built byte by byte here (ustar headers) so the tests control every field, including ones a
// well-behaved packer would refuse to write.

import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ArchiveError, type ArchiveErrorKind } from './errors.ts';
import type { DirNode, Node } from './fs.ts';
import { loadArchive, type LoadOptions } from './tar-loader.ts';

const enc = new TextEncoder();
const BLOCK = 512;

interface Ent {
  name: string | Uint8Array;
  type?: '0' | '1' | '2' | '3' | '5';
  data?: string | Uint8Array;
  linkname?: string;
  /** Override the size field (for lying headers). */
  size?: number;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(e: Ent, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (off: number, v: string | Uint8Array): void => h.set(typeof v === 'string' ? enc.encode(v) : v, off);
  put(0, e.name);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(e.size ?? size, 12));
  put(136, octal(1_700_000_000, 12));
  put(156, e.type ?? '0');
  if (e.linkname) put(157, e.linkname);
  put(257, 'ustar\0');
  put(263, '00');
  put(148, '        ');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

function tar(entries: Ent[], opts: { eof?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' ? enc.encode(e.data) : (e.data ?? new Uint8Array(0));
    parts.push(header(e, data.length));
    const padded = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
    padded.set(data);
    parts.push(padded);
  }
  if (opts.eof !== false) parts.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

async function rejects(bytes: Uint8Array, kind: ArchiveErrorKind, opts?: LoadOptions): Promise<void> {
  const err = await loadArchive(bytes, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArchiveError);
  expect((err as ArchiveError).kind).toBe(kind);
}

function at(root: DirNode, path: string): Node | undefined {
  let n: Node | undefined = root;
  for (const c of path.split('/')) n = n?.kind === 'dir' ? n.entries.get(c) : undefined;
  return n;
}

function text(root: DirNode, path: string): string | undefined {
  const n = at(root, path);
  return n?.kind === 'file' ? new TextDecoder().decode(n.data.view()) : undefined;
}

describe('well-formed archives', () => {
  const sample = (): Uint8Array =>
    tar([
      { name: 'pkg/', type: '5' },
      { name: 'pkg/build.zig', data: 'const std = @import("std");' },
      { name: 'pkg/src/main.zig', data: 'pub fn main() void {}' },
      { name: 'pkg/link', type: '2', linkname: 'src/main.zig' },
      { name: 'pkg/hard', type: '1', linkname: 'pkg/build.zig' },
    ]);

  it('loads files, directories, symlinks and hard links from .tar', async () => {
    const { fs, files, symlinks } = await loadArchive(sample());
    expect(text(fs.root, 'pkg/build.zig')).toBe('const std = @import("std");');
    expect(text(fs.root, 'pkg/src/main.zig')).toBe('pub fn main() void {}');
    expect(at(fs.root, 'pkg/link')).toMatchObject({ kind: 'symlink', target: 'src/main.zig' });
    // Hard links are loaded as copies (same bytes, distinct inodes), so no file has two names.
    expect(text(fs.root, 'pkg/hard')).toBe(text(fs.root, 'pkg/build.zig'));
    expect(at(fs.root, 'pkg/hard')).not.toBe(at(fs.root, 'pkg/build.zig'));
    expect(files).toBe(3);
    expect(symlinks).toBe(1);
  });

  it('loads .tgz and strips a leading component', async () => {
    const { fs } = await loadArchive(gzipSync(sample()), { strip: 1 });
    expect(text(fs.root, 'build.zig')).toBe('const std = @import("std");');
    expect(at(fs.root, 'link')).toMatchObject({ kind: 'symlink' });
  });

  it('takes timestamps from the archive, so loads are deterministic', async () => {
    const { fs } = await loadArchive(sample());
    expect(at(fs.root, 'pkg/build.zig')?.mtim).toBe(1_700_000_000n * 1_000_000_000n);
  });

  it('accepts "./" prefixes and a symlink that stays inside via ".."', async () => {
    const { fs } = await loadArchive(tar([{ name: './a/b/x', data: '1' }, { name: './a/b/up', type: '2', linkname: '../../a/b/x' }]));
    expect(text(fs.root, 'a/b/x')).toBe('1');
  });
});

describe('archives from a real packer', () => {
  it('reads long names (PAX) written by modern-tar', async () => {
    const { packTar } = await import('modern-tar');
    const long = `${'deep/'.repeat(30)}file.zig`;
    const bytes = await packTar([{ header: { name: long, size: 2, type: 'file' }, body: 'ok' }]);
    const { fs } = await loadArchive(gzipSync(bytes));
    expect(text(fs.root, long)).toBe('ok');
  });
});

describe('hostile archives', () => {
  it('truncated tar data', async () => {
    const t = tar([{ name: 'big', data: 'x'.repeat(3000) }]);
    await rejects(t.subarray(0, 1200), 'truncated');
  });
  it('corrupt header checksum', async () => {
    const t = tar([{ name: 'f', data: 'x' }]);
    t[0] = 'g'.charCodeAt(0);
    await rejects(t, 'corrupt');
  });
  it('truncated gzip stream', async () => {
    const gz = gzipSync(tar([{ name: 'f', data: 'hello '.repeat(1000) }]));
    await rejects(gz.subarray(0, gz.length >> 1), 'truncated');
  });
  it('corrupt gzip data', async () => {
    const gz = gzipSync(tar([{ name: 'f', data: 'hello' }]));
    for (let i = 10; i < gz.length - 8; i++) gz[i] ^= 0xa5;
    const err = await loadArchive(gz).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(['corrupt', 'truncated']).toContain((err as ArchiveError).kind);
  });
  it('absolute entry names', async () => rejects(tar([{ name: '/etc/passwd', data: 'x' }]), 'absolute-path'));
  it('".." in entry names', async () => rejects(tar([{ name: '../evil', data: 'x' }]), 'dotdot'));
  it('".." in the middle of entry names', async () => rejects(tar([{ name: 'a/../../evil', data: 'x' }]), 'dotdot'));
  it('symlink pointing outside via ".."', async () => rejects(tar([{ name: 'l', type: '2', linkname: '../../etc' }]), 'link-outside'));
  it('symlink with an absolute target', async () => rejects(tar([{ name: 'l', type: '2', linkname: '/etc/passwd' }]), 'link-outside'));
  it('symlink from a subdirectory climbing out', async () => rejects(tar([{ name: 'a/b/l', type: '2', linkname: '../../../x' }]), 'link-outside'));
  it('hard link to a path outside', async () => rejects(tar([{ name: 'h', type: '1', linkname: '../x' }]), 'link-outside'));
  it('hard link to an absolute path', async () => rejects(tar([{ name: 'h', type: '1', linkname: '/etc/shadow' }]), 'link-outside'));
  it('hard link to a missing entry', async () => rejects(tar([{ name: 'h', type: '1', linkname: 'nope' }]), 'link-target-missing'));
  it('an entry written through an earlier symlink', async () =>
    rejects(tar([{ name: 'a/', type: '5' }, { name: 'l', type: '2', linkname: 'a' }, { name: 'l/x', data: 'x' }]), 'path-through-symlink'));
  it('duplicate entries', async () => rejects(tar([{ name: 'f', data: '1' }, { name: 'f', data: '2' }]), 'duplicate-entry'));
  it('duplicate entries spelled differently', async () => rejects(tar([{ name: 'a/f', data: '1' }, { name: './a//f', data: '2' }]), 'duplicate-entry'));
  it('an entry larger than the cap', async () => rejects(tar([{ name: 'big', data: new Uint8Array(5000) }]), 'entry-too-large', { maxEntrySize: 4096 }));
  it('a header that claims a huge size without the data', async () =>
    rejects(tar([{ name: 'huge', size: 8 * 1024 * 1024 * 1024 - 1 }], { eof: false }), 'truncated'));
  it('decompression bomb: total size cap', async () =>
    rejects(gzipSync(tar([{ name: 'z', data: new Uint8Array(4 << 20) }])), 'bomb-size', { maxTotalSize: 1 << 20, maxRatio: 1e9 }));
  it('decompression bomb: ratio cap', async () => rejects(gzipSync(tar([{ name: 'z', data: new Uint8Array(8 << 20) }])), 'bomb-ratio'));
  it('non-UTF-8 entry names', async () => rejects(tar([{ name: new Uint8Array([0x66, 0xff, 0xfe, 0x6f]), data: 'x' }]), 'non-utf8-name'));
  it('device entries', async () => rejects(tar([{ name: 'dev', type: '3' }]), 'unsupported-type'));
  it('too many entries', async () => rejects(tar([{ name: 'a', data: '' }, { name: 'b', data: '' }, { name: 'c', data: '' }]), 'too-many-entries', { maxEntries: 2 }));
  it('a file where a directory is needed', async () => rejects(tar([{ name: 'f', data: 'x' }, { name: 'f/g', data: 'y' }]), 'not-a-directory'));
});
