// Package tarballs for `sandbuild compile <tarball>`: unpack to a scratch directory (every name checked
// so nothing lands outside it), and repack the original entries plus `.sandbuild/build.wasm`.
// Also packs a directory into a deterministic tarball (fixed order, mtime and modes) for examples.
// Node-only.

import { gunzipSync, gzipSync } from 'fflate';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packTar, unpackTar, type TarHeader } from 'modern-tar';

export class TarballError extends Error {
  override name = 'TarballError';
}

export const WASM_ENTRY = '.sandbuild/build.wasm';
/** mtime of every entry we write: reproducible archives (1980-01-01, the ZIP epoch, as many tools use). */
const FIXED_MTIME = new Date(Date.UTC(1980, 0, 1));

function gunzipMaybe(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      throw new TarballError(`bad gzip data: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return bytes;
}

function safeName(name: string): string {
  const clean = name.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return '';
  if (clean.startsWith('/') || clean.split('/').some((c) => c === '..')) throw new TarballError(`unsafe entry name '${name}'`);
  return clean;
}

export interface Unpacked {
  /** The package root inside the archive: '' or the single top-level directory that holds build.zig. */
  rootPrefix: string;
  files: number;
}

async function entries(bytes: Uint8Array) {
  try {
    return await unpackTar(gunzipMaybe(bytes));
  } catch (e) {
    if (e instanceof TarballError) throw e;
    throw new TarballError(`bad tar data: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Unpack regular files and directories into destDir; links are skipped (a build.zig needs none). */
export async function unpackTo(bytes: Uint8Array, destDir: string): Promise<Unpacked> {
  let files = 0;
  const names: string[] = [];
  for (const e of await entries(bytes)) {
    const name = safeName(e.header.name);
    if (name === '') continue;
    const type = e.header.type ?? 'file';
    const target = path.join(destDir, name);
    if (type === 'directory') await mkdir(target, { recursive: true });
    else if (type === 'file') {
      await mkdir(path.dirname(target), { recursive: true });
      // Keep the executable bit: it is part of Zig's package hash (pkg-hash.ts).
      await writeFile(target, e.data ?? new Uint8Array(), { mode: (e.header.mode ?? 0o644) & 0o100 ? 0o755 : 0o644 });
      files++;
      names.push(name);
    }
  }
  let rootPrefix = '';
  if (!names.includes('build.zig')) {
    const tops = new Set(names.map((n) => n.split('/')[0]));
    const [only] = tops;
    if (tops.size === 1 && names.includes(`${only}/build.zig`)) rootPrefix = only;
    else throw new TarballError('no build.zig at the archive root or in its single top-level directory');
  }
  return { rootPrefix, files };
}

type Entry = { header: TarHeader; body?: Uint8Array };

/**
 * The original archive's entries, with `<root>/.sandbuild/` replaced by build.wasm plus `sandbuildDir`
 * (a local directory whose files go below `<root>/.sandbuild/`, e.g. dependencies given with --dep); gzipped.
 */
export async function repackWithWasm(original: Uint8Array, rootPrefix: string, wasm: Uint8Array, sandbuildDir?: string): Promise<Uint8Array> {
  const wasmName = rootPrefix ? `${rootPrefix}/${WASM_ENTRY}` : WASM_ENTRY;
  const dirName = wasmName.slice(0, wasmName.lastIndexOf('/') + 1);
  const kept = (await entries(original)).filter((e) => {
    const n = safeName(e.header.name);
    return !(n + '/').startsWith(dirName);
  });
  const extra: Entry[] = [];
  if (sandbuildDir) {
    for (const e of await directoryEntries(sandbuildDir)) {
      if (e.header.name === 'build.wasm') continue;
      extra.push({ ...e, header: { ...e.header, name: dirName + e.header.name } });
    }
  }
  const header = (name: string, size: number, type: 'file' | 'directory'): TarHeader => ({
    name, size, type, mtime: FIXED_MTIME, mode: type === 'file' ? 0o644 : 0o755, uid: 0, gid: 0,
  });
  const tar = await packTar([
    ...kept,
    { header: header(dirName, 0, 'directory') },
    { header: header(wasmName, wasm.length, 'file'), body: wasm },
    ...extra,
  ]);
  return gzipSync(tar, { level: 9, mtime: FIXED_MTIME });
}

/** A deterministic .tar.gz of a directory: sorted names, fixed mtime and modes, no owner names. */
export async function packDirectory(dir: string, skip: (rel: string) => boolean = () => false): Promise<Uint8Array> {
  return gzipSync(await packTar(await directoryEntries(dir, skip)), { level: 9, mtime: FIXED_MTIME });
}

/** Tar entries for a directory tree (names relative to it), sorted, with fixed metadata. */
async function directoryEntries(dir: string, skip: (rel: string) => boolean = () => false): Promise<Entry[]> {
  const list: Entry[] = [];
  async function walk(rel: string): Promise<void> {
    const abs = path.join(dir, rel);
    for (const name of (await readdir(abs)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip(r)) continue;
      const st = await stat(path.join(dir, r));
      if (st.isDirectory()) {
        list.push({ header: { name: `${r}/`, size: 0, type: 'directory', mtime: FIXED_MTIME, mode: 0o755, uid: 0, gid: 0 } });
        await walk(r);
      } else if (st.isFile()) {
        const body = new Uint8Array(await readFile(path.join(dir, r)));
        list.push({ header: { name: r, size: body.length, type: 'file', mtime: FIXED_MTIME, mode: 0o644, uid: 0, gid: 0 }, body });
      }
    }
  }
  await walk('');
  return list;
}
