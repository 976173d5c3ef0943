// Load a package archive (.tar, .tar.gz, .tgz) into a MemFS. gzip is fflate's streaming Gunzip, fed in
// slices so the size and ratio caps stop a decompression bomb early; tar parsing is modern-tar in strict
// mode (checksums, truncation). Chosen over nanotar for that strict mode (bad checksums and truncation are
// errors, not partial entries) and for its PAX and GNU long-name support, which real package tarballs use. Every entry name and link target is checked before anything is created,
// and entries are created by walking real directories only, so no entry can land outside the root.

import { Gunzip } from 'fflate';
import { unpackTar, type TarHeader } from 'modern-tar';
import { ArchiveError } from './errors.ts';
import { MemFS, type DirNode, type FileNode } from './fs.ts';
import { NAME_MAX, PATH_MAX } from './path.ts';

export interface ArchiveLimits {
  /** Max bytes after decompression (the whole tar stream). Default 512 MiB. */
  maxTotalSize?: number;
  /** Max size of one entry. Default 256 MiB. */
  maxEntrySize?: number;
  /** Max decompressed/compressed ratio, checked once output passes ratioGrace. Default 200. */
  maxRatio?: number;
  /** Output size below which the ratio is not checked (small files compress well legitimately). Default 1 MiB. */
  ratioGrace?: number;
  /** Max number of entries. Default 100_000. */
  maxEntries?: number;
}

export interface LoadOptions extends ArchiveLimits {
  /** Strip this many leading components (1 for npm-style `package/` roots). Default 0. */
  strip?: number;
  /** Load into this FS instead of a new one. */
  fs?: MemFS;
  /** Directory of `fs` that becomes the package root (default its root). */
  into?: DirNode;
}

export interface LoadResult {
  fs: MemFS;
  files: number;
  dirs: number;
  symlinks: number;
  bytes: number;
}

const DEFAULTS: Required<ArchiveLimits> = {
  maxTotalSize: 512 << 20,
  maxEntrySize: 256 << 20,
  maxRatio: 200,
  ratioGrace: 1 << 20,
  maxEntries: 100_000,
};
const GZIP_SLICE = 64 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompress gzip with caps on total size and ratio. */
export function gunzipCapped(bytes: Uint8Array, limits: ArchiveLimits = {}): Uint8Array {
  const lim = { ...DEFAULTS, ...limits };
  const chunks: Uint8Array[] = [];
  let out = 0;
  let consumed = 0;
  const g = new Gunzip((chunk) => {
    out += chunk.length;
    if (out > lim.maxTotalSize) throw new ArchiveError('bomb-size', `decompressed size exceeds ${lim.maxTotalSize} bytes`);
    if (out > lim.ratioGrace && out / Math.max(consumed, 1) > lim.maxRatio)
      throw new ArchiveError('bomb-ratio', `compression ratio exceeds ${lim.maxRatio}:1`);
    chunks.push(chunk);
  });
  try {
    for (let i = 0; i < bytes.length; i += GZIP_SLICE) {
      const end = Math.min(bytes.length, i + GZIP_SLICE);
      consumed = end;
      g.push(bytes.subarray(i, end), end === bytes.length);
    }
    if (bytes.length === 0) g.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new ArchiveError(/unexpected EOF/i.test(msg) ? 'truncated' : 'corrupt', `gzip: ${msg}`);
  }
  const result = new Uint8Array(out);
  let off = 0;
  for (const c of chunks) {
    result.set(c, off);
    off += c.length;
  }
  return result;
}

/**
 * Check and normalise an entry name to components under the root. Leading './' is allowed (tar -C . writes
 * it); an absolute name, a '..' component, NUL, or U+FFFD (what the tar decoder produces for bytes that
 * are not UTF-8) are refused.
 */
export function entryComponents(name: string, strip = 0): string[] {
  if (name.includes('\uFFFD')) throw new ArchiveError('non-utf8-name', 'entry name is not valid UTF-8', name);
  if (name.includes('\0')) throw new ArchiveError('bad-name', 'entry name contains NUL', name);
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) throw new ArchiveError('absolute-path', 'absolute entry name', name);
  if (name.length >= PATH_MAX) throw new ArchiveError('bad-name', 'entry name too long', name);
  const parts = name.split('/').filter((c) => c !== '' && c !== '.');
  for (const c of parts) {
    if (c === '..') throw new ArchiveError('dotdot', "'..' in entry name", name);
    if (c.includes('\\')) throw new ArchiveError('bad-name', 'backslash in entry name', name);
    if (new TextEncoder().encode(c).length > NAME_MAX) throw new ArchiveError('bad-name', 'entry name component too long', name);
  }
  return parts.slice(strip);
}

/** Is a symlink target, taken relative to the link's own directory, still inside the root? (lexical check) */
function symlinkStaysInside(linkDir: string[], target: string): boolean {
  if (target.startsWith('/') || target.length === 0) return false;
  const stack = [...linkDir];
  for (const c of target.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (stack.length === 0) return false;
      stack.pop();
    } else stack.push(c);
  }
  return true;
}

async function parseTar(bytes: Uint8Array): Promise<{ header: TarHeader; data?: Uint8Array }[]> {
  try {
    return await unpackTar(bytes, { strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ArchiveError(/truncated/i.test(msg) ? 'truncated' : 'corrupt', `tar: ${msg}`);
  }
}

/** Load an archive into a MemFS. Throws ArchiveError; on error the FS passed in may be partly filled. */
export async function loadArchive(bytes: Uint8Array, opts: LoadOptions = {}): Promise<LoadResult> {
  const lim = { ...DEFAULTS, ...opts };
  const tar = isGzip(bytes) ? gunzipCapped(bytes, lim) : bytes;
  if (tar.length > lim.maxTotalSize) throw new ArchiveError('bomb-size', `archive exceeds ${lim.maxTotalSize} bytes`);
  const entries = await parseTar(tar);
  if (entries.length > lim.maxEntries) throw new ArchiveError('too-many-entries', `more than ${lim.maxEntries} entries`);
  // Directories the archive implies but does not list get time 0, so a load never depends on the clock.
  const fs = opts.fs ?? new MemFS({ now: () => 0n });
  const res: LoadResult = { fs, files: 0, dirs: 0, symlinks: 0, bytes: 0 };
  const seen = new Set<string>();

  // Walk real directories only, creating missing ones; a symlink or file in the way is an error.
  const root = opts.into ?? fs.root;
  const dirFor = (parts: string[], name: string): DirNode => {
    let dir = root;
    for (const c of parts) {
      let next = dir.entries.get(c);
      if (!next) {
        next = fs.mkdir(dir, c);
        res.dirs++;
      }
      if (next.kind === 'symlink') throw new ArchiveError('path-through-symlink', `'${c}' on the entry path is a symlink`, name);
      if (next.kind !== 'dir') throw new ArchiveError('not-a-directory', `'${c}' on the entry path is a file`, name);
      dir = next;
    }
    return dir;
  };

  for (const { header, data } of entries) {
    const name = header.name;
    const type = header.type ?? 'file';
    const parts = entryComponents(name, opts.strip ?? 0);
    if (parts.length === 0) continue; // the root itself ('./' or a stripped prefix)
    const key = parts.join('/');
    if (seen.has(key)) throw new ArchiveError('duplicate-entry', 'duplicate entry', name);
    seen.add(key);
    if (header.size > lim.maxEntrySize) throw new ArchiveError('entry-too-large', `entry larger than ${lim.maxEntrySize} bytes`, name);
    const base = parts[parts.length - 1];
    const mtime = header.mtime ? BigInt(header.mtime.getTime()) * 1_000_000n : undefined;
    const parent = dirFor(parts.slice(0, -1), name);
    switch (type) {
      case 'directory': {
        const existing = parent.entries.get(base);
        if (existing && existing.kind !== 'dir') throw new ArchiveError('duplicate-entry', 'directory over a non-directory', name);
        const d = existing ?? fs.mkdir(parent, base);
        if (!existing) res.dirs++;
        if (mtime !== undefined) d.mtim = d.atim = d.ctim = mtime;
        break;
      }
      case 'file': {
        if (parent.entries.has(base)) throw new ArchiveError('duplicate-entry', 'entry exists', name);
        const content = data ?? new Uint8Array(0);
        const f = fs.createFile(parent, base, content);
        if (mtime !== undefined) f.mtim = f.atim = f.ctim = mtime;
        res.files++;
        res.bytes += content.length;
        break;
      }
      case 'symlink': {
        const target = header.linkname ?? '';
        if (target.includes('\uFFFD')) throw new ArchiveError('non-utf8-name', 'link target is not valid UTF-8', name);
        if (!symlinkStaysInside(parts.slice(0, -1), target))
          throw new ArchiveError('link-outside', `symlink target ${JSON.stringify(target)} leaves the package root`, name);
        if (parent.entries.has(base)) throw new ArchiveError('duplicate-entry', 'entry exists', name);
        const s = fs.symlink(parent, base, target);
        if (mtime !== undefined) s.mtim = s.atim = s.ctim = mtime;
        res.symlinks++;
        break;
      }
      case 'link': {
        // Hard link targets are archive paths (relative to the root), not to the link's directory.
        const target = header.linkname ?? '';
        let tparts: string[];
        try {
          tparts = entryComponents(target, opts.strip ?? 0);
        } catch (e) {
          if (e instanceof ArchiveError) throw new ArchiveError('link-outside', `hard link target ${JSON.stringify(target)} leaves the package root`, name);
          throw e;
        }
        let node: DirNode | FileNode | undefined = root;
        for (const c of tparts) {
          const next: ReturnType<DirNode['entries']['get']> = node?.kind === 'dir' ? node.entries.get(c) : undefined;
          node = next?.kind === 'dir' || next?.kind === 'file' ? next : undefined;
        }
        if (!node || node.kind !== 'file') throw new ArchiveError('link-target-missing', `hard link target ${JSON.stringify(target)} is not an earlier regular file`, name);
        if (parent.entries.has(base)) throw new ArchiveError('duplicate-entry', 'entry exists', name);
        // Hard links become copies: a package must not hand the guest two names for one inode, or a write
        // allowed on one path (zig-out/x) would change a file the policy protects under another (src/x).
        const copy = fs.createFile(parent, base, node.data.view());
        copy.mtim = copy.atim = copy.ctim = node.mtim;
        res.files++;
        res.bytes += node.data.size;
        break;
      }
      default:
        throw new ArchiveError('unsupported-type', `entry type '${type}' is not allowed in a package`, name);
    }
  }
  return res;
}
