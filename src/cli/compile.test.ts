import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { packageHash } from '../zig/pkg-hash.ts';
import { findToolchain } from '../zig/toolchain.ts';
import { compileCommand } from './compile.ts';

let haveZig = true;
try {
  await findToolchain();
} catch (e) {
  haveZig = false;
  console.warn(`compile CLI tests skipped: ${e instanceof Error ? e.message : String(e)}`);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pkg(name: string, buildZig: string, zon?: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.zig'), buildZig);
  if (zon) writeFileSync(path.join(dir, 'build.zig.zon'), zon);
  return dir;
}

async function capture(argv: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    stderr += `${a.join(' ')}\n`;
  });
  try {
    return { status: await compileCommand(argv), stderr };
  } finally {
    write.mockRestore();
    error.mockRestore();
  }
}

describe('sandbuild compile', () => {
  it('rejects bad usage with status 2', async () => {
    expect((await capture([])).status).toBe(2);
    expect((await capture([path.join(tmp, 'nope')])).stderr).toMatch(/does not exist/);
    expect((await capture(['x', '--dep'])).stderr).toMatch(/--dep needs a value/);
  });

  it.skipIf(!haveZig)('shows Zig\'s own error for a broken build.zig, with status 1', async () => {
    const dir = pkg('broken', 'const std = @import("std");\npub fn build(b: *std.Build) void {\n    b.noSuchThing();\n}\n');
    const r = await capture([dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^build\.zig:3:6: error: no field or member function named 'noSuchThing'/m);
  }, 600_000); // a cold Zig cache rebuilds wasi-libc and compiler_rt first (minutes on 2 cores)

  it.skipIf(!haveZig)('names a missing dependency and its hash', async () => {
    const dir = pkg('missing', 'pub fn build(_: *@import("std").Build) void {}\n', '.{ .name = "m", .dependencies = .{ .zlib = .{ .url = "https://z.test/z.tgz", .hash = "1220feed" } } }');
    const r = await capture([dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/dependency 'zlib' of the root package is missing \(url https:\/\/z\.test\/z\.tgz, hash 1220feed\)/);
  });

  it.skipIf(!haveZig)('matches a --dep without a name by its package hash and copies it into .sandbuild/deps', async () => {
    const dep = pkg('zlib-src', 'pub fn build(b: *@import("std").Build) void { _ = b.step("zlib-gen", "from the dependency"); }\n', '.{ .name = "zlib", .paths = .{""} }');
    const hash = packageHash(dep);
    const app = pkg('by-hash', 'pub fn build(b: *@import("std").Build) void { _ = b.dependency("zlib", .{}); }\n',
      `.{ .name = "app", .dependencies = .{ .zlib = .{ .url = "https://z.test/z.tgz", .hash = "${hash}" } } }`);
    const r = await capture([app, '--dep', dep]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(path.join(app, '.sandbuild', 'deps', hash, 'build.zig'))).toBe(true);
    expect(existsSync(path.join(app, '.sandbuild', 'build.wasm'))).toBe(true);
  }, 600_000);
});
