import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestPaths, packageHash } from './pkg-hash.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-hash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('packageHash', () => {
  it('matches what `zig fetch` (0.14.0-dev.2456) printed for the same two files', () => {
    // `zig fetch zf.tar.gz` of exactly these files printed this hash (run while writing this test).
    const dir = path.join(tmp, 'zf');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    writeFileSync(path.join(dir, 'build.zig.zon'), '.{ .name = "x", .version = "0.0.1", .paths = .{""} }');
    expect(packageHash(dir)).toBe('1220a4ee65d08718d92880c090d7398c09803d6bda94abdadd98ea46bb6180fe1c72');
  });

  it('depends on contents, the executable bit and .paths, not on excluded files', () => {
    const dir = path.join(tmp, 'p');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'build.zig.zon'), '.{ .name = "p", .paths = .{ "build.zig.zon", "src" } }');
    writeFileSync(path.join(dir, 'src', 'x.zig'), 'x');
    const base = packageHash(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'not in .paths');
    expect(packageHash(dir)).toBe(base);
    chmodSync(path.join(dir, 'src', 'x.zig'), 0o755);
    const exec = packageHash(dir);
    expect(exec).not.toBe(base);
    writeFileSync(path.join(dir, 'src', 'x.zig'), 'y');
    expect(packageHash(dir)).not.toBe(exec);
    expect(manifestPaths(dir)).toEqual(['build.zig.zon', 'src']);
  });
});
