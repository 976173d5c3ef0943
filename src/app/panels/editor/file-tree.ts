// The Files pane's pure pieces: the package's file list (from the MemFS the archive loads into), what to
// show for one file (text, capped; or a size note for binaries), and which file a syscall's attribution
// names. No DOM and no Monaco here, so all of it is unit-tested.

import type { DirNode, Node } from '../../../wasi-vfs/fs.ts';

/** The compiled graph runner: shown as a size note, never decoded (megabytes of wasm). */
export const RUNNER_PATH = '.sandbuild/build.wasm';

/** Text past this many bytes is cut (Monaco stays responsive; build scripts are far smaller). */
export const MAX_TEXT_BYTES = 512 * 1024;

/** Bytes sniffed for a NUL to call a file binary (git's heuristic uses the first 8000). */
const SNIFF_BYTES = 8000;

export interface FileEntry {
  /** From the package root, '/'-separated ('build.zig', 'deps/alpha/build.zig'). */
  path: string;
  name: string;
  /** 0 for the root's entries. */
  depth: number;
  kind: 'file' | 'dir' | 'symlink';
  /** Bytes (files), the target's length (symlinks), entries (directories). */
  size: number;
  /** The symlink's target. */
  target?: string;
}

/**
 * Every entry under `root`, depth first, each directory's entries as directories first and then files,
 * both by name (code-unit order, like the FS lists them). Order is what the pane shows.
 */
export function listFiles(root: DirNode): FileEntry[] {
  const out: FileEntry[] = [];
  const walk = (dir: DirNode, prefix: string, depth: number) => {
    const entries = [...dir.entries].sort(([a, x], [b, y]) => Number(y.kind === 'dir') - Number(x.kind === 'dir') || (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, node] of entries) {
      const path = prefix + name;
      out.push(entryOf(node, path, name, depth));
      if (node.kind === 'dir') walk(node, `${path}/`, depth + 1);
    }
  };
  walk(root, '', 0);
  return out;
}

function entryOf(node: Node, path: string, name: string, depth: number): FileEntry {
  if (node.kind === 'file') return { path, name, depth, kind: 'file', size: node.data.size };
  if (node.kind === 'symlink') return { path, name, depth, kind: 'symlink', size: node.target.length, target: node.target };
  return { path, name, depth, kind: 'dir', size: node.entries.size };
}

/** The node at a '/'-separated path from the root (symlinks are not followed), or undefined. */
export function nodeAt(root: DirNode, path: string): Node | undefined {
  let node: Node = root;
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (node.kind !== 'dir') return undefined;
    const next: Node | undefined = node.entries.get(part);
    if (!next) return undefined;
    node = next;
  }
  return node;
}

export type FileView =
  | { kind: 'text'; text: string; size: number; truncated: boolean }
  | { kind: 'binary'; size: number; why: 'runner' | 'nul' | 'not-utf8' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * What the pane shows for a file's bytes. Binary when it is the runner, has a NUL in its first 8000
 * bytes, or is not UTF-8; else the text, cut at MAX_TEXT_BYTES (on a UTF-8 boundary).
 */
export function fileView(path: string, bytes: Uint8Array, max = MAX_TEXT_BYTES): FileView {
  const size = bytes.length;
  if (path === RUNNER_PATH) return { kind: 'binary', size, why: 'runner' };
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { kind: 'binary', size, why: 'nul' };
  let end = Math.min(size, max);
  // Do not cut inside a multi-byte character: step back over continuation bytes (10xxxxxx).
  if (end < size) while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  try {
    return { kind: 'text', text: utf8.decode(bytes.subarray(0, end)), size, truncated: end < size };
  } catch {
    return { kind: 'binary', size, why: 'not-utf8' };
  }
}

/** "1.6 MB", "812 B": for the size notes. */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The parts of a trace record's attribution the pane uses (TraceAttribution, src/wasi-vfs/trace.ts). */
export interface SourceRef {
  package?: string;
  root?: true;
  file?: string;
  line?: number;
}

/**
 * The package file an attribution names, if the archive has it. Attribution paths are from the package
 * root ('build.zig', 'deps/alpha/build.zig'); DWARF forms ('./build.zig', './deps/alpha/build.zig') and
 * a dependency named only by package ('build.zig' with package 'alpha') are resolved too.
 */
export function sourceFile(ref: SourceRef | undefined, has: (path: string) => boolean): string | undefined {
  if (!ref?.file) return undefined;
  const file = ref.file.replace(/^(\.\/)+/, '');
  const candidates = [file];
  if (ref.package && !ref.root) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    candidates.push(`deps/${ref.package}/${base}`);
  }
  // An absolute path from a DWARF table that was not rewritten: keep its `deps/<name>/...` tail.
  const deps = file.lastIndexOf('/deps/');
  if (deps >= 0) candidates.push(file.slice(deps + 1));
  return candidates.find(has);
}

/** The file the pane opens first: build.zig, else build.zig.zon, else the first file. */
export function defaultFile(files: readonly FileEntry[]): string | undefined {
  for (const p of ['build.zig', 'build.zig.zon']) if (files.some((f) => f.path === p && f.kind === 'file')) return p;
  return files.find((f) => f.kind === 'file')?.path;
}
