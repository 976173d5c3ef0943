// Pure pieces of the exports: file names after the package, and the trace as JSON Lines in the CLI's
// format (src/wasi-vfs/trace.ts Trace.toJsonl, what `sandbuild run --trace` and `audit --trace` write): one
// record per line, and a last `{"truncated":true,...}` line when records are missing, so a reader can
// never take a cut trace for a whole one.

import type { TraceRecord } from '../../../wasi-vfs/index.ts';

/** `c-exfiltrate.tar.gz` → `c-exfiltrate`; anything unsafe in a file name becomes `_`. */
export function exportBase(pkgName: string | null): string {
  const stem = (pkgName ?? '').replace(/\.(tar\.gz|tgz|tar)$/i, '');
  const safe = stem.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100);
  return safe === '' ? 'package' : safe;
}

export type ExportKind = 'svg' | 'png' | 'jsonl';

export function exportFileName(pkgName: string | null, kind: ExportKind): string {
  const base = exportBase(pkgName);
  return kind === 'jsonl' ? `${base}.trace.jsonl` : `${base}.graph.${kind}`;
}

/**
 * The trace as JSON Lines. `total` is how many syscalls the run made; when fewer records are held, the
 * last line says so, exactly as Trace.toJsonl does.
 */
export function traceJsonl(records: readonly TraceRecord[], total: number): string {
  let s = '';
  for (const r of records) s += `${JSON.stringify(r)}\n`;
  const dropped = total - records.length;
  if (dropped > 0) s += `${JSON.stringify({ truncated: true, dropped, total })}\n`;
  return s;
}
