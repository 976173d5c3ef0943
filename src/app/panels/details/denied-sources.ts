// The configure node's denied syscalls grouped by where they came from (issue #6 item 4): "build.zig:22
// (tiny): 4 denied (path_open ×4)", so the Step tab says which line of which package tried what. Grouping
// follows the trace's attribution text (src/app/panels/trace/packages.ts); records without one say why.

import type { TraceRecord } from '../../../wasi-vfs/index.ts';
import { isDeniedRecord } from '../../../worker/denied.ts';
import { attributionText } from '../trace/packages.ts';

export interface DeniedSource {
  /** `build.zig:22 (tiny)`, or why there is no line. */
  where: string;
  count: number;
  /** `path_open ×4, fd_write` */
  calls: string;
  /** The first such record, to select in the trace. */
  firstSeq: number;
}

function whereOf(r: TraceRecord): string {
  if (r.attribution) return attributionText(r.attribution);
  return r.stack && r.stack.length > 0 ? 'no build.zig frame' : 'no stack (native engine)';
}

/** Denied records by source, in order of their first call. */
export function deniedSources(records: readonly TraceRecord[]): DeniedSource[] {
  const groups = new Map<string, { firstSeq: number; fns: Map<string, number>; count: number }>();
  for (const r of records) {
    if (!isDeniedRecord(r)) continue;
    const where = whereOf(r);
    let g = groups.get(where);
    if (!g) groups.set(where, (g = { firstSeq: r.seq, fns: new Map(), count: 0 }));
    g.count++;
    g.fns.set(r.fn, (g.fns.get(r.fn) ?? 0) + 1);
  }
  return [...groups].map(([where, g]) => ({
    where,
    count: g.count,
    calls: [...g.fns].map(([fn, n]) => (n > 1 ? `${fn} ×${n}` : fn)).join(', '),
    firstSeq: g.firstSeq,
  }));
}
