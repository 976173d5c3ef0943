import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DependencyError, dependenciesSource, resolveDependencies } from './deps.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-deps-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pkg(dir: string, zon: string, buildZig = true): string {
  const abs = path.join(root, dir);
  mkdirSync(abs, { recursive: true });
  writeFileSync(path.join(abs, 'build.zig.zon'), zon);
  if (buildZig) writeFileSync(path.join(abs, 'build.zig'), 'pub fn build(_: *@import("std").Build) void {}\n');
  return abs;
}

describe('resolveDependencies', () => {
  it('wires vendored path dependencies transitively, each package once', () => {
    const app = pkg('app', '.{ .name = "app", .dependencies = .{ .a = .{ .path = "deps/a" }, .b = .{ .path = "deps/b" } } }');
    pkg('app/deps/a', '.{ .name = "a", .dependencies = .{ .b = .{ .path = "../b" } } }');
    pkg('app/deps/b', '.{ .name = "b" }', false);
    const w = resolveDependencies(app);
    expect(w.rootDeps).toEqual([['a', 'dep_deps_a'], ['b', 'dep_deps_b']]);
    expect(w.packages.map((p) => [p.key, p.buildRoot, p.buildZig !== undefined, p.deps])).toEqual([
      ['dep_deps_a', 'deps/a', true, [['b', 'dep_deps_b']]],
      ['dep_deps_b', 'deps/b', false, []],
    ]);
    const src = dependenciesSource(w);
    expect(src).toContain('pub const @"dep_deps_a" = struct {');
    expect(src).toContain('pub const build_zig = @import("dep_deps_a");');
    expect(src).toContain('pub const root_deps: []const struct { []const u8, []const u8 } = &.{ .{ "a", "dep_deps_a" }, .{ "b", "dep_deps_b" } };');
  });

  it('names a missing dependency and its hash', () => {
    const app = pkg('net-app', '.{ .name = "x", .dependencies = .{ .zlib = .{ .url = "https://z.test/z.tgz", .hash = "1220deadbeef" } } }');
    expect(() => resolveDependencies(app)).toThrow(DependencyError);
    expect(() => resolveDependencies(app)).toThrow(/dependency 'zlib' of the root package is missing \(url https:\/\/z\.test\/z\.tgz, hash 1220deadbeef\)/);
  });

  it('uses a dependency given by name, and marks absent lazy ones unavailable', () => {
    const app = pkg('extra-app', '.{ .name = "x", .dependencies = .{ .z = .{ .url = "u", .hash = "h" }, .opt = .{ .url = "u2", .hash = "h2", .lazy = true } } }');
    const z = pkg('given-z', '.{ .name = "z" }');
    const w = resolveDependencies(app, new Map([['z', z]]));
    expect(w.packages.find((p) => p.key === 'dep____given_z')?.available).toBe(true);
    const lazy = w.packages.find((p) => !p.available);
    expect(lazy?.key).toBe('dep_lazy_h2');
    expect(dependenciesSource(w)).toContain('pub const available = false;');
  });
});
