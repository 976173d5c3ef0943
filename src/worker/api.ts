// The worker's API (DESIGN.md, "Worker API"), exposed with Comlink by worker.ts. The app imports only
// its type: `import type { WorkerApi } from './api.ts'`. Every call returns a Result; nothing throws
// across the boundary. A run is synchronous inside the worker, so it cannot be interrupted by a message:
// the client aborts by terminating the worker and starting a fresh one (client.ts).

import { loadPackageArchive, readPackageWasm, runAudit } from '../audit/index.ts';
import { interpEngine, nativeEngine } from '../interp/index.ts';
import type { Engine } from '../interp/api.ts';
import { parsePolicy } from '../policy/index.ts';
import { EventBatcher } from './batcher.ts';
import { fail, guard } from './errors.ts';
import type { EngineName, EventBatch, LoadInfo, Result, RunRequest, RunSummary } from './types.ts';

/** Trace bytes kept per run; calls past it are counted, not stored (denials are kept longer). */
export const TRACE_LIMIT_BYTES = 64 << 20;

/** Characters of raw guest stdout sent to the app (the graph JSON, already sent parsed). */
export const STDOUT_SHOWN = 1 << 20;

const ENGINES: Record<EngineName, Engine> = { interp: interpEngine, native: nativeEngine };

interface Loaded {
  archive: Uint8Array;
  wasm: Uint8Array | undefined;
}

let loaded: Loaded | undefined;

function countFiles(fs: Awaited<ReturnType<typeof loadPackageArchive>>): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const todo = [fs.root];
  while (todo.length > 0) {
    for (const n of todo.pop()!.entries.values()) {
      if (n.kind === 'dir') todo.push(n);
      else if (n.kind === 'file') {
        files++;
        bytes += n.data.size;
      }
    }
  }
  return { files, bytes };
}

export const api = {
  /**
   * Load a package archive (.tar, .tar.gz, .tgz; a single wrapping folder is stripped). `wasm` overrides
   * `.sandbuild/build.wasm`, e.g. one the dev server just compiled. The archive is kept and unpacked afresh
   * for every run, so each run starts from the package as shipped.
   */
  async load(archive: Uint8Array, wasm?: Uint8Array): Promise<Result<LoadInfo>> {
    loaded = undefined;
    return guard(async () => {
      const fs = await loadPackageArchive(archive);
      let found = wasm;
      if (!found) {
        try {
          found = readPackageWasm(fs);
        } catch {
          found = undefined;
        }
      }
      loaded = { archive, wasm };
      return { ...countFiles(fs), hasWasm: found !== undefined, wasmBytes: found?.length ?? 0 };
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
      const fs = await loadPackageArchive(pkg.archive);
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
        onInstance: (inst) => {
          batcher.fuel = () => inst.fuelUsed;
        },
      });
      // The graph itself travels parsed; the app shows at most the first MiB of the raw text.
      batcher.out(a.stdout.length > STDOUT_SHOWN ? `${a.stdout.slice(0, STDOUT_SHOWN)}\n… (${a.stdout.length - STDOUT_SHOWN} more characters not sent)` : a.stdout);
      batcher.err(a.stderr);
      batcher.flush('done', a.graph);
      const summary: RunSummary = {
        engine: req.engine,
        outcome: a.outcome,
        exitCode: a.outcome.status === 'exit' ? a.outcome.code : 1,
        durationMs: a.durationMs,
        syscalls: a.traceTotal,
        traceDropped: a.traceDropped,
        syscallDenials: a.syscallDenials.length,
        capDenials: a.capDenials,
        blocked: a.blocked.map((b) => [b.step, b.blockedBy]),
        stepCount: a.graph?.steps.length ?? 0,
        missing: a.missing,
        envHidden: a.envHidden,
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
