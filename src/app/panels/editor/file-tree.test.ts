import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPackageArchive } from '../../../audit/package.ts';
import { MemFS } from '../../../wasi-vfs/fs.ts';
import { defaultFile, fileView, formatSize, listFiles, MAX_TEXT_BYTES, nodeAt, sourceFile } from './file-tree.ts';
import { FILE_LANGUAGES, languageOf } from './languages.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../public/examples');
const enc = (s: string) => new TextEncoder().encode(s);

function tree(): MemFS {
  const fs = new MemFS({ now: () => 0n });
  const r = fs.root;
  fs.createFile(r, 'build.zig', enc('const std = @import("std");\n'));
  fs.createFile(r, 'README.md', enc('# x\n'));
  const deps = fs.mkdir(r, 'deps');
  const alpha = fs.mkdir(deps, 'alpha');
  fs.createFile(alpha, 'build.zig', enc('pub fn build() void {}\n'));
  fs.mkdir(r, 'src');
  fs.symlink(r, 'link', 'build.zig');
  return fs;
}

describe('listFiles', () => {
  it('lists depth first, directories before files, each by name, with depth and size', () => {
    const files = listFiles(tree().root);
    expect(files.map((f) => `${f.depth}:${f.kind}:${f.path}`)).toEqual([
      '0:dir:deps',
      '1:dir:deps/alpha',
      '2:file:deps/alpha/build.zig',
      '0:dir:src',
      '0:file:README.md',
      '0:file:build.zig',
      '0:symlink:link',
    ]);
    expect(files.find((f) => f.path === 'build.zig')?.size).toBe(28);
    expect(files.find((f) => f.path === 'link')?.target).toBe('build.zig');
    expect(defaultFile(files)).toBe('build.zig');
  });

  it('reads a real example archive, runner included, and finds nodes by path', async () => {
    const fs = await loadPackageArchive(new Uint8Array(readFileSync(path.join(EXAMPLES, 'e-vendored-deps.tar.gz'))));
    const files = listFiles(fs.root);
    const paths = files.map((f) => f.path);
    expect(paths).toContain('build.zig');
    expect(paths).toContain('.sandbuild/build.wasm');
    expect(paths.some((p) => /^deps\/[^/]+\/build\.zig$/.test(p))).toBe(true);
    const runner = nodeAt(fs.root, '.sandbuild/build.wasm');
    expect(runner?.kind).toBe('file');
    if (runner?.kind !== 'file') return;
    expect(fileView('.sandbuild/build.wasm', runner.data.view())).toEqual({ kind: 'binary', size: runner.data.size, why: 'runner' });
    const build = nodeAt(fs.root, './build.zig');
    expect(build?.kind === 'file' && fileView('build.zig', build.data.view()).kind).toBe('text');
    expect(nodeAt(fs.root, 'build.zig/x')).toBeUndefined();
    expect(nodeAt(fs.root, 'nope')).toBeUndefined();
  });
});

describe('fileView', () => {
  it('shows UTF-8 text whole under the cap', () => {
    expect(fileView('a.txt', enc('héllo'))).toEqual({ kind: 'text', text: 'héllo', size: 6, truncated: false });
  });
  it('calls files with a NUL, or not UTF-8, binary', () => {
    expect(fileView('a.png', new Uint8Array([0x89, 0x50, 0, 1]))).toMatchObject({ kind: 'binary', why: 'nul', size: 4 });
    expect(fileView('a.bin', new Uint8Array([0xff, 0xfe, 0x41]))).toMatchObject({ kind: 'binary', why: 'not-utf8' });
  });
  it('cuts big text at the cap without splitting a character', () => {
    const big = enc('a'.repeat(MAX_TEXT_BYTES + 10));
    const v = fileView('big.txt', big);
    expect(v).toMatchObject({ kind: 'text', truncated: true, size: MAX_TEXT_BYTES + 10 });
    expect(v.kind === 'text' && v.text.length).toBe(MAX_TEXT_BYTES);
    // 'é' is two bytes; a cap of 3 falls inside the second one and steps back to 2 bytes.
    expect(fileView('x', enc('éé'), 3)).toEqual({ kind: 'text', text: 'é', size: 4, truncated: true });
  });
  it('formats sizes', () => {
    expect([formatSize(812), formatSize(2048), formatSize(1.6 * 1024 * 1024)]).toEqual(['812 B', '2.0 KB', '1.6 MB']);
  });
});

describe('sourceFile', () => {
  const have = new Set(['build.zig', 'deps/alpha/build.zig']);
  const has = (p: string) => have.has(p);
  it('resolves the attribution forms to archive paths', () => {
    expect(sourceFile({ file: 'build.zig', line: 22, root: true }, has)).toBe('build.zig');
    expect(sourceFile({ file: './build.zig', line: 1 }, has)).toBe('build.zig');
    expect(sourceFile({ file: 'deps/alpha/build.zig', package: 'alpha' }, has)).toBe('deps/alpha/build.zig');
    expect(sourceFile({ file: './deps/alpha/build.zig' }, has)).toBe('deps/alpha/build.zig');
    expect(sourceFile({ file: '/home/u/pkg/deps/alpha/build.zig' }, has)).toBe('deps/alpha/build.zig');
  });
  it('names nothing when the file is not in the archive or not known', () => {
    expect(sourceFile({ file: '/zig-lib/std/Build.zig' }, has)).toBeUndefined();
    expect(sourceFile({ package: 'alpha' }, has)).toBeUndefined();
    expect(sourceFile(undefined, has)).toBeUndefined();
  });
});

describe('languageOf', () => {
  it('guesses by name and extension, else plaintext', () => {
    expect(languageOf('build.zig')).toBe('zig');
    expect(languageOf('deps/a/build.zig.zon')).toBe('zig');
    expect(languageOf('src/x.C')).toBe('c');
    expect(languageOf('.sandbuild/inputs.json')).toBe('json');
    expect(languageOf('README.md')).toBe('markdown');
    expect(languageOf('scripts/gen.sh')).toBe('shell');
    expect(languageOf('LICENSE')).toBe('plaintext');
    expect(languageOf('.env')).toBe('plaintext');
    expect(languageOf('a.unknown')).toBe('plaintext');
  });
  it('only answers languages the editor registers', () => {
    for (const p of ['a.zig', 'a.json', 'a.md', 'a.c', 'a.hpp', 'a.sh', 'a.toml', 'a.yml', 'a.html', 'a.css', 'a.mjs', 'a.ts', 'a.py', 'a.svg', 'Makefile', 'x']) {
      expect(FILE_LANGUAGES).toContain(languageOf(p));
    }
  });
});
