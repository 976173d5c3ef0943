// Monaco panes: the package's files (read-only, the selected syscall's build.zig line revealed) and the raw
// graph JSON. Monaco is loaded on first use (a dynamic import), so a session that never opens these tabs
// pays nothing for it (the archive reader is in the main bundle already, through src/session). The policy
// editor (PolicyPanel) uses monaco() too.

import { loadPackageArchive } from '../../audit/package.ts';
import type { MemFS } from '../../wasi-vfs/fs.ts';
import type { TraceRecord } from '../../wasi-vfs/index.ts';
import { defaultFile, fileView, listFiles, nodeAt, sourceFile, type FileEntry, type FileView } from '../panels/editor/file-tree.ts';
import { graphJson, type GraphJson } from '../panels/editor/graph-json.ts';
import type { AppState } from './app.svelte.ts';

export type MonacoModule = typeof import('../panels/editor/monaco.ts');

/** A file and line to show (the selected syscall's attribution, resolved to an archive path). */
export interface SourceTarget {
  path: string;
  line?: number;
  /** The trace record it came from. */
  seq: number;
  package?: string;
}

let monacoLoad: Promise<MonacoModule> | null = null;

export class EditorState {
  /** The package's entries (empty until the Files tab first needs them). */
  files = $state.raw<FileEntry[]>([]);
  filesError = $state<string | null>(null);
  /** The file on show and what it shows. */
  openPath = $state<string | null>(null);
  view = $state.raw<FileView | null>(null);
  /** Line to highlight and reveal in the open file (1-based), or null. */
  line = $state<number | null>(null);
  /** Monaco failed to load (shown instead of an editor). */
  monacoError = $state<string | null>(null);

  #fs: MemFS | null = null;
  #source: Uint8Array | null = null;
  #loading: Promise<void> | null = null;

  constructor(readonly app: AppState) {}

  /** Monaco, loaded once on first call. */
  monaco(): Promise<MonacoModule> {
    monacoLoad ??= import('../panels/editor/monaco.ts');
    return monacoLoad.catch((e: unknown) => {
      this.monacoError = `the editor could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
      monacoLoad = null;
      throw e;
    });
  }

  /** The selected trace record's source, when its attribution names a file this archive has. */
  get target(): SourceTarget | null {
    return targetOf(this.app.trace.selected, (p) => this.files.some((f) => f.path === p && f.kind === 'file'));
  }

  /** The graph as pretty JSON with its step lines (computed when the JSON pane reads it). */
  #json = $derived.by((): GraphJson | null => (this.app.graph.graph ? graphJson(this.app.graph.graph) : null));
  get json(): GraphJson | null {
    return this.#json;
  }

  /**
   * Read the loaded archive's file list, if not read yet for this archive. The same loader as the worker
   * (loadPackageArchive), so paths match the policy's and the attribution's: the package is the root.
   */
  ensureFiles(): Promise<void> {
    const bytes = this.app.archive;
    if (bytes === this.#source) return this.#loading ?? Promise.resolve();
    this.#source = bytes;
    this.#fs = null;
    this.files = [];
    this.filesError = null;
    this.openPath = null;
    this.view = null;
    this.line = null;
    if (!bytes) return (this.#loading = Promise.resolve());
    this.#loading = (async () => {
      try {
        const fs = await loadPackageArchive(bytes);
        if (this.#source !== bytes) return;
        this.#fs = fs;
        this.files = listFiles(fs.root);
        const first = this.target?.path ?? defaultFile(this.files);
        if (first) this.open(first, this.target?.line);
      } catch (e) {
        if (this.#source === bytes) this.filesError = `could not read the package: ${e instanceof Error ? e.message : String(e)}`;
      }
    })();
    return this.#loading;
  }

  /** Show a file (and highlight a line in it). Unknown paths and directories are ignored. */
  open(path: string, line?: number): boolean {
    const node = this.#fs ? nodeAt(this.#fs.root, path) : undefined;
    if (node?.kind !== 'file') return false;
    if (path !== this.openPath) {
      this.openPath = path;
      this.view = fileView(path, node.data.view());
    }
    this.line = line ?? null;
    return true;
  }

  /** Open the selected syscall's file at its line (no-op without an attribution in this archive). */
  followSelection(): boolean {
    const t = this.target;
    return t ? this.open(t.path, t.line) : false;
  }
}

/** The source of a trace record: its attribution (filled by the worker on interp runs) in this archive. */
export function targetOf(rec: TraceRecord | null, has: (path: string) => boolean): SourceTarget | null {
  const a = rec?.attribution;
  const path = sourceFile(a, has);
  if (!rec || !a || !path) return null;
  return { path, line: a.line, seq: rec.seq, package: a.package };
}
