// The version diff behind the worker API (issue #6, item 8): two package archives run one after the other
// with the same options, policy and engine, then src/audit's diffAudits compares them, exactly as
// `sandbuild diff` does. The answer keeps the two sides apart, so a broken archive, a missing build.wasm or a
// trap in one version is reported for that version while the other still shows what it did.

import { diffAudits, loadPackageArchive, runAudit, type AuditResult } from '../audit/index.ts';
import type { Engine } from '../interp/api.ts';
import { parsePolicy, type Policy } from '../policy/index.ts';
import { fail, toWorkerError } from './errors.ts';
import { outcomeError } from './outcome.ts';
import { summarize } from './summary.ts';
import type { DiffInput, DiffProgress, DiffRequest, DiffResult, DiffSide, DiffSideName, EngineName, Result, WorkerError } from './types.ts';

/** stderr kept per failed side: enough for a panic message and its trace, not a flood. */
export const DIFF_STDERR_SHOWN = 8 << 10;
/** Progress callbacks at most this often while a side runs (ms). */
export const DIFF_PROGRESS_MS = 100;

const clip = (s: string) => (s.length > DIFF_STDERR_SHOWN ? `${s.slice(0, DIFF_STDERR_SHOWN)}\n… (${s.length - DIFF_STDERR_SHOWN} more characters)` : s);

interface SideRun {
  side: DiffSide;
  audit?: AuditResult;
}

async function runSide(
  which: DiffSideName,
  input: DiffInput,
  req: DiffRequest,
  policy: Policy,
  engine: Engine,
  traceLimit: number,
  onProgress: ((p: DiffProgress) => void) | undefined,
): Promise<SideRun> {
  const name = typeof input?.name === 'string' ? input.name : which;
  let syscalls = 0;
  let fuelUsed = (): number => 0;
  let last = 0;
  const report = (state: DiffProgress['state']) => onProgress?.({ side: which, state, syscalls, fuelUsed: fuelUsed() });
  report('loading');
  try {
    if (!(input?.archive instanceof Uint8Array)) return failed({ phase: 'archive', kind: 'no-archive', message: `${name}: no archive given` });
    const fs = await loadPackageArchive(input.archive);
    report('running');
    const audit = runAudit({
      fs,
      wasm: input.wasm,
      options: req.options,
      policy,
      engine,
      fuel: req.fuel,
      traceLimit,
      onTrace: (batch) => {
        syscalls += batch.length;
        const now = Date.now();
        if (now - last >= DIFF_PROGRESS_MS) {
          last = now;
          report('running');
        }
      },
      onInstance: (inst) => {
        fuelUsed = () => inst.fuelUsed;
      },
    });
    const summary = summarize(audit, req.engine);
    const error = outcomeError(audit, req.fuel);
    report(error ? 'failed' : 'done');
    return { audit, side: { name, summary, graph: audit.graph, ...(error ? { error, stderr: clip(audit.stderr) } : {}) } };
  } catch (e) {
    return failed(toWorkerError(e));
  }

  function failed(error: WorkerError): SideRun {
    report('failed');
    return { side: { name, error } };
  }
}

/**
 * Run version A, then version B, under `req`, and compare them. Fails as a whole only when the request
 * itself is bad (engine, policy); anything wrong with one version is that side's `error`.
 */
export async function runDiff(
  a: DiffInput,
  b: DiffInput,
  req: DiffRequest,
  engines: Record<EngineName, Engine>,
  traceLimit: number,
  onProgress?: (p: DiffProgress) => void,
): Promise<Result<DiffResult>> {
  const engine = engines[req?.engine];
  if (!engine) return fail('state', 'bad-engine', `unknown engine '${String(req?.engine)}'`);
  let policy: Policy;
  try {
    policy = parsePolicy(req.policy);
  } catch (e) {
    return { ok: false, error: toWorkerError(e) };
  }
  // One after the other: each run is synchronous in this worker anyway, and the second side's trace is only
  // built once the first one's run is over.
  const ra = await runSide('a', a, req, policy, engine, traceLimit, onProgress);
  const rb = await runSide('b', b, req, policy, engine, traceLimit, onProgress);
  const value: DiffResult = { a: ra.side, b: rb.side };
  if (ra.audit && rb.audit) value.diff = diffAudits(ra.audit, rb.audit);
  return { ok: true, value };
}
