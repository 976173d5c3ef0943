import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'fflate';
import { packTar, unpackTar } from 'modern-tar';
import { afterAll, describe, expect, it } from 'vitest';
import { packDirectory, repackWithWasm, TarballError, unpackTo } from './tarball.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sandbuild-tar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const enc = new TextEncoder();

async function tgz(files: Record<string, string>): Promise<Uint8Array> {
  return gzipSync(await packTar(Object.entries(files).map(([name, body]) => ({ header: { name, size: enc.encode(body).length }, body }))));
}

describe('package tarballs', () => {
  it('finds build.zig in a single top-level directory and repacks with the wasm inside it', async () => {
    const original = await tgz({ 'pkg-1.0/build.zig': 'x', 'pkg-1.0/src/main.zig': 'y' });
    const dir = path.join(tmp, 'a');
    const u = await unpackTo(original, dir);
    expect(u).toEqual({ rootPrefix: 'pkg-1.0', files: 2 });
    expect(readFileSync(path.join(dir, 'pkg-1.0/src/main.zig'), 'utf8')).toBe('y');
    const out = await repackWithWasm(original, u.rootPrefix, new Uint8Array([0, 97, 115, 109]));
    const names = (await unpackTar(gunzipSync(out))).map((e) => e.header.name);
    expect(names).toEqual(['pkg-1.0/build.zig', 'pkg-1.0/src/main.zig', 'pkg-1.0/.sandbuild/', 'pkg-1.0/.sandbuild/build.wasm']);
  });

  it('replaces an existing build.wasm instead of adding a second one', async () => {
    const original = await tgz({ 'build.zig': 'x', '.sandbuild/build.wasm': 'old' });
    const out = await repackWithWasm(original, '', new Uint8Array([1]));
    const entries = await unpackTar(gunzipSync(out));
    expect(entries.filter((e) => e.header.name === '.sandbuild/build.wasm').map((e) => [...(e.data ?? [])])).toEqual([[1]]);
  });

  it('refuses names that escape the package and archives without build.zig', async () => {
    await expect(unpackTo(await tgz({ 'build.zig': 'x', '../evil': 'z' }), path.join(tmp, 'b'))).rejects.toThrow(TarballError);
    expect(existsSync(path.join(tmp, 'evil'))).toBe(false);
    await expect(unpackTo(await tgz({ 'a/build.zig': 'x', 'b/c': 'y' }), path.join(tmp, 'c'))).rejects.toThrow(/no build.zig/);
    await expect(unpackTo(new Uint8Array([0x1f, 0x8b, 1, 2]), path.join(tmp, 'd'))).rejects.toThrow(TarballError);
  });

  it('packs a directory reproducibly', async () => {
    const dir = path.join(tmp, 'a', 'pkg-1.0');
    const one = await packDirectory(dir);
    const two = await packDirectory(dir);
    expect(Buffer.compare(one, two)).toBe(0);
    expect((await unpackTar(gunzipSync(one))).map((e) => e.header.name)).toEqual(['build.zig', 'src/', 'src/main.zig']);
  });
});
