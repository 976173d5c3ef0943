// The worker's API (DESIGN.md, "Worker API"), exposed with Comlink by worker.ts. The app imports only
// its type: `import type { WorkerApi } from './api.ts'`. Every call returns a Result; nothing throws
// across the boundary. A run is synchronous inside the worker, so it cannot be interrupted by a message:
// the client aborts by terminating the worker and starting a fresh one (client.ts).

import { loadPackageArchive, readPackageWasm, runAudit } from '../audit/index.ts';
import { interpEngine, nativeEngine } from '../interp/index.ts';
import type { Engine } from '../interp/api.ts';
import { parsePolicy } from '../policy/index.ts';
import { packageAttributor } from './attribute-records.ts';
import { EventBatcher } from './batcher.ts';
import { runDiff } from './diff-api.ts';
import { fail, guard } from './errors.ts';
import { SessionHost } from './session-api.ts';
import { shownStdout, summarize } from './summary.ts';
import type { DiffInput, DiffProgress, DiffRequest, DiffResult, EngineName, EventBatch, LoadInfo, Result, RunRequest, RunSummary, SessionAnswer, SessionRequest, SessionView } from './types.ts';

/** Trace bytes kept per run; calls past it are counted, not stored (denials are kept longer). */
export const TRACE_LIMIT_BYTES = 64 << 20;

export { STDOUT_SHOWN } from './summary.ts';

const ENGINES: Record<EngineName, Engine> = { interp: interpEngine, native: nativeEngine };

interface Loaded {
  archive: Uint8Array;
  wasm: Uint8Array | undefined;
}

let loaded: Loaded | undefined;
const sessions = new SessionHost();

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
    sessions.close();
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
      // Interp records carry the guest stack and, sent to the app, its package and build.zig line
      // (attribute-records.ts; one attributor per loaded package). Native calls have no stack.
      const attr = req.engine === 'interp' ? packageAttributor(pkg, fs) : undefined;
      const a = runAudit({
        fs,
        wasm: pkg.wasm,
        options: req.options,
        policy,
        engine,
        fuel: req.fuel,
        traceLimit: TRACE_LIMIT_BYTES,
        captureStack: attr !== undefined,
        onTrace: (batch) => batcher.records(attr ? attr.attributeBatch(batch) : batch),
        onInstance: (inst) => {
          batcher.fuel = () => inst.fuelUsed;
        },
      });
      // The graph itself travels parsed; the app shows at most the first MiB of the raw text.
      batcher.out(shownStdout(a.stdout));
      batcher.err(a.stderr);
      batcher.flush('done', a.graph);
      return summarize(a, req.engine);
    });
  },

  /** Forget the loaded package and any session. (A run in progress is stopped by the client terminating the worker.) */
  async cancel(): Promise<Result<boolean>> {
    const had = loaded !== undefined;
    loaded = undefined;
    sessions.close();
    return { ok: true, value: had };
  },

  // ---- step-through session (issue #6; src/session). One at a time, on the loaded package. Each call
  // answers with the whole state but only the trace records that changed (SessionView.trace). ----------

  /** Open a session paused before the first syscall (status 'ready'), closing any open one. */
  async openSession(req: SessionRequest): Promise<Result<SessionView>> {
    return sessions.openSession(loaded, req, TRACE_LIMIT_BYTES);
  },
  /** n: stop at the next completed syscall (before the guest sees its result), a prompt, or the end. */
  async sessionStep(slice?: number): Promise<Result<SessionView>> {
    return sessions.step(slice);
  },
  /** c: stop at the next syscall the audit counts as denied (policy or sandbox escape). */
  async sessionNextDenied(slice?: number): Promise<Result<SessionView>> {
    return sessions.nextDenied(slice);
  },
  /** Run to the end, still stopping at prompts; with `slice`, at most that many instructions (status 'running' when cut short). */
  async sessionToEnd(slice?: number): Promise<Result<SessionView>> {
    return sessions.toEnd(slice);
  },
  /** Stop at syscall k: forwards, or by a replay when k is behind (-1: back to the start). */
  async sessionRunTo(k: number, slice?: number): Promise<Result<SessionView>> {
    return sessions.runTo(k, slice);
  },
  /** p: one syscall back (a deterministic replay). */
  async sessionBack(slice?: number): Promise<Result<SessionView>> {
    return sessions.back(slice);
  },
  /** After status 'running' (a slice ran out): go on towards the last move's target. Every move takes a `slice`. */
  async sessionResume(slice?: number): Promise<Result<SessionView>> {
    return sessions.resume(slice);
  },
  /** A fresh run with the edited policy ("always" answers included). */
  async sessionRestart(): Promise<Result<SessionView>> {
    return sessions.restart();
  },
  /** Answer the pending prompt. */
  async sessionAnswer(a: SessionAnswer): Promise<Result<SessionView>> {
    return sessions.answer(a);
  },
  /** Where the session stands; `traceFrom` resends the trace from that seq. */
  async sessionState(traceFrom?: number): Promise<Result<SessionView>> {
    return sessions.state(traceFrom);
  },
  async closeSession(): Promise<Result<boolean>> {
    return { ok: true, value: sessions.close() };
  },

  /**
   * Version diff (diff-api.ts): run A then B with the same options, policy and engine and compare them like
   * `sandbuild diff`. Leaves the loaded package and any session alone.
   */
  async diff(a: DiffInput, b: DiffInput, req: DiffRequest, onProgress?: (p: DiffProgress) => void): Promise<Result<DiffResult>> {
    return runDiff(a, b, req, ENGINES, TRACE_LIMIT_BYTES, onProgress);
  },
};

export type WorkerApi = typeof api;
