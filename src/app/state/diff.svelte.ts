// Version diff: two packages (or the v1/v2 example pair) under the same options, policy and engine as the
// work area, compared in a worker of its own (so a diff neither stops nor is stopped by the main run or a
// step-through session). The worker's `diff` call does what `sandbuild diff` does (src/audit diffAudits).

import type { DiffInput, DiffProgress, DiffResult, DiffSideName, WorkerError } from '../../worker/types.ts';
import { AuditClient } from '../../worker/client.ts';
import type { AppState } from './app.svelte.ts';
import { DEFAULT_FUEL } from './app.svelte.ts';
import { canCompile, compileOnDevServer } from './compile.ts';
import { fetchArchive } from './fetch-archive.ts';

/** The example pair, relative to the page (public/examples, copied into every build). */
export const EXAMPLE_PAIR = { a: { url: 'examples/g-v1.tar.gz', name: 'g-v1.tar.gz' }, b: { url: 'examples/g-v2.tar.gz', name: 'g-v2.tar.gz' } } as const;

/** What a side was picked from. */
export type DiffPick = { kind: 'loaded'; name: string; archive: Uint8Array; wasm?: Uint8Array } | { kind: 'file'; file: File; name: string } | { kind: 'url'; url: string; name: string };

export type DiffPhase = 'idle' | 'running' | 'done' | 'error';

export class DiffState {
  /** The diff view replaces the work area while open. */
  open = $state(false);
  a = $state.raw<DiffPick | null>(null);
  b = $state.raw<DiffPick | null>(null);
  phase = $state<DiffPhase>('idle');
  progress = $state.raw<Record<DiffSideName, DiffProgress | null>>({ a: null, b: null });
  result = $state.raw<DiffResult | null>(null);
  /** A failure of the request as a whole (invalid policy, cancelled). Per-version failures are in `result`. */
  error = $state.raw<WorkerError | null>(null);
  /** What the last comparison ran with, for the view and the matching CLI command. */
  ranWith = $state.raw<{ options: Record<string, string>; engine: string; policy: string } | null>(null);
  /** A side was picked again (or swapped) after the result: the result is for the earlier pair. */
  stale = $state(false);

  #client: AuditClient | null = null;
  #runId = 0;
  /** The loaded archive side A last defaulted to. */
  #seen: Uint8Array | null = null;

  constructor(readonly app: AppState) {}

  private get client(): AuditClient {
    return (this.#client ??= new AuditClient());
  }

  /** Open the view; side A becomes the loaded package whenever a new one was loaded since last time. */
  show(): void {
    const archive = this.app.archive;
    if (archive && archive !== this.#seen) {
      this.#seen = archive;
      this.pickLoaded('a');
    }
    this.open = true;
  }

  /** Back to the work area; a comparison still running is stopped. */
  async close(): Promise<void> {
    this.open = false;
    if (this.phase === 'running') await this.cancel();
  }

  pick(side: DiffSideName, p: DiffPick | null): void {
    this[side] = p;
    if (this.result || this.error) this.stale = true;
  }

  pickFile(side: DiffSideName, file: File): void {
    this.pick(side, { kind: 'file', file, name: file.name });
  }

  pickLoaded(side: DiffSideName): void {
    const archive = this.app.archive;
    if (archive && this.app.pkgName) this.pick(side, { kind: 'loaded', name: this.app.pkgName, archive, wasm: this.app.compiledWasm ?? undefined });
  }

  /** One click: g-v1 as A, g-v2 as B, compared at once. */
  async examplePair(): Promise<void> {
    this.a = { kind: 'url', ...EXAMPLE_PAIR.a };
    this.b = { kind: 'url', ...EXAMPLE_PAIR.b };
    await this.compare();
  }

  swap(): void {
    if (!this.a && !this.b) return;
    [this.a, this.b] = [this.b, this.a];
    if (this.result || this.error) this.stale = true;
  }

  /** Run both picked versions with the work area's options, policy and engine, and compare them. */
  async compare(): Promise<void> {
    const [pa, pb] = [this.a, this.b];
    if (!pa || !pb) return;
    if (this.phase === 'running') await this.client.abort();
    const id = ++this.#runId;
    this.phase = 'running';
    this.error = null;
    this.result = null;
    this.stale = false;
    this.progress = { a: null, b: null };
    const options = { ...this.app.options };
    const engine = this.app.engine;
    const policy = this.app.policy.policy;
    this.ranWith = { options, engine, policy: this.app.policy.presetId };
    const req = { options, policy, engine, fuel: engine === 'interp' ? DEFAULT_FUEL : undefined };

    // Bytes first; a side that cannot even be read is reported on its own side without running anything.
    const [ia, ib] = await Promise.all([this.input(pa), this.input(pb)]);
    if (id !== this.#runId) return;
    if (!ia.ok || !ib.ok) {
      this.result = { a: ia.ok ? { name: pa.name } : { name: pa.name, error: ia.error }, b: ib.ok ? { name: pb.name } : { name: pb.name, error: ib.error } };
      this.phase = 'done';
      return;
    }
    const onProgress = (p: DiffProgress) => {
      if (id === this.#runId) this.progress = { ...this.progress, [p.side]: p };
    };
    let r = await this.client.diff(ia.value, ib.value, req, onProgress);
    if (id !== this.#runId) return;
    // Under `npm start` an archive without build.wasm is compiled on the dev server, as when it is opened.
    if (r.ok && canCompile()) {
      const inputs = { a: ia.value, b: ib.value };
      let compiled = false;
      for (const side of ['a', 'b'] as const) {
        if (r.value[side].error?.kind !== 'no-wasm') continue;
        const c = await compileOnDevServer(inputs[side].archive);
        if (id !== this.#runId) return;
        if (!c.ok) {
          r.value[side].error = { phase: 'package', kind: 'compile-failed', message: c.message };
          r.value[side].stderr = c.output;
          continue;
        }
        inputs[side] = { ...inputs[side], wasm: c.wasm };
        compiled = true;
      }
      if (compiled) {
        const failed = r.value;
        r = await this.client.diff(inputs.a, inputs.b, req, onProgress);
        if (id !== this.#runId) return;
        // A compile failure found above stays reported.
        if (r.ok) for (const side of ['a', 'b'] as const) if (failed[side].error?.kind === 'compile-failed') r.value[side] = failed[side];
      }
    }
    if (!r.ok) {
      this.error = r.error;
      this.phase = 'error';
      return;
    }
    this.result = r.value;
    this.phase = 'done';
  }

  async cancel(): Promise<void> {
    if (this.phase !== 'running') return;
    this.#runId++;
    await this.client.abort();
    this.error = { phase: 'state', kind: 'aborted', message: 'comparison cancelled' };
    this.phase = 'error';
  }

  private async input(p: DiffPick): Promise<{ ok: true; value: DiffInput } | { ok: false; error: WorkerError }> {
    if (p.kind === 'loaded') return { ok: true, value: { name: p.name, archive: p.archive, wasm: p.wasm } };
    if (p.kind === 'file') {
      try {
        return { ok: true, value: { name: p.name, archive: new Uint8Array(await p.file.arrayBuffer()) } };
      } catch (e) {
        return { ok: false, error: { phase: 'archive', kind: 'read', message: `could not read ${p.name}: ${e instanceof Error ? e.message : String(e)}` } };
      }
    }
    const r = await fetchArchive(p.url);
    return r.ok ? { ok: true, value: { name: p.name, archive: r.value } } : r;
  }
}
