// The playground's controller: loads a package into the worker, compiles it on the dev server when it has
// no build.wasm, runs it, and feeds the graph, trace and status states from the worker's event batches.
// Components call its methods and read its fields; they hold no state of their own beyond UI details.

import type { Graph } from '../../graph/index.ts';
import { AuditClient } from '../../worker/client.ts';
import { outcomeError } from '../../worker/outcome.ts';
import type { EngineName, EventBatch, LoadInfo, RunProgress, RunSummary, WorkerError } from '../../worker/types.ts';
import { NO_FILTER } from '../panels/trace/trace-index.ts';
import { canCompile, compileOnDevServer } from './compile.ts';
import { fetchArchive } from './fetch-archive.ts';
import { DiffState } from './diff.svelte.ts';
import { EditorState } from './editor.svelte.ts';
import { GraphState } from './graph.svelte.ts';
import { PolicyState } from './policy.svelte.ts';
import { SessionUi } from './session.svelte.ts';
import { ShareState } from './share.svelte.ts';
import { TraceState } from './trace.svelte.ts';

/** Instruction budget for one run on the interpreter: far above any real build.zig's configure phase. */
export const DEFAULT_FUEL = 20_000_000_000;

export type SideTab = 'details' | 'inspect' | 'options' | 'policy' | 'files' | 'json' | 'output';

export type Phase = 'empty' | 'loading' | 'compiling' | 'running' | 'ready' | 'error';

export interface AppError extends WorkerError {
  /** Extra text shown verbatim in a <pre> (Zig's diagnostics, the guest's stderr). */
  detail?: string;
}

const MAX_CAPTURED_OUTPUT = 1 << 20;

/** Set up a load (a permalink's options, policy and engine): `apply` runs after the reset, before the first run. */
export interface LoadInit {
  /** Where the bytes came from (kept as `sourceUrl`). */
  url?: string;
  apply?: () => void;
}

export class AppState {
  readonly graph = new GraphState();
  readonly trace = new TraceState();
  readonly policy = new PolicyState();
  /** Step-through inspector (interp engine): controls, the paused call, prompts. */
  readonly session: SessionUi = new SessionUi(this);
  /** Permalinks and exports. */
  readonly share: ShareState = new ShareState(this);
  /** Version diff (two packages, or the v1/v2 example pair). */
  readonly diff: DiffState = new DiffState(this);
  /** Monaco panes: package files, the raw graph JSON. */
  readonly editor: EditorState = new EditorState(this);

  pkgName = $state<string | null>(null);
  info = $state.raw<LoadInfo | null>(null);
  phase = $state<Phase>('empty');
  error = $state.raw<AppError | null>(null);
  engine = $state<EngineName>('interp');
  /** User-set options (`-Dname=value`); absent means the build script's default. */
  options = $state<Record<string, string>>({});
  summary = $state.raw<RunSummary | null>(null);
  progress = $state.raw<RunProgress | null>(null);
  stdout = $state('');
  stderr = $state('');
  compileStartedAt = $state<number | null>(null);
  compileMs = $state<number | null>(null);
  /** The URL the loaded package was fetched from (gallery: a page-relative path), null for a dropped file. */
  sourceUrl = $state<string | null>(null);

  #client: AuditClient | null = null;
  #archive = $state.raw<Uint8Array | null>(null);
  #compiledWasm: Uint8Array | null = null;
  #runId = 0;

  /** The worker bridge (created on first use); the session, share and diff states use it too. */
  get client(): AuditClient {
    return (this.#client ??= new AuditClient());
  }

  /** The loaded package's bytes (the archive as dropped, without a dev-server-compiled wasm). */
  get archive(): Uint8Array | null {
    return this.#archive;
  }

  /** A package is loaded and can be re-run. */
  get loaded(): boolean {
    return this.#archive !== null;
  }

  /** The wasm compiled on the dev server for an archive without one (null otherwise). */
  get compiledWasm(): Uint8Array | null {
    return this.#compiledWasm;
  }

  async loadFile(file: File): Promise<void> {
    if (!/\.(tar|tar\.gz|tgz)$/i.test(file.name)) {
      this.fail({ phase: 'archive', kind: 'not-an-archive', message: `${file.name} is not a .tar, .tar.gz or .tgz file` });
      return;
    }
    await this.loadBytes(file.name, new Uint8Array(await file.arrayBuffer()));
  }

  async loadUrl(url: string, name: string, init?: LoadInit): Promise<void> {
    this.begin(name);
    const r = await fetchArchive(url);
    if (!r.ok) return this.fail(r.error);
    await this.loadBytes(name, r.value, { ...init, url });
  }

  private begin(name: string): void {
    this.#runId++;
    this.pkgName = name;
    this.phase = 'loading';
    this.error = null;
    this.summary = null;
    this.progress = null;
    this.info = null;
    this.stdout = this.stderr = '';
    this.options = {};
    this.compileMs = null;
    this.#archive = null;
    this.#compiledWasm = null;
    this.graph.clear();
    this.trace.clear();
    // Filters and the step search name the old package's functions, paths and packages: start clean.
    this.trace.setFilter({ ...NO_FILTER });
    this.graph.query = '';
    // A learned policy belongs to the package it was learned from.
    this.policy.learned = null;
    // The new package is shown in the work area, which the comparison view would otherwise keep hidden.
    if (this.diff.open) void this.diff.close();
  }

  /** Resolves once the first run has ended (or loading failed). */
  async loadBytes(name: string, bytes: Uint8Array, init?: LoadInit): Promise<void> {
    if (this.phase === 'running') await this.client.abort();
    this.begin(name);
    this.sourceUrl = init?.url ?? null;
    init?.apply?.();
    const id = this.#runId;
    let r = await this.client.load(bytes);
    if (id !== this.#runId) return;
    if (!r.ok) return this.fail(r.error);
    if (!r.value.hasWasm) {
      if (!canCompile()) {
        return this.fail({
          phase: 'package', kind: 'no-build-wasm',
          message: `${name} has no .sandbuild/build.wasm. Compile its build.zig first: npx sandbuild compile ${name} (writes a tarball that includes it), then drop that tarball here. Under npm start the playground compiles it for you.`,
        });
      }
      this.phase = 'compiling';
      this.compileStartedAt = Date.now();
      const c = await compileOnDevServer(bytes);
      this.compileStartedAt = null;
      if (id !== this.#runId) return;
      if (!c.ok) return this.fail({ phase: 'package', kind: 'compile-failed', message: c.message, detail: c.output });
      this.compileMs = c.ms;
      r = await this.client.load(bytes, c.wasm);
      if (id !== this.#runId) return;
      if (!r.ok) return this.fail(r.error);
      this.#compiledWasm = c.wasm;
    }
    this.#archive = bytes;
    this.info = r.value;
    await this.run();
  }

  /** Run the loaded package with the current options, policy and engine. A run in progress is aborted. */
  async run(): Promise<void> {
    if (!this.#archive) return;
    if (this.phase === 'running') await this.client.abort();
    const id = ++this.#runId;
    this.phase = 'running';
    this.error = null;
    this.stdout = this.stderr = '';
    this.progress = null;
    this.trace.clear();
    let graph: Graph | undefined;
    let doneBatch!: () => void;
    const done = new Promise<void>((resolve) => (doneBatch = resolve));
    const onEvents = (b: EventBatch) => {
      if (id !== this.#runId) return;
      this.trace.append(b.trace);
      if (b.stdout && this.stdout.length < MAX_CAPTURED_OUTPUT) this.stdout += b.stdout;
      if (b.stderr && this.stderr.length < MAX_CAPTURED_OUTPUT) this.stderr += b.stderr;
      this.progress = b.status.progress;
      if (b.graph) graph = b.graph;
      if (b.status.state === 'done') doneBatch();
    };
    const r = await this.client.run(
      { options: { ...this.options }, policy: this.policy.policy, engine: this.engine, fuel: this.engine === 'interp' ? DEFAULT_FUEL : undefined },
      onEvents,
    );
    if (id !== this.#runId) return;
    if (!r.ok) return this.fail(r.error);
    // The last batch travels on the callback's own port, so it may land after the result.
    await done;
    if (id !== this.#runId) return;
    const s = r.value;
    this.summary = s;
    this.trace.dropped = s.traceDropped;
    if (s.learnedPolicy) this.policy.learned = s.learnedPolicy;
    const err = outcomeError({ ...s, graph }, DEFAULT_FUEL);
    if (err) return this.fail(err.phase === 'trap' ? { ...err, detail: this.stderr } : err);
    // outcomeError answers 'no-graph' when there is none.
    this.graph.setResult(graph!, s.capDenials, new Map(s.blocked), s.syscallDenials);
    this.phase = 'ready';
  }

  /** The sidebar tab on show. */
  tab = $state<SideTab>('details');

  showConfigure(): void {
    this.graph.selectConfigure();
    this.tab = 'details';
  }

  setOption(name: string, value: string | null): void {
    const next = { ...this.options };
    if (value === null) delete next[name];
    else next[name] = value;
    this.options = next;
    void this.run();
  }

  setEngine(engine: EngineName): void {
    this.engine = engine;
    void this.run();
  }

  /** Stop the running build script (terminates the worker; the package stays loaded). */
  async cancel(): Promise<void> {
    if (this.phase !== 'running') return;
    this.#runId++;
    await this.client.abort();
    this.fail({ phase: 'state', kind: 'aborted', message: 'run cancelled' });
  }

  /** Show an error (the banner) and enter the error phase. */
  fail(e: AppError): void {
    this.error = e;
    this.phase = 'error';
  }
}
