// The worker's API (DESIGN.md, "Worker API"), exposed with Comlink by worker.ts. The app imports only
// its type: `import type { WorkerApi } from './api.ts'`. Every call returns a Result; nothing throws
// across the boundary. A run is synchronous inside the worker, so it cannot be interrupted by a message:
// the client aborts by terminating the worker and starting a fresh one (client.ts).

import { parsePolicy } from '../policy/index.ts';
import { interpEngine, nativeEngine } from '../interp/index.ts';
import type { Engine } from '../interp/api.ts';
import { loadArchive, type LoadResult } from '../wasi-vfs/index.ts';
import { findWasm, runAudit } from './audit-adapter.ts';
import { EventBatcher } from './batcher.ts';
import { fail, guard } from './errors.ts';
import type { EngineName, EventBatch, LoadInfo, Result, RunRequest, RunSummary } from './types.ts';

/** Trace records kept per run; calls past it are counted, not stored (denials are kept longer). */
export const TRACE_LIMIT_BYTES = 64 << 20;

const ENGINES: Record<EngineName, Engine> = { interp: interpEngine, native: nativeEngine };

interface Loaded {
  archive: Uint8Array;
  wasm: Uint8Array | undefined;
}

let loaded: Loaded | undefined;

async function unpack(archive: Uint8Array): Promise<LoadResult> {
  return loadArchive(archive);
}

export const api = {
  /**
   * Load a package archive (.tar, .tar.gz, .tgz). `wasm` overrides `.sandbuild/build.wasm`, e.g. one
   * the dev server just compiled. The archive is kept and unpacked afresh for every run, so each run
   * starts from the package as shipped.
   */
  async load(archive: Uint8Array, wasm?: Uint8Array): Promise<Result<LoadInfo>> {
    loaded = undefined;
    return guard(async () => {
      const r = await unpack(archive);
      const found = wasm ?? findWasm(r.fs);
      loaded = { archive, wasm };
      return { files: r.files, bytes: r.bytes, hasWasm: found !== undefined, wasmBytes: found?.length ?? 0 };
    });
  },

  /** Run the build logic once; events stream to `onEvents` in batches, the last one with the graph. */
  async run(req: RunRequest, onEvents: (batch: EventBatch) => void): Promise<Result<RunSummary>> {
    const pkg = loaded;
    if (!pkg) return fail('state', 'not-loaded', 'no package is loaded');
    const engine = ENGINES[req.engine];
    if (!engine) return fail('state', 'bad-engine', `unknown engine '${String(req.engine)}'`);
    return guard(async () => {
      const policy = parsePolicy(req.policy);
      const { fs } = await unpack(pkg.archive);
      const batcher = new EventBatcher(onEvents);
      const a = runAudit({
        fs,
        wasm: pkg.wasm,
        options: req.options,
        policy,
        engine,
        fuel: req.fuel,
        traceLimit: TRACE_LIMIT_BYTES,
        onTrace: (batch) => batcher.records(batch),
      });
      batcher.out(a.stdout);
      batcher.err(a.stderr);
      batcher.flush('done', a.graph);
      const o = a.outcome;
      const summary: RunSummary = {
        engine: req.engine,
        outcome: o.status === 'trap' ? { status: 'trap', kind: o.trap.kind, message: o.trap.message } : o,
        exitCode: o.status === 'exit' ? o.code : 1,
        durationMs: a.durationMs,
        syscalls: a.trace.total,
        traceDropped: a.trace.dropped,
        syscallDenials: a.syscallDenials.length,
        capDenials: a.capDenials,
        blocked: [...a.blocked],
        stepCount: a.graph?.steps.length ?? 0,
        graphError: a.graphError ?? null,
        learnedPolicy: a.learnedPolicy ?? null,
      };
      return summary;
    });
  },

  /** Forget the loaded package. (A run in progress is stopped by the client terminating the worker.) */
  async cancel(): Promise<Result<boolean>> {
    const had = loaded !== undefined;
    loaded = undefined;
    return { ok: true, value: had };
  },
};

export type WorkerApi = typeof api;
