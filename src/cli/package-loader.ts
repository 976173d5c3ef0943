// Node-only: load a package for `sandbuild audit` / `diff` (and the audit tests) from a directory or a
// tarball into a MemFS with the package at its root. Directories are copied with lstat (symlinks are copied
// as links, never followed), leaving out `.zig-cache`, `zig-out` and `.git` (host-dir.ts, PACKAGE_SKIP);
// archives go through the browser-safe loader, which strips a single top folder.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { loadPackageArchive } from '../audit/package.ts';
import type { Policy } from '../policy/schema.ts';
import { MemFS } from '../wasi-vfs/fs.ts';
import { copyHostDir, PACKAGE_SKIP } from './host-dir.ts';

export interface LoadedPackage {
  fs: MemFS;
  kind: 'dir' | 'archive';
  /** For messages: the directory or file name. */
  name: string;
}

/**
 * Load `path` (a package directory, or a .tar/.tar.gz/.tgz). With a fixed-clock policy the copied files get
 * the policy's epoch as their times, so a directory audit is as reproducible as a tarball audit.
 */
export async function loadPackage(path: string, policy?: Policy): Promise<LoadedPackage> {
  const st = statSync(path);
  const name = basename(path);
  if (st.isDirectory()) {
    const clock = policy?.clock;
    const fs = new MemFS(clock?.mode === 'fixed' ? { now: () => BigInt(clock.epochNs) } : {});
    copyHostDir(fs, path, fs.root, clock?.mode !== 'fixed', PACKAGE_SKIP);
    return { fs, kind: 'dir', name };
  }
  return { fs: await loadPackageArchive(new Uint8Array(readFileSync(path))), kind: 'archive', name };
}
