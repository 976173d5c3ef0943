// Node-only: copy a host folder into a MemFS (for `sandbuild run --dir` and the WASI conformance runner),
// and export a MemFS subtree back to disk. Copying uses lstat, so host symlinks become MemFS symlinks with
// the same target text and are never followed; the guest's own resolution then keeps them inside.
// Other file kinds (sockets, devices, FIFOs) are skipped. A skip filter leaves out entries by path (a package
// directory's build outputs and VCS data: `PACKAGE_SKIP`).

import { type BigIntStats, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirNode, MemFS, Node } from '../wasi-vfs/fs.ts';

export interface CopyStats {
  files: number;
  dirs: number;
  symlinks: number;
  /** Host paths of entries that are no file, directory or symlink (not copied). */
  skipped: string[];
  /** Paths (relative to the copied folder, '/'-separated) the skip filter left out, contents not visited. */
  excluded: string[];
}

/** Decide whether to leave out an entry: `rel` is its path below the copied folder ('/'-separated). */
export type SkipFilter = (rel: string, name: string) => boolean;

/** Names never part of a package's sources: Zig's cache and install prefix, and git's data (any depth). */
export const PACKAGE_SKIP_NAMES: readonly string[] = ['.zig-cache', 'zig-out', '.git'];

/**
 * The filter for loading a package directory (`sandbuild audit`/`diff`): a local `zig build` leaves
 * `.zig-cache` and `zig-out` behind, and `.git` can be large; none of them is the package, and copying them
 * would put the auditor's own build products (and repository history) into the sandbox.
 */
export const PACKAGE_SKIP: SkipFilter = (_rel, name) => PACKAGE_SKIP_NAMES.includes(name);

/**
 * Copy `hostDir` (its contents) into `into`. With `keepTimes`, nodes get the host's mtime/atime (build caches
 * such as Zig's compare them); without, they keep the MemFS clock's time (deterministic runs). Entries for
 * which `skip` returns true are left out (checked before lstat, so not even their metadata is read).
 */
export function copyHostDir(fs: MemFS, hostDir: string, into: DirNode = fs.root, keepTimes = false, skip?: SkipFilter): CopyStats {
  const stats: CopyStats = { files: 0, dirs: 0, symlinks: 0, skipped: [], excluded: [] };
  const stamp = (node: Node, st: BigIntStats): void => {
    if (!keepTimes) return;
    node.mtim = st.mtimeNs;
    node.atim = st.atimeNs;
    node.ctim = st.ctimeNs;
  };
  const walk = (host: string, rel: string, dir: DirNode): void => {
    for (const name of readdirSync(host).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (skip?.(r, name)) {
        stats.excluded.push(r);
        continue;
      }
      const p = join(host, name);
      const st = lstatSync(p, { bigint: true });
      const existing = dir.entries.get(name);
      if (existing && !(existing.kind === 'dir' && st.isDirectory())) {
        throw new Error(`${p}: the sandbox already has an entry there (overlapping --dir folders?)`);
      }
      if (st.isSymbolicLink()) {
        stamp(fs.symlink(dir, name, readlinkSync(p)), st);
        stats.symlinks++;
      } else if (st.isDirectory()) {
        const d = existing?.kind === 'dir' ? existing : fs.mkdir(dir, name);
        walk(p, r, d);
        stamp(d, st);
        stats.dirs++;
      } else if (st.isFile()) {
        stamp(fs.createFile(dir, name, new Uint8Array(readFileSync(p))), st);
        stats.files++;
      } else stats.skipped.push(p);
    }
  };
  walk(hostDir, '', into);
  return stats;
}

/** Ensure a MemFS directory path exists (for --dir HOST::/some/guest/dir). */
export function mkdirp(fs: MemFS, path: string): DirNode {
  let dir = fs.root;
  for (const c of path.split('/').filter((x) => x && x !== '.')) {
    const next = dir.entries.get(c);
    if (next && next.kind !== 'dir') throw new Error(`${path}: '${c}' is not a directory`);
    dir = next?.kind === 'dir' ? next : fs.mkdir(dir, c);
  }
  return dir;
}

/** Write a MemFS subtree to a host folder (symlinks as symlinks). The folder must not exist yet or be empty. */
export function exportTree(dir: DirNode, hostDir: string): void {
  mkdirSync(hostDir, { recursive: true });
  for (const [name, node] of dir.entries) {
    const p = join(hostDir, name);
    if (node.kind === 'dir') exportTree(node, p);
    else if (node.kind === 'file') writeFileSync(p, node.data.view());
    else symlinkSync(node.target, p);
  }
}

