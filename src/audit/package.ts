// Finding the package inside a MemFS: its root, and the compiled graph runner in .sandbuild/build.wasm.
// Browser-safe (the worker loads dropped tarballs through here); the Node loader is src/cli/package-loader.ts.

import { loadArchive, type LoadOptions } from '../wasi-vfs/tar-loader.ts';
import type { DirNode, MemFS } from '../wasi-vfs/fs.ts';
import { AuditError } from './errors.ts';

export const WASM_PATH = '.sandbuild/build.wasm';

/** Does `dir` look like a package root (build.zig, or a compiled .sandbuild/)? */
export function isPackageRoot(dir: DirNode): boolean {
  return dir.entries.get('build.zig')?.kind === 'file' || dir.entries.get('.sandbuild')?.kind === 'dir';
}

/**
 * Load a package archive so that the package is the FS root. Archives made with `tar -C pkg .` have it at
 * the root already; `tar czf x.tgz pkg/` (and GitHub/npm tarballs) wrap it in one directory, which is
 * stripped. Policy paths are relative to the FS root, so this decides whether `src/**` means the package's
 * src/. Throws ArchiveError for a bad archive, AuditError('no-package') when no package is found.
 */
export async function loadPackageArchive(bytes: Uint8Array, opts: Omit<LoadOptions, 'strip' | 'fs'> = {}): Promise<MemFS> {
  const first = await loadArchive(bytes, opts);
  const root = first.fs.root;
  if (isPackageRoot(root)) return first.fs;
  const entries = [...root.entries.values()];
  if (entries.length === 1 && entries[0].kind === 'dir' && isPackageRoot(entries[0])) {
    return (await loadArchive(bytes, { ...opts, strip: 1 })).fs;
  }
  throw new AuditError('no-package', 'no package in the archive: expected build.zig or .sandbuild/ at its root (or inside its single top directory)');
}

/** The package's compiled graph runner. Throws AuditError('no-wasm') with what to do about it. */
export function readPackageWasm(fs: MemFS): Uint8Array {
  let node = fs.root.entries.get('.sandbuild');
  node = node?.kind === 'dir' ? node.entries.get('build.wasm') : undefined;
  if (node?.kind !== 'file') {
    throw new AuditError('no-wasm', `the package has no ${WASM_PATH}: run \`sandbuild compile <package>\` first`);
  }
  // A copy: the guest may overwrite its own file during the run (the policy decides), the module must not change.
  return node.data.view().slice();
}
