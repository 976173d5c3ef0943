// copyHostDir's skip filter, and the package loader that uses it: a package directory's build outputs and
// git data (.zig-cache, zig-out, .git, at any depth) stay out of the sandbox; `run --dir` copies everything.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemFS } from '../wasi-vfs/fs.ts';
import { snapshotTree } from '../wasi-vfs/tree-diff.ts';
import { copyHostDir, PACKAGE_SKIP } from './host-dir.ts';
import { loadPackage } from './package-loader.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-hostdir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package folder after a local `zig build` and a `git init`, with a vendored dependency that has them too. */
function workedPackage(): string {
  const dir = mkdtempSync(path.join(scratch, 'pkg-'));
  const put = (rel: string, text = rel) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  put('build.zig');
  put('src/main.zig');
  put('.zig-cache/o/0123/build');
  put('zig-out/bin/app');
  put('.git/HEAD');
  put('deps/alpha/build.zig');
  put('deps/alpha/.zig-cache/h/x');
  put('deps/alpha/.git'); // a submodule's .git is a file
  put('notes/zig-output.txt'); // similar names are kept
  symlinkSync('src/main.zig', path.join(dir, 'main-link'));
  return dir;
}

const paths = (fs: MemFS) => [...snapshotTree(fs.root).keys()].sort();

describe('copyHostDir skip filter', () => {
  it('PACKAGE_SKIP leaves out .zig-cache, zig-out and .git at any depth and says what it left out', () => {
    const fs = new MemFS({ now: () => 0n });
    const stats = copyHostDir(fs, workedPackage(), fs.root, false, PACKAGE_SKIP);
    expect(paths(fs)).toEqual(['build.zig', 'deps', 'deps/alpha', 'deps/alpha/build.zig', 'main-link', 'notes', 'notes/zig-output.txt', 'src', 'src/main.zig']);
    expect(stats.excluded.sort()).toEqual(['.git', '.zig-cache', 'deps/alpha/.git', 'deps/alpha/.zig-cache', 'zig-out']);
    expect(stats).toMatchObject({ files: 4, symlinks: 1, dirs: 4 });
  });

  it('without a filter everything is copied (sandbuild run --dir)', () => {
    const fs = new MemFS({ now: () => 0n });
    const stats = copyHostDir(fs, workedPackage());
    expect(paths(fs)).toContain('.zig-cache/o/0123/build');
    expect(paths(fs)).toContain('.git/HEAD');
    expect(stats.excluded).toEqual([]);
  });

  it('a filter sees the path below the copied folder', () => {
    const fs = new MemFS({ now: () => 0n });
    const seen: string[] = [];
    copyHostDir(fs, workedPackage(), fs.root, false, (rel) => (seen.push(rel), rel.startsWith('deps/')));
    expect(seen).toContain('deps/alpha');
    expect(seen).not.toContain('deps/alpha/build.zig');
    expect(paths(fs)).toContain('deps');
    expect(paths(fs)).not.toContain('deps/alpha');
  });
});

describe('loadPackage (audit and diff)', () => {
  it('loads a package directory without its build outputs and git data', async () => {
    const { fs, kind } = await loadPackage(workedPackage());
    expect(kind).toBe('dir');
    expect(paths(fs).filter((p) => /(^|\/)(\.zig-cache|zig-out|\.git)(\/|$)/.test(p))).toEqual([]);
    expect(paths(fs)).toContain('deps/alpha/build.zig');
  });
});
