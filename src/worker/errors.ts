// Map anything thrown inside the worker to a plain { phase, kind, message }: Comlink would otherwise
// turn our typed errors into bare Errors and the app could not tell a broken archive from a trap.

import { GraphError } from '../graph/index.ts';
import { isWasmError } from '../interp/errors.ts';
import { PolicyError } from '../policy/index.ts';
import { SessionError } from '../session/index.ts';
import { ArchiveError, WasiConfigError } from '../wasi-vfs/index.ts';
import { AuditError } from '../audit/index.ts';
import type { Result, WorkerError } from './types.ts';

export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof SessionError) return { phase: 'session', kind: e.kind, message: e.message };
  if (e instanceof ArchiveError) return { phase: 'archive', kind: e.kind, message: e.message };
  if (e instanceof AuditError) return { phase: e.kind === 'bad-option' ? 'options' : 'package', kind: e.kind, message: e.message };
  if (isWasmError(e)) return { phase: e.phase, kind: e.kind, message: e.message };
  if (e instanceof GraphError) return { phase: 'graph', kind: 'invalid-graph', message: e.message };
  if (e instanceof PolicyError) return { phase: 'policy', kind: 'invalid-policy', message: e.message };
  if (e instanceof WasiConfigError) return { phase: 'link', kind: e.kind, message: e.message };
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { phase: 'internal', kind: 'unexpected', message };
}

export function fail<T>(phase: WorkerError['phase'], kind: string, message: string): Result<T> {
  return { ok: false, error: { phase, kind, message } };
}

/** Run `fn`, turning any throw into an error result. */
export async function guard<T>(fn: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: toWorkerError(e) };
  }
}
